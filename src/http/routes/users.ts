import { newId } from '../../ids.ts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../error-catalogue.ts';
import type { NewUserRecord } from '../../store/index.ts';
import {
  SESSION_COOKIE,
  SESSION_SECURITY,
  clearSessionCookie,
  hashToken,
  newToken,
  setSessionCookie,
} from '../auth.ts';
import type { RouteContext } from '../context.ts';
import { addressKey, refuseWithRateLimit } from '../limits/index.ts';
import { hashPassword, unknownUserHash, verifyPassword } from '../passwords.ts';
import { publicUserView } from '../public-user.ts';
import { JSON_BODY_ERRORS, SIGNED_IN_CHANGE_ERRORS, noContent, ok, problems } from '../openapi.ts';
import { createSessionBody, createUserBody, publicUser, user, userParams } from '../schemas.ts';
import { sessionExample } from '../schema-examples.ts';

/** The answer of a log-in. */
const session = z
  .object({
    token: z.string().describe('Send as `Authorization: Bearer <token>`'),
    expiresAt: z.string().describe('ISO 8601 UTC with milliseconds'),
    user,
  })
  .meta({ id: 'Session', examples: [sessionExample] });

/** The user's own view, for that user only: it carries the login username (others get `publicUserView`). */
export function userView(record: NewUserRecord & { email?: string | null }) {
  const email = record.email ?? null;
  return {
    id: record.id,
    username: record.username,
    displayName: record.displayName,
    createdAt: new Date(record.createdAt).toISOString(),
    email,
    emailVerified: email !== null,
  };
}

