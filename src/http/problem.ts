import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorCode, errorCatalogue, toError } from '../error-catalogue.ts';
import { InvalidCursorError, StoreBusyError, StoreUnavailableError } from '../store/index.ts';

/** The RFC 9457 problem document for a catalogue code. */
export function problemDocument(code: ErrorCode, detail?: string, extra: Record<string, unknown> = {}) {
  const entry = errorCatalogue[code];
  return {
    type: `https://gavel.dev/errors/${code.toLowerCase().replaceAll('_', '-')}`,
    title: entry.title,
    status: entry.status,
    code,
    detail: detail ?? entry.title,
    ...extra,
  };
}

/** Sends an RFC 9457 problem document for a catalogue code. */
export function sendProblem(
  reply: FastifyReply,
  code: ErrorCode,
  detail?: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  return reply
    .code(errorCatalogue[code].status)
    .type('application/problem+json')
    .send(problemDocument(code, detail, extra));
}

/** Fastify's own 4xx errors, by their code, mapped onto the catalogue. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_BAD_URL: 'VALIDATION_FAILED',
  FST_ERR_ASYNC_CONSTRAINT: 'VALIDATION_FAILED',
};

/**
 * The one place where errors become HTTP answers. Every 4xx carries a
 * catalogue code; anything unrecognised is a 500 and is logged as a bug
 * (the property tests hunt for those).
 */
export function errorHandler(rawError: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (rawError instanceof AppError) return sendProblem(reply, rawError.code, rawError.message, rawError.extra);
  if (rawError instanceof InvalidCursorError) return sendProblem(reply, 'VALIDATION_FAILED', 'cursor is not valid');
  if (rawError instanceof StoreBusyError) {
    reply.header('retry-after', 1);
    return sendProblem(reply, 'SERVICE_UNAVAILABLE', 'Storage is busy; retry in a second');
  }
  if (rawError instanceof StoreUnavailableError) {
    // Nothing was acknowledged that is not committed; the node recovers by itself when storage is back.
    request.log.error({ err: rawError }, 'storage unavailable');
    reply.header('retry-after', 1);
    return sendProblem(reply, 'STORE_UNAVAILABLE', 'Storage is not answering; retry shortly');
  }
  const error = toError(rawError) as FastifyError;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'request';
    // A parameter the endpoint does not know is named in the detail (as Stripe does).
    const unknown = error.validation.flatMap((issue) =>
      issue.keyword === 'unrecognized_keys' ? ((issue.params as { keys?: string[] }).keys ?? []) : [],
    );
    const detail =
      where === 'querystring' && unknown.length > 0
        ? `Unknown query parameter${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`
        : `${where} is not valid`;
    return sendProblem(reply, 'VALIDATION_FAILED', detail, {
      errors: error.validation.map((issue) => ({
        in: where,
        path: issue.instancePath || '/',
        message: issue.message,
      })),
    });
  }
  const mapped = error.code ? fastifyCodes[error.code] : undefined;
  if (mapped) return sendProblem(reply, mapped, error.message);
  const status = error.statusCode ?? 500;
  if (error instanceof SyntaxError || (status >= 400 && status < 500)) {
    // JSON syntax errors and any other client error fastify raises.
    const code: ErrorCode =
      status === 404
        ? 'NOT_FOUND'
        : status === 413
          ? 'PAYLOAD_TOO_LARGE'
          : status === 415
            ? 'UNSUPPORTED_MEDIA_TYPE'
            : 'VALIDATION_FAILED';
    return sendProblem(reply, code, error.message);
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(reply, 'INTERNAL_ERROR', 'Something went wrong on our side');
}
