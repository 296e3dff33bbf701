// Entry of a SQLite reader thread. Plain JavaScript on purpose, as writer-thread-bootstrap.mjs: Node 20
// does not carry the parent's `--import tsx` loader into worker threads, so the thread registers tsx
// itself before loading the TypeScript module that does the work.
import { register } from 'tsx/esm/api';

register();
await import('./reader-thread.ts');
