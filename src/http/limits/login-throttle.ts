import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addressKey } from './client-address.ts';
import type { LimitSettings } from './limit-settings.ts';
import { refuseWithRateLimit } from './rate-limits.ts';

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

/**
 * Log-in throttling: failed attempts are counted per username and per client
 * address (contract: 10 and 50 per 15 minutes). Only failures count, so a
 * user who types the right password is never locked out by their own
 * successes. A username that does not exist is counted exactly like one that
 * does, so the answers reveal nothing about who has an account.
 *
 * `check` peeks without counting; `recordFailure` counts. The caller checks
 * again right before the expensive password work (PasswordWork), so that
 * attempts queued together cannot all slip past one peek.
 */
export class LoginThrottle {
  private readonly byUsername: Limiter | null;
  private readonly byAddress: Limiter | null;

  constructor(app: FastifyInstance, settings: LimitSettings) {
    const enabled = settings.enabled;
    this.byUsername = enabled
      ? app.createRateLimit({
          max: settings.loginFailuresPerUsername,
          timeWindow: settings.loginWindowMs,
          keyGenerator: (request) => `login:user:${usernameOf(request)}`,
        })
      : null;
    this.byAddress = enabled
      ? app.createRateLimit({
          max: settings.loginFailuresPerAddress,
          timeWindow: settings.loginWindowMs,
          keyGenerator: (request) => `login:addr:${addressKey(request.ip)}`,
        })
      : null;
  }

  /** Throws `429 RATE_LIMITED` (with Retry-After) when either count is used up. */
  async check(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    for (const limiter of [this.byUsername, this.byAddress]) {
      if (limiter === null) continue;
      const status = await limiter(request, { increment: false });
      if (status.isAllowed) continue;
      if (status.remaining <= 0) throw refuseWithRateLimit(reply, status.max, status.ttlInSeconds);
    }
  }

  async recordFailure(request: FastifyRequest): Promise<void> {
    await Promise.all([this.byUsername?.(request), this.byAddress?.(request)]);
  }
}

/** Usernames are lowercase; the throttle keys on the same spelling whatever the attacker sends. */
function usernameOf(request: FastifyRequest): string {
  const body = request.body as { username?: unknown } | undefined;
  return typeof body?.username === 'string' ? body.username.trim().toLowerCase() : '';
}
