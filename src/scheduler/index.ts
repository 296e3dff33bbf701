/**
 * Time-driven work: closing and settlement deadlines from the due-time index; retention sweeps; inventory
 * changes brought to their auctions (and swept from the pending index); periodic jobs.
 */
export { Closer, type CloserOptions } from './closer.ts';
export { Retention, type RetentionOptions } from './retention.ts';
export { PeriodicJob } from './periodic-job.ts';
export {
  InventoryPropagation,
  type InventoryPropagationOptions,
  type PropagatedLink,
} from './inventory-propagation.ts';