/** Sign-up, public profiles, log-in (sessions), who is signed in, log-out and `GET /me`. */
export function userRoutes(app: FastifyInstance, ctx: RouteContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/v1/users',
    {
      config: ctx.rateLimits.signUp,
      schema: {
        operationId: 'signUp',
        tags: ['Users'],
        summary: 'Sign up',
        description: 'Then log in with POST /api/v1/sessions. Limited per client address (429 RATE_LIMITED).',
        body: createUserBody,
        response: {
          201: ok('Signed up: the new user’s own view', z.object({ user })),
          ...problems(...JSON_BODY_ERRORS, 'USERNAME_TAKEN', 'RATE_LIMITED'),
        },
      },
    },
    async (request, reply) => {
      const { username, password, displayName } = request.body;
      const record: NewUserRecord = {
        id: newId(),
        username,
        displayName: displayName ?? username,
        passwordHash: await hashWithinLimits(ctx, reply, password),
        createdAt: ctx.clock.now(),
      };
      if ((await ctx.store.insertUser(record)) === 'username_taken') throw new AppError('USERNAME_TAKEN');
      return reply.code(201).send({ user: userView(record) });
    },
  );

  r.get(
    '/api/v1/users/:id',
    {
      schema: {
        operationId: 'getUser',
        tags: ['Users'],
        summary: 'A user’s public profile',
        description: 'Bidder and seller names, with a tag that tells two people of the same display name apart.',
        params: userParams,
        response: {
          200: ok('The public profile', z.object({ user: publicUser })),
          ...problems('VALIDATION_FAILED', 'USER_NOT_FOUND'),
        },
      },
    },
    async (request) => {
      const record = (await ctx.store.findUsersByIds([request.params.id])).get(request.params.id);
      if (!record) throw new AppError('USER_NOT_FOUND');
      return { user: publicUserView(record) };
    },
  );

  r.post(
    '/api/v1/sessions',
    {
      schema: {
        operationId: 'logIn',
        tags: ['Sessions'],
        summary: 'Log in',
        description:
          `Answers a bearer token, also set as the HttpOnly cookie \`${SESSION_COOKIE}\` for browsers. Failed ` +
          'attempts are limited per username and per client address (429 RATE_LIMITED), counted the same way for ' +
          'usernames that do not exist.',
        body: createSessionBody,
        response: {
          201: ok('Logged in', session),
          ...problems(...JSON_BODY_ERRORS, 'INVALID_CREDENTIALS', 'RATE_LIMITED'),
        },
      },
    },
    async (request, reply) => {
      // A token must never be kept by a cache between the client and us.
      reply.header('cache-control', 'no-store');
      const { username, password } = request.body;
      await ctx.loginThrottle.check(request, reply);
      const record = await ctx.store.findUserByUsername(username);
      const checked = await ctx.passwordWork.run(async () => {
        // Again inside the slot: attempts that queued behind others are refused without hashing.
        await ctx.loginThrottle.check(request, reply);
        // Verify against a dummy hash for unknown users so response time does not reveal who exists.
        return verifyPassword(
          password,
          record?.passwordHash ?? unknownUserHash(ctx.scryptCost),
          ctx.passwordThread.derive,
        );
      }, addressKey(request.ip));
      if (checked === null) throw refuseWithRateLimit(reply, 1, 1);
      if (!record || !checked.value) {
        await ctx.loginThrottle.recordFailure(request);
        throw new AppError('INVALID_CREDENTIALS');
      }
      const token = newToken();
      const now = ctx.clock.now();
      const expiresAt = now + ctx.sessionTtlMs;
      await ctx.store.insertSession({ tokenHash: hashToken(token), userId: record.id, createdAt: now, expiresAt });
      setSessionCookie(reply, token, ctx.sessionTtlMs);
      return reply.code(201).send({ token, expiresAt: new Date(expiresAt).toISOString(), user: userView(record) });
    },
  );

  r.delete(
    '/api/v1/sessions/current',
    {
      onRequest: ctx.auth.required,
      schema: {
        operationId: 'logOut',
        tags: ['Sessions'],
        summary: 'Log out',
        description:
          'Ends the session of this request (bearer token or cookie, however the header is spelled) and clears the cookie.',
        security: SESSION_SECURITY,
        response: {
          204: noContent('Logged out'),
          ...problems('VALIDATION_FAILED', ...SIGNED_IN_CHANGE_ERRORS),
        },
      },
    },
    async (request, reply) => {
      await ctx.auth.revoke(request);
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  r.delete(
    '/api/v1/sessions',
    {
      onRequest: ctx.auth.required,
      schema: {
        operationId: 'logOutEverywhere',
        tags: ['Sessions'],
        summary: 'Log out everywhere',
        description: 'Ends every session of this user: refused at once on this node, within 5 s on every other.',
        security: SESSION_SECURITY,
        response: {
          204: noContent('Every session ended'),
          ...problems('VALIDATION_FAILED', ...SIGNED_IN_CHANGE_ERRORS),
        },
      },
    },
    async (request, reply) => {
      await ctx.auth.revokeAll(request);
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/v1/me',
    {
      onRequest: ctx.auth.required,
      schema: {
        operationId: 'getMe',
        tags: ['Users'],
        summary: 'The user of this session',
        security: SESSION_SECURITY,
        response: {
          200: ok('The signed-in user’s own view', z.object({ user })),
          ...problems('VALIDATION_FAILED', 'UNAUTHENTICATED'),
        },
      },
    },
    async (request) => {
      const userId = await ctx.auth.requireUserId(request);
      const record = (await ctx.store.findUsersByIds([userId])).get(userId);
      if (!record) throw new AppError('UNAUTHENTICATED');
      return { user: userView(record) };
    },
  );

  r.get(
    '/api/v1/sessions/current',
    {
      schema: {
        operationId: 'getCurrentSession',
        tags: ['Sessions'],
        summary: 'Who is signed in',
        description:
          'The user of this request’s session (null when nobody is signed in) and whether they may moderate. ' +
          'Never 401, so a page can ask whether anyone is signed in without logging a failed request.',
        // Optional: with a session the answer names its user; without one it is still 200.
        security: [...SESSION_SECURITY, {}],
        response: {
          200: ok(
            'Who is signed in',
            z
              .object({ user: user.nullable(), moderator: z.boolean() })
              .meta({ id: 'SessionState', examples: [{ user: sessionExample.user, moderator: false }] }),
          ),
          ...problems('VALIDATION_FAILED'),
        },
      },
    },
    async (request, reply) => {
      // Per-session answer: no cache between the browser and us may keep it for someone else.
      reply.header('cache-control', 'no-store');
      const userId = await ctx.auth.userIdOf(request);
      const record = userId === null ? undefined : (await ctx.store.findUsersByIds([userId])).get(userId);
      if (!record) return { user: null, moderator: false };
      return { user: userView(record), moderator: ctx.moderators.has(record.username) };
    },
  );
}

/** Sign-up's password hash, within the node's password work limit (429 when its queue is full). */
export async function hashWithinLimits(ctx: RouteContext, reply: FastifyReply, password: string): Promise<string> {
  const hashed = await ctx.passwordWork.run(
    () => hashPassword(password, ctx.scryptCost, ctx.passwordThread.derive),
    addressKey(reply.request.ip),
  );
  if (hashed === null) throw refuseWithRateLimit(reply, 1, 1);
  return hashed.value;
}
