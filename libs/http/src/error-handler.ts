/**
 * Turns whatever a request fails with into the one error envelope of the API, `{ error: { code, message } }`,
 * with codes from the MEDIA_AI_* catalogue: MediaAiError keeps its code and status, request
 * validation failures become MEDIA_AI_BAD_REQUEST (400), Fastify's own client errors keep their
 * status under a code of the catalogue, an unknown route is MEDIA_AI_ROUTE_NOT_FOUND, a request the
 * HTTP parser refuses (headers too large, not HTTP) gets the envelope too, and anything unexpected
 * is MEDIA_AI_INTERNAL (500).
 * Must never send an unexpected error's own message or stack to the client; those go to the log.
 */
import type { Socket } from 'node:net';
import { ERROR_CODES, MediaAiError, type ErrorCode } from '@media-ai/contracts';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export function errorBody(code: ErrorCode, message: string = ERROR_CODES[code].message): ErrorBody {
  return { error: { code, message } };
}

/** Fastify's client errors by status; a status not listed is MEDIA_AI_BAD_REQUEST with that status. */
const CLIENT_ERROR_CODES: Partial<Record<number, ErrorCode>> = {
  401: 'MEDIA_AI_UNAUTHORIZED',
  404: 'MEDIA_AI_ROUTE_NOT_FOUND',
  413: 'MEDIA_AI_BODY_TOO_LARGE',
  415: 'MEDIA_AI_UNSUPPORTED_MEDIA_TYPE',
  429: 'MEDIA_AI_RATE_LIMITED',
  431: 'MEDIA_AI_HEADERS_TOO_LARGE',
};

/** Fastify's own errors (FST_ERR_*) word themselves without request data: their message may go out. */
function isFastifyError(error: FastifyError): boolean {
  return typeof error.code === 'string' && error.code.startsWith('FST_');
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
    const code = CLIENT_ERROR_CODES[status] ?? 'MEDIA_AI_BAD_REQUEST';
    request.log.warn({ code, fastify_code: fastifyError.code }, 'request refused');
    return reply.status(status).send(errorBody(code, isFastifyError(fastifyError) ? fastifyError.message : undefined));
  }
  request.log.error({ error }, 'unexpected failure');
  return reply.status(500).send(errorBody('MEDIA_AI_INTERNAL'));
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = request.url.split('?')[0]!.slice(0, 200);
  return reply.status(404).send(errorBody('MEDIA_AI_ROUTE_NOT_FOUND', `No route ${request.method} ${path}`));
}

/**
 * Node's HTTP parser refused the request before Fastify saw it (Fastify's `clientErrorHandler`):
 * answered on the raw socket, in the API's envelope, then the connection is closed.
 */
export function handleClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, code, message]: [number, string, ErrorCode, string | undefined] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'MEDIA_AI_HEADERS_TOO_LARGE', undefined]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'MEDIA_AI_TIMEOUT', 'The request did not arrive in time']
        : [400, 'Bad Request', 'MEDIA_AI_BAD_REQUEST', 'The request is not valid HTTP'];
  const body = JSON.stringify(errorBody(code, message));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
