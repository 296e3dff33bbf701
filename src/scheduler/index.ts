/** Time-driven work: closing and settlement deadlines from the due-time index; retention sweeps. */
export { Closer, type CloserOptions } from './closer.ts';
export { Retention, type RetentionOptions } from './retention.ts';
