/** The Store port and its adapters. */
export * from './store.ts';
export * from './cursor.ts';
export { SqliteStore, type SqliteStoreOptions } from './sqlite/index.ts';
