import { newId } from '../../ids.ts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../error-catalogue.ts';
import type { UserRecord } from '../../store/index.ts';
import { hashToken, newToken } from '../auth.ts';
import type { RouteContext } from '../context.ts';
import { hashPassword, unknownUserHash, verifyPassword } from '../passwords.ts';
import { createSessionBody, createUserBody, problem, user } from '../schemas.ts';

export function userView(record: UserRecord) {
  return {
    id: record.id,
    username: record.username,
    displayName: record.displayName,
    createdAt: new Date(record.createdAt).toISOString(),
  };
}

/** Sign-up, log-in (sessions), log-out and `GET /me`. */
export function userRoutes(app: FastifyInstance, ctx: RouteContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/v1/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Sign up',
        body: createUserBody,
        response: { 201: z.object({ user }), 400: problem, 409: problem },
      },
    },
    async (request, reply) => {
      const { username, password, displayName } = request.body;
      const record: UserRecord = {
        id: newId(),
        username,
        displayName: displayName ?? username,
        passwordHash: await hashPassword(password, ctx.scryptCost),
        createdAt: ctx.clock.now(),
      };
      if ((await ctx.store.insertUser(record)) === 'username_taken') throw new AppError('USERNAME_TAKEN');
      return reply.code(201).send({ user: userView(record) });
    },
  );

  r.post(
    '/api/v1/sessions',
    {
      schema: {
        tags: ['users'],
        summary: 'Log in: get a bearer token',
        body: createSessionBody,
        response: {
          201: z.object({ token: z.string(), expiresAt: z.string(), user }),
          400: problem,
          401: problem,
        },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const record = await ctx.store.findUserByUsername(username);
      // Verify against a dummy hash for unknown users so response time does not reveal who exists.
      const ok = await verifyPassword(password, record?.passwordHash ?? unknownUserHash(ctx.scryptCost));
      if (!record || !ok) throw new AppError('INVALID_CREDENTIALS');
      const token = newToken();
      const now = ctx.clock.now();
      const expiresAt = now + ctx.sessionTtlMs;
      await ctx.store.insertSession({ tokenHash: hashToken(token), userId: record.id, createdAt: now, expiresAt });
      return reply.code(201).send({ token, expiresAt: new Date(expiresAt).toISOString(), user: userView(record) });
    },
  );

  r.delete(
    '/api/v1/sessions/current',
    {
      onRequest: ctx.auth.required,
      schema: {
        tags: ['users'],
        summary: 'Log out: revoke the bearer token of this request',
        security: [{ bearer: [] }],
        response: { 204: z.null(), 401: problem },
      },
    },
    async (request, reply) => {
      await ctx.auth.requireUserId(request);
      const tokenHash = ctx.auth.tokenHashOf(request)!;
      await ctx.store.deleteSession(tokenHash);
      ctx.auth.forget(request);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/v1/me',
    {
      onRequest: ctx.auth.required,
      schema: {
        tags: ['users'],
        summary: 'The user of the bearer token',
        security: [{ bearer: [] }],
        response: { 200: z.object({ user }), 401: problem },
      },
    },
    async (request) => {
      const userId = await ctx.auth.requireUserId(request);
      const record = (await ctx.store.findUsersByIds([userId])).get(userId);
      if (!record) throw new AppError('UNAUTHENTICATED');
      return { user: userView(record) };
    },
  );
}
