/** Time-driven work: closing and settlement deadlines from the due-time index; retention sweeps; periodic jobs. */
export { Closer, type CloserOptions } from './closer.ts';
export { Retention, type RetentionOptions } from './retention.ts';
export { PeriodicJob } from './periodic-job.ts';
