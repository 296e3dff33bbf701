import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  hashLinkToken,
  newLinkToken,
  newMailKey,
  readUnsubscribeToken,
  unsubscribeTokenValid,
} from '../../email/tokens.ts';
import { AppError } from '../../error-catalogue.ts';
import { NOTIFICATION_MAIL_KINDS } from '../../store/mail-rules.ts';
import { SESSION_SECURITY } from '../auth.ts';
import type { RouteContext } from '../context.ts';
import { addressKey, refuseWithRateLimit } from '../limits/index.ts';
import { JSON_BODY_ERRORS, SIGNED_IN_CHANGE_ERRORS, ok, problems } from '../openapi.ts';
import { createUserBody, user } from '../schemas.ts';
import { hashWithinLimits, userView } from './users.ts';

const HOUR = 3_600_000;
/** A verification link works for 24 hours; a reset link for 1 hour (the contract). */
const VERIFY_TTL_MS = 24 * HOUR;
const RESET_TTL_MS = HOUR;

const emailAddress = z
  .string()
  .max(254)
  .pipe(z.email())
  .transform((s) => s.toLowerCase())
  .describe('An e-mail address (compared without regard to case)');
const token = z.string().min(1).max(200);

const kindFlags = z.strictObject(
  Object.fromEntries(NOTIFICATION_MAIL_KINDS.map((k) => [k, z.boolean().optional()])) as Record<
    string,
    z.ZodOptional<z.ZodBoolean>
  >,
);
const settingsView = z
  .object({
    email: z
      .record(z.string(), z.boolean())
      .describe('Each notification kind (outbid, won, payment_due, sold, ending_soon, question): mailed or not'),
  })
  .meta({
    id: 'NotificationSettings',
    examples: [
      { email: { outbid: true, won: true, payment_due: true, sold: true, ending_soon: false, question: true } },
    ],
  });

