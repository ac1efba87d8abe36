/**
 * Turns whatever a route throws into the one error envelope of the API, `{ error: { code, message } }`,
 * with codes from the MEDIA_AI_* catalogue: MediaAiError keeps its code and status, request
 * validation failures become MEDIA_AI_BAD_REQUEST (400), anything unexpected MEDIA_AI_INTERNAL (500).
 * Must never send an unexpected error's own message or stack to the client; those go to the log.
 */
import { ERROR_CODES, MediaAiError, type ErrorCode } from '@media-ai/contracts';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export function errorBody(code: ErrorCode, message: string = ERROR_CODES[code].message): ErrorBody {
  return { error: { code, message } };
}

export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof MediaAiError) {
    const status = error.httpStatus;
    const log = status >= 500 ? request.log.error.bind(request.log) : request.log.warn.bind(request.log);
    log({ error, code: error.code, details: error.details }, 'request failed');
    return reply.status(status).send(errorBody(error.code, error.message));
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    return reply.status(400).send(errorBody('MEDIA_AI_BAD_REQUEST', fastifyError.message));
  }
  // Fastify's own client errors (malformed JSON, body too large, unsupported media type) keep
  // their status: a 413 or 415 tells the client more than a blanket 400.
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return reply.status(status).send(errorBody('MEDIA_AI_BAD_REQUEST', fastifyError.message));
  }
  request.log.error({ error }, 'unexpected failure');
  return reply.status(500).send(errorBody('MEDIA_AI_INTERNAL'));
}
