export { SqliteStore, type SqliteStoreOptions } from './sqlite-store.ts';
export {
  BackupRefusedError,
  type DatabaseFacts,
  type RestoreResult,
  backupDatabase,
  restoreDatabase,
} from './backup.ts';
export { DatabaseInUseError, DatabaseLock, lockFileOf } from './database-lock.ts';
