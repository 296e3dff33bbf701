import { mkdirSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../error-catalogue.ts';
import { newId } from '../../ids.ts';
import { SESSION_SECURITY } from '../auth.ts';
import type { RouteContext } from '../context.ts';
import { refuseWithRateLimit } from '../limits/index.ts';
import { SIGNED_IN_CHANGE_ERRORS, ok, problems } from '../openapi.ts';
import { UPLOAD_NAME } from '../schemas.ts';

const DAY = 24 * 3600_000;

/** Largest accepted image, bytes. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

const kinds = {
  jpg: { type: 'image/jpeg', matches: (b: Buffer) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  png: {
    type: 'image/png',
    matches: (b: Buffer) =>
      b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  webp: {
    type: 'image/webp',
    matches: (b: Buffer) =>
      b.length > 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP',
  },
} as const;
type Kind = keyof typeof kinds;

/**
 * Item pictures: `POST /api/v1/uploads` (auth) takes the raw bytes of a JPEG,
 * PNG or WebP image (checked by content, not by the declared type), at most
 * 5 MiB, stores it under the data directory and answers its URL.
 * `GET /uploads/:name` serves it only ever as that image type, with nosniff
 * and a sandboxing CSP, so an upload can never be served as a page or script.
 */
export function uploadRoutes(app: FastifyInstance, ctx: RouteContext, uploadsDir: string) {
  mkdirSync(uploadsDir, { recursive: true });

  // An encapsulated scope: the image body parser exists for this route only (JSON routes still answer 415).
  void app.register(async (scope) => {
    scope.addContentTypeParser(
      ['image/jpeg', 'image/png', 'image/webp'],
      { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES },
      (_request, body, done) => done(null, body),
    );
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/uploads',
      {
        onRequest: ctx.auth.required,
        bodyLimit: MAX_UPLOAD_BYTES,
        schema: {
          operationId: 'uploadPicture',
          tags: ['Uploads'],
          summary: 'Upload an item picture',
          description:
            'The raw bytes of a JPEG, PNG or WebP image (checked by content), at most 5 MiB, 50 per user per day. ' +
            'Give the answered `url` as an item’s picture; one that no auction or inventory item of yours uses ' +
            'within 24 hours is deleted.',
          security: SESSION_SECURITY,
          consumes: ['image/jpeg', 'image/png', 'image/webp'],
          // Documents the body only: the handler checks the bytes (a missing body is 415, as the contract says).
          body: z.any().meta({ type: 'string', contentMediaType: 'image/*', description: 'The image file’s bytes' }),
          response: {
            201: ok(
              'Stored: the picture’s URL',
              z.object({ url: z.string().describe('/uploads/<name>, served by this server') }),
            ),
            ...problems(
              'VALIDATION_FAILED',
              ...SIGNED_IN_CHANGE_ERRORS,
              'PAYLOAD_TOO_LARGE',
              'UNSUPPORTED_MEDIA_TYPE',
              'RATE_LIMITED',
            ),
          },
        },
      },
      async (request, reply) => {
        const userId = await ctx.auth.requireUserId(request);
        const body = request.body;
        if (!Buffer.isBuffer(body) || body.length === 0)
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the image bytes as image/jpeg, image/png or image/webp');
        const kind = (Object.keys(kinds) as Kind[]).find((k) => kinds[k].matches(body));
        if (!kind) throw new AppError('VALIDATION_FAILED', 'The body is not a JPEG, PNG or WebP image');
        const now = ctx.clock.now();
        if (ctx.limits.enabled) {
          const max = ctx.limits.uploadsPerUserPerDay;
          if ((await ctx.store.countUploadsSince(userId, now - DAY)) >= max)
            throw refuseWithRateLimit(reply, max, 3600);
        }
        const name = `${newId()}.${kind}`;
        // The row first, then the file: a file never exists without a row, so the sweep finds every orphan.
        await ctx.store.insertUpload({ name, userId, bytes: body.length, createdAt: now });
        await fs.writeFile(join(uploadsDir, name), body, { flag: 'wx' });
        return reply.code(201).send({ url: `/uploads/${name}` });
      },
    );
  });

  app.get('/uploads/:name', { schema: { hide: true } }, async (request, reply) => {
    const { name } = request.params as { name: string };
    if (!UPLOAD_NAME.test(name)) throw new AppError('NOT_FOUND', 'No such upload');
    let data: Buffer;
    try {
      data = await fs.readFile(join(uploadsDir, name));
    } catch {
      throw new AppError('NOT_FOUND', 'No such upload');
    }
    const kind = name.slice(name.lastIndexOf('.') + 1) as Kind;
    return reply
      .type(kinds[kind].type)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(data);
  });
}
