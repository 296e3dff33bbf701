import { z } from 'zod';
import { type ExternalVerdict, type ModerationItem, ModerationUnavailableError, type Moderator } from './moderator.ts';

export interface HttpModeratorOptions {
  /** The service's endpoint: it receives `POST { id, text }` and answers `200 { "verdict": "allow" | "block" }`. */
  url: string;
  /** A verdict that has not fully arrived within this time does not count. Default 2,000 ms. */
  timeoutMs?: number;
}

const verdictAnswer = z.object({ verdict: z.enum(['allow', 'block']) });

/** An answer larger than this is not a verdict (and is not read further). */
const MAX_ANSWER_BYTES = 16 * 1024;

/** The external moderation service over HTTP (`GAVEL_MODERATION_URL`). */
export class HttpModerator implements Moderator {
  private readonly url: string;
  private readonly timeoutMs: number;

  constructor(options: HttpModeratorOptions) {
    this.url = options.url;
    this.timeoutMs = options.timeoutMs ?? 2_000;
  }

  async review(item: ModerationItem): Promise<ExternalVerdict> {
    // One deadline for the whole exchange, body included: a service that sends headers and then stalls is
    // as unavailable as one that never answers.
    const signal = AbortSignal.timeout(this.timeoutMs);
    let status: number;
    let body: string;
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ id: item.id, text: item.text }),
        signal,
        redirect: 'error',
      });
      status = response.status;
      body = await readLimited(response, MAX_ANSWER_BYTES);
    } catch (error) {
      const timedOut = signal.aborted;
      throw new ModerationUnavailableError(
        timedOut ? `no verdict within ${this.timeoutMs} ms` : `exchange failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (status !== 200) throw new ModerationUnavailableError(`answered ${status}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new ModerationUnavailableError('answered with something other than JSON');
    }
    const verdict = verdictAnswer.safeParse(parsed);
    if (!verdict.success) throw new ModerationUnavailableError('answered without a verdict of allow or block');
    return verdict.data.verdict;
  }
}

/** The response body as text, refusing one larger than `limit` bytes. */
async function readLimited(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > limit) throw new Error(`answer larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
