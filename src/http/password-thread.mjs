// The password thread: derives scrypt keys, one at a time, at a lower scheduling priority than the rest
// of the process. Plain JavaScript on purpose (it needs nothing but node:crypto, and no loader).
//
// Why a thread of its own: a hash takes tens of milliseconds of a core. On libuv's shared pool, a log-in
// flood would run four at once and take both cores of a small machine from the bid path. Here there is
// one, and on Linux its nice value is its own (the nice value is per thread), so the kernel gives the
// event loop the CPU first: a flood slows log-ins, not bids.
import { scryptSync } from 'node:crypto';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';

try {
  setPriority(10);
} catch {
  // Not allowed here (some containers): the thread still keeps hashing to one core.
}

parentPort.on('message', ({ id, password, salt, keyLength, cost }) => {
  try {
    const key = scryptSync(password, Buffer.from(salt), keyLength, { ...cost, maxmem: 256 * cost.N * cost.r });
    parentPort.postMessage({ id, key });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error?.message ?? error) });
  }
});
