export { RedisBus, type RedisBusOptions } from './redis-bus.ts';
