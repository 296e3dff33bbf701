export { PostgresStore, type PostgresStoreOptions } from './postgres-store.ts';
export { migrate } from './migrate.ts';
