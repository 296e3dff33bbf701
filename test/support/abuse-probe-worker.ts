/**
 * The legitimate client of the abuse suite, in a worker thread of its own (see abuse-probe.ts for why):
 * `GET /healthz` every 50 ms and each bidder's bid every 100 ms (10 bids/s, half the per-user limit), on a
 * keep-alive `node:http` Agent from its own loopback address. Open loop: a request leaves on schedule
 * whether or not the previous one has been answered, so a stalled server shows up as latency, not as
 * fewer samples. A tick that comes late is not made up for with a burst (that could cross the bid limit).
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type { ProbeCommand, ProbeReport, ProbeSetup, RawSamples } from './abuse-probe.ts';

const setup = (workerData as { setup: ProbeSetup }).setup;
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
const REQUEST_TIMEOUT_MS = 5_000;

function timed(method: string, path: string, headers: Record<string, string>, body: string | undefined) {
  return new Promise<{ status: number; ms: number; at: number }>((resolve) => {
    const started = performance.now();
    const at = started - (running?.began ?? started);
    const request = http.request(
      `${setup.base}${path}`,
      { method, headers, agent, localAddress: setup.localAddress, timeout: REQUEST_TIMEOUT_MS },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, at }));
        res.on('error', () => resolve({ status: 0, ms: performance.now() - started, at }));
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => resolve({ status: 0, ms: performance.now() - started, at }));
    request.end(body);
  });
}

function emptySamples(): RawSamples {
  return { latenciesMs: [], sentAtMs: [], statuses: {} };
}

function record(samples: RawSamples, result: { status: number; ms: number; at: number }): void {
  samples.latenciesMs.push(result.ms);
  samples.sentAtMs.push(result.at);
  samples.statuses[result.status] = (samples.statuses[result.status] ?? 0) + 1;
}

/**
 * Calls `fire` every `intervalMs`, the first time after `offsetMs`, until `stop()`; a late tick is sent at
 * once, then the schedule restarts from it.
 */
function every(intervalMs: number, offsetMs: number, fire: () => void): () => void {
  let stopped = false;
  let next = performance.now() + offsetMs;
  let timer: NodeJS.Timeout;
  const tick = () => {
    if (stopped) return;
    fire();
    next += intervalMs;
    const now = performance.now();
    if (next < now) next = now + intervalMs;
    timer = setTimeout(tick, next - now);
  };
  timer = setTimeout(tick, offsetMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

const amounts = setup.bidders.map((b) => b.firstAmount);
let running: {
  began: number;
  stops: (() => void)[];
  inFlight: Set<Promise<unknown>>;
  healthz: RawSamples;
  bids: RawSamples;
} | null = null;

parentPort!.on('message', async (command: ProbeCommand) => {
  if (command.type === 'start') {
    const run = {
      began: performance.now(),
      stops: [] as (() => void)[],
      inFlight: new Set<Promise<unknown>>(),
      ...emptyPair(),
    };
    running = run;
    const track = (p: Promise<unknown>) => {
      run.inFlight.add(p);
      void p.finally(() => run.inFlight.delete(p));
    };
    run.stops.push(
      every(setup.healthzIntervalMs, setup.healthzIntervalMs / 2, () =>
        track(timed('GET', '/healthz', {}, undefined).then((r) => record(run.healthz, r))),
      ),
    );
    // The bidders take turns (bidder i starts i / n of an interval late): one stall of the server then
    // shows in one bid's latency, not in one of each bidder's at the same instant.
    setup.bidders.forEach((bidder, i) => {
      run.stops.push(
        every(setup.bidIntervalMs, (i * setup.bidIntervalMs) / setup.bidders.length, () => {
          const body = JSON.stringify({ amount: amounts[i]!++ });
          const headers = {
            authorization: bidder.authorization,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
          };
          track(
            timed('POST', `/api/v1/auctions/${bidder.auctionId}/bids`, headers, body).then((r) => record(run.bids, r)),
          );
        }),
      );
    });
    parentPort!.postMessage({ type: 'started' } satisfies ProbeReport);
  } else if (command.type === 'stop') {
    const run = running;
    running = null;
    if (!run) return;
    for (const stop of run.stops) stop();
    await Promise.all(run.inFlight);
    parentPort!.postMessage({ type: 'result', healthz: run.healthz, bids: run.bids } satisfies ProbeReport);
  } else if (command.type === 'close') {
    agent.destroy();
    parentPort!.close();
  }
});

function emptyPair() {
  return { healthz: emptySamples(), bids: emptySamples() };
}

parentPort!.postMessage({ type: 'ready' } satisfies ProbeReport);
