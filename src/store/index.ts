/**
 * The Store port. Adapters live in their own folders (`sqlite/`, `postgres/`) with the same file shape and
 * are imported from there by whoever builds the service (server.ts, migrate.ts, tests): both pass
 * test/store.contract.ts.
 */
export * from './store.ts';
export * from './cursor.ts';
