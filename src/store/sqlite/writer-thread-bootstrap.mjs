// Entry of the SQLite writer thread. Plain JavaScript on purpose: Node 20 does not
// carry the parent's `--import tsx` loader into worker threads, so the thread
// registers tsx itself before loading the TypeScript module that does the work.
import { register } from 'tsx/esm/api';

register();
await import('./writer-thread.ts');
