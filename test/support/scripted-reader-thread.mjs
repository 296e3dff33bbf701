// A stand-in for the SQLite reader thread in ReaderPool tests, scripted by each request's first term:
// "sleep<ms>" blocks the thread that long (as a long statement would), "crash" ends the thread, "fail"
// answers with a RangeError. `workerData.filename` is read as a start-up delay in ms. Every answer's
// `last` is [how many requests this thread has run, its threadId].
import { parentPort, threadId, workerData } from 'node:worker_threads';

const block = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
let served = 0;
block(Number(workerData.filename) || 0);
parentPort.on('message', (request) => {
  served++;
  const script = request.args[0].terms[0] ?? '';
  if (script === 'crash') process.exit(3);
  if (script.startsWith('sleep')) block(Number(script.slice(5)));
  if (script === 'fail')
    parentPort.postMessage({ id: request.id, ok: false, error: { name: 'RangeError', message: 'scripted' } });
  else
    parentPort.postMessage({ id: request.id, ok: true, result: { items: [], more: false, last: [served, threadId] } });
});
parentPort.postMessage({ ready: true });
