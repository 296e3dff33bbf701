import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { type ErrorCode, errorCatalogue } from '../../src/error-catalogue.ts';

/** A parsed RFC 9457 problem document as the API sends it. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  [extra: string]: unknown;
}

/**
 * Asserts that `res` is the problem document for `code`: the catalogue's status,
 * `application/problem+json`, and the RFC 9457 members. Returns the body for further checks.
 */
export function expectProblem(res: LightMyRequestResponse, code: ErrorCode): ProblemBody {
  const expectedStatus = errorCatalogue[code].status;
  assert.equal(
    res.statusCode,
    expectedStatus,
    `expected ${expectedStatus} ${code}, got ${res.statusCode}: ${res.body}`,
  );
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const body = res.json() as ProblemBody;
  assert.equal(body.code, code);
  assert.equal(body.status, expectedStatus);
  assert.equal(typeof body.type, 'string');
  assert.equal(typeof body.title, 'string');
  assert.equal(typeof body.detail, 'string');
  return body;
}

/** ISO 8601 UTC with milliseconds, the only time format on the wire. */
export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
