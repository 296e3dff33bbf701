/**
 * Entry point of a SQLite reader thread. Owns one read-only connection and answers listing requests one
 * at a time, so that a listing's query never runs on the event loop that serves HTTP and bids.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { AuctionFacets } from '../store.ts';
import {
  AuctionListingReader,
  type FacetRequest,
  type ListingOptions,
  type ListingRequest,
  type ListingResult,
} from './auction-listing.ts';
import { openReadOnlyConnection } from './connection.ts';

// Listings and searches yield the CPU to the event loop (bids, /healthz) and to the writer thread: on
// Linux the nice value is per thread, so only this thread is lowered. A search flood then slows searches,
// not bids.
try {
  setPriority(10);
} catch {
  // Not allowed here: the thread still keeps listings off the event loop.
}

export interface ReaderThreadData {
  filename: string;
  listing: ListingOptions;
}

export type ReadRequest =
  | { id: number; op: 'listAuctions'; args: [ListingRequest] }
  | { id: number; op: 'auctionFacets'; args: [FacetRequest] };

export type ReadResponse =
  | { id: number; ok: true; result: ListingResult | AuctionFacets }
  | { id: number; ok: false; error: { name: string; message: string } };

/** What a reader thread posts: `ready` once, when it can take requests, then one response per request. */
export type ReaderMessage = { ready: true } | ReadResponse;

const port = parentPort!;
const data = workerData as ReaderThreadData;
const reader = new AuctionListingReader(openReadOnlyConnection(data.filename), data.listing);

port.on('message', async (request: ReadRequest) => {
  let response: ReadResponse;
  try {
    // facets() reads synchronously too: its promise settles before the next message is taken.
    const result = request.op === 'listAuctions' ? reader.list(...request.args) : await reader.facets(...request.args);
    response = { id: request.id, ok: true, result };
  } catch (error) {
    const e = error as Error;
    response = { id: request.id, ok: false, error: { name: e.name, message: e.message } };
  }
  port.postMessage(response satisfies ReaderMessage);
});
port.postMessage({ ready: true } satisfies ReaderMessage);