function settingsOf(off: readonly string[]) {
  return { email: Object.fromEntries(NOTIFICATION_MAIL_KINDS.map((k) => [k, !off.includes(k)])) };
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

/**
 * E-mail addresses, password resets, notification settings and one-click unsubscribe (docs/email.md). Mails
 * are never sent from here: each is queued in the store with what it reports (the mail outbox), and every
 * node's MailDispatcher sends them.
 */
export function emailRoutes(app: FastifyInstance, ctx: RouteContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const enabled = ctx.limits.enabled;
  // Counted on every request, whoever it names (an unknown user counts the same), like failed log-ins.
  const limiter = (max: number, key: (request: FastifyRequest) => string | Promise<string>): Limiter | null =>
    enabled ? app.createRateLimit({ max, timeWindow: ctx.limits.loginWindowMs, keyGenerator: key }) : null;
  const resetByAccount = limiter(5, (request) => {
    const body = request.body as { username?: string; email?: string } | undefined;
    return `reset:account:${String(body?.username ?? body?.email ?? '').toLowerCase()}`;
  });
  const resetByAddress = limiter(
    ctx.limits.loginFailuresPerAddress,
    (request) => `reset:addr:${addressKey(request.ip)}`,
  );
  const verifyByUser = limiter(
    10,
    async (request) => `verify:user:${(await ctx.auth.userIdOf(request)) ?? addressKey(request.ip)}`,
  );
  const tokenByAddress = limiter(
    ctx.limits.loginFailuresPerAddress,
    (request) => `token:addr:${addressKey(request.ip)}`,
  );
  const count = async (request: FastifyRequest, reply: FastifyReply, limiters: (Limiter | null)[]) => {
    for (const l of limiters) {
      if (l === null) continue;
      const status = await l(request);
      if (!status.isAllowed && status.isExceeded) throw refuseWithRateLimit(reply, status.max, status.ttlInSeconds);
    }
  };

  r.put(
    '/api/v1/me/email',
    {
      onRequest: ctx.auth.required,
      schema: {
        operationId: 'setMyEmail',
        tags: ['Email'],
        summary: 'Set my e-mail address',
        description:
          'A verification link (valid 24 hours) is mailed to it; the address becomes mine when the link is ' +
          'used. The answer is the same whether or not another account has the address.',
        security: SESSION_SECURITY,
        body: z.strictObject({ email: emailAddress }),
        response: {
          202: ok('The verification link was queued', z.object({ pendingEmail: z.string() })),
          ...problems(...JSON_BODY_ERRORS, ...SIGNED_IN_CHANGE_ERRORS, 'RATE_LIMITED'),
        },
      },
    },
    async (request, reply) => {
      const userId = await ctx.auth.requireUserId(request);
      await count(request, reply, [verifyByUser]);
      const now = ctx.clock.now();
      const link = newLinkToken();
      const email = request.body.email;
      // The same answer whether or not another user has this address: the first to verify it owns it.
      await ctx.store.insertEmailToken(
        {
          tokenHash: link.tokenHash,
          purpose: 'verify_email',
          userId,
          email,
          createdAt: now,
          expiresAt: now + VERIFY_TTL_MS,
        },
        {
          userId,
          kind: 'verify_email',
          auctionId: null,
          toAddress: email,
          data: JSON.stringify({ token: link.token }),
          createdAt: now,
        },
      );
      void ctx.mail.dispatch();
      return reply.code(202).send({ pendingEmail: email });
    },
  );

  r.post(
    '/api/v1/email-verifications',
    {
      schema: {
        operationId: 'verifyEmail',
        tags: ['Email'],
        summary: 'Confirm an e-mail address',
        description: 'With the token of its link: the address becomes the user’s verified address.',
        body: z.strictObject({ token }),
        response: {
          200: ok('Verified: the user’s own view', z.object({ user })),
          ...problems(...JSON_BODY_ERRORS, 'TOKEN_INVALID', 'RATE_LIMITED'),
        },
      },
    },
    async (request, reply) => {
      const result = await ctx.store.verifyEmail(hashLinkToken(request.body.token), ctx.clock.now(), newMailKey());
      if (result.outcome !== 'verified') {
        await count(request, reply, [tokenByAddress]);
        throw new AppError(
          'TOKEN_INVALID',
          result.outcome === 'taken' ? 'Another account verified this address first' : undefined,
        );
      }
      return { user: userView(result.user) };
    },
  );

  r.post(
    '/api/v1/password-resets',
    {
      schema: {
        operationId: 'requestPasswordReset',
        tags: ['Email'],
        summary: 'Ask for a password-reset link',
        description:
          'A single-use link valid 1 hour goes to the account’s verified address. The same answer whether or ' +
          'not such an account exists; limited like log-ins, unknown accounts counted the same.',
        body: z.union([
          z.strictObject({ username: z.string().min(1).max(64) }),
          z.strictObject({ email: emailAddress }),
        ]),
        response: {
          202: ok('Taken (a link was mailed if the account exists)', z.object({})),
          ...problems(...JSON_BODY_ERRORS, 'RATE_LIMITED'),
        },
      },
    },
    async (request, reply) => {
      await count(request, reply, [resetByAccount, resetByAddress]);
      const body = request.body as { username?: string; email?: string };
      const found =
        body.username !== undefined
          ? await ctx.store.findUserByUsername(body.username.toLowerCase())
          : await ctx.store.findUserByEmail(body.email!);
      if (found?.email) {
        const now = ctx.clock.now();
        const link = newLinkToken();
        await ctx.store.insertEmailToken(
          {
            tokenHash: link.tokenHash,
            purpose: 'reset_password',
            userId: found.id,
            email: found.email,
            createdAt: now,
            expiresAt: now + RESET_TTL_MS,
          },
          {
            userId: found.id,
            kind: 'reset_password',
            auctionId: null,
            toAddress: found.email,
            data: JSON.stringify({ token: link.token }),
            createdAt: now,
          },
        );
        void ctx.mail.dispatch();
      }
      return reply.code(202).send({});
    },
  );

  r.post(
    '/api/v1/password-resets/:token',
    {
      schema: {
        operationId: 'resetPassword',
        tags: ['Email'],
        summary: 'Set a new password with a reset link',
        description: 'Every session of the account ends.',
        params: z.strictObject({ token }),
        body: z.strictObject({ password: createUserBody.shape.password }),
        response: {
          200: ok('The password was changed', z.object({})),
          ...problems(...JSON_BODY_ERRORS, 'TOKEN_INVALID', 'RATE_LIMITED'),
        },
      },
    },
    async (request, reply) => {
      const tokenHash = hashLinkToken(request.params.token);
      const passwordHash = await hashWithinLimits(ctx, reply, request.body.password);
      const result = await ctx.store.resetPassword(tokenHash, passwordHash, ctx.clock.now());
      if (result.outcome !== 'reset') {
        await count(request, reply, [tokenByAddress]);
        throw new AppError('TOKEN_INVALID');
      }
      // The store ended the sessions; this node's cache forgets them now (other nodes' within 5 s).
      await ctx.auth.revokeAllOf(result.userId);
      return reply.code(200).send({});
    },
  );

  r.get(
    '/api/v1/me/notification-settings',
    {
      onRequest: ctx.auth.required,
      schema: {
        operationId: 'getNotificationSettings',
        tags: ['Email'],
        summary: 'Which notifications I get by e-mail',
        description: 'All on by default.',
        security: SESSION_SECURITY,
        querystring: z.strictObject({}),
        response: {
          200: ok('My settings', settingsView),
          ...problems('VALIDATION_FAILED', 'UNAUTHENTICATED'),
        },
      },
    },
    async (request) => {
      const userId = await ctx.auth.requireUserId(request);
      const [found] = (await ctx.store.findUsersByIds([userId])).values();
      return settingsOf(found?.mailOff ?? []);
    },
  );

  r.patch(
    '/api/v1/me/notification-settings',
    {
      onRequest: ctx.auth.required,
      schema: {
        operationId: 'updateNotificationSettings',
        tags: ['Email'],
        summary: 'Turn e-mail notifications on or off',
        description: 'By kind; kinds not given keep their setting.',
        security: SESSION_SECURITY,
        body: z.strictObject({ email: kindFlags }),
        response: {
          200: ok('My settings after the change', settingsView),
          ...problems(...JSON_BODY_ERRORS, ...SIGNED_IN_CHANGE_ERRORS),
        },
      },
    },
    async (request) => {
      const userId = await ctx.auth.requireUserId(request);
      const [found] = (await ctx.store.findUsersByIds([userId])).values();
      const off = new Set(found?.mailOff ?? []);
      for (const [kind, on] of Object.entries(request.body.email)) {
        if (on === true) off.delete(kind);
        else if (on === false) off.add(kind);
      }
      const list = NOTIFICATION_MAIL_KINDS.filter((k) => off.has(k));
      await ctx.store.setMailOff(userId, list);
      return settingsOf(list);
    },
  );

  // One-click unsubscribe (RFC 8058). Mail clients POST `List-Unsubscribe=One-Click` as a form; a person
  // who opens the link gets a page with a button that does the same. No session: the token is the proof.
  const unsubscribeQuery = z.strictObject({ token: z.string().min(1).max(400) });
  const unsubscribe = async (raw: string) => {
    const parsed = readUnsubscribeToken(raw);
    const found = parsed ? (await ctx.store.findUsersByIds([parsed.userId])).get(parsed.userId) : undefined;
    if (
      !parsed ||
      !found?.mailKey ||
      !NOTIFICATION_MAIL_KINDS.includes(parsed.kind) ||
      !unsubscribeTokenValid(found.mailKey, parsed)
    )
      throw new AppError('TOKEN_INVALID');
    const off = [...new Set([...found.mailOff, parsed.kind])];
    await ctx.store.setMailOff(
      found.id,
      NOTIFICATION_MAIL_KINDS.filter((k) => off.includes(k)),
    );
    return parsed.kind;
  };

  app.register(async (scope) => {
    // Only here: the rest of the API takes JSON bodies alone.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 1024 },
      (_r, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    const s = scope.withTypeProvider<ZodTypeProvider>();
    s.post(
      '/api/v1/unsubscribe',
      {
        schema: {
          operationId: 'unsubscribe',
          tags: ['Email'],
          summary: 'One-click unsubscribe (RFC 8058)',
          description:
            'Turns the link’s notification kind off without signing in. Mail clients POST the form body ' +
            '`List-Unsubscribe=One-Click` to the link of the `List-Unsubscribe` header.',
          querystring: unsubscribeQuery,
          response: {
            200: ok('Turned off', z.object({ unsubscribed: z.string() })),
            ...problems('VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'TOKEN_INVALID'),
          },
        },
      },
      async (request) => ({ unsubscribed: await unsubscribe(request.query.token) }),
    );
    s.get(
      '/api/v1/unsubscribe',
      {
        schema: {
          operationId: 'unsubscribePage',
          tags: ['Email'],
          summary: 'The page of an unsubscribe link',
          description: 'An HTML page with a button that POSTs the one-click unsubscribe.',
          querystring: unsubscribeQuery,
          response: {
            200: {
              description: 'The page',
              content: { 'text/html': { schema: z.string().describe('An HTML page') } },
            },
            ...problems('VALIDATION_FAILED', 'TOKEN_INVALID'),
          },
        },
      },
      async (request, reply) => {
        const parsed = readUnsubscribeToken(request.query.token);
        if (!parsed) throw new AppError('TOKEN_INVALID');
        const kind = parsed.kind.replace(/[^a-z_]/g, '');
        const action = `/api/v1/unsubscribe?token=${encodeURIComponent(request.query.token)}`;
        return reply
          .type('text/html; charset=utf-8')
          .send(
            `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Unsubscribe</title>` +
              `<meta name="viewport" content="width=device-width, initial-scale=1"></head>` +
              `<body style="font-family: sans-serif; max-width: 32rem; margin: 3rem auto">` +
              `<h1>Stop “${kind.replace('_', ' ')}” mails?</h1>` +
              `<form method="post" action="${action.replace(/"/g, '&quot;')}">` +
              `<input type="hidden" name="List-Unsubscribe" value="One-Click">` +
              `<button type="submit">Unsubscribe</button></form>` +
              `<p>You can turn them on again in My Gavel.</p></body></html>`,
          );
      },
    );
  });
}
