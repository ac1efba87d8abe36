/**
 * Who is calling: API tokens sent as `Authorization: Bearer <token>`, each with a name that the
 * request's log lines and its rate-limit key carry. Routes whose config says `public: true` (probes,
 * metrics) answer everyone; every other route needs a valid token once tokens are configured, and
 * answers everyone while none are (development; production refuses to serve without tokens).
 * Must never log, echo or store a presented token, and never compare one in a time that depends on
 * where it differs from a known one.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { MediaAiError } from '@media-ai/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** One caller of the API (MEDIA_AI_API_TOKENS). */
export interface ApiToken {
  name: string;
  token: string;
}

/** A caller that presented a valid token. */
export interface ApiClient {
  name: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answers without a token and is not rate limited: probes and metrics, which are cheap and say nothing private. */
    public?: boolean;
  }
  interface FastifyRequest {
    /** The caller's token name; null when it presented no valid token (or the API has no tokens). */
    apiClient: ApiClient | null;
  }
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export function isPublicRoute(request: FastifyRequest): boolean {
  return request.routeOptions.config?.public === true;
}

/** Adds the caller check to every route of `app` (call it before declaring routes). */
export function registerApiAccess(app: FastifyInstance, tokens: readonly ApiToken[]): void {
  // Digests have one length, so each comparison takes the same time; every known token is
  // compared, so neither which one matched nor how many there are shows in the timing.
  const known = tokens.map((t) => ({ name: t.name, digest: digest(t.token) }));

  function identify(header: string | undefined): ApiClient | null {
    const presented = header ? BEARER.exec(header)?.[1] : undefined;
    if (!presented || known.length === 0) return null;
    const candidate = digest(presented);
    let match: string | null = null;
    for (const entry of known) {
      if (timingSafeEqual(candidate, entry.digest)) match = entry.name;
    }
    return match === null ? null : { name: match };
  }

  app.decorateRequest('apiClient', null);
  app.addHook('onRequest', async (request, reply) => {
    const client = identify(request.headers.authorization);
    request.apiClient = client;
    if (client) {
      // Every later line of this request says who asked (the reply's logger writes "request completed").
      request.log = request.log.child({ api_client: client.name });
      reply.log = request.log;
      return;
    }
    if (known.length === 0 || isPublicRoute(request)) return;
    reply.header('www-authenticate', 'Bearer realm="media-ai"');
    throw new MediaAiError(
      'MEDIA_AI_UNAUTHORIZED',
      request.headers.authorization
        ? 'The API token is not valid'
        : 'A valid API token is required: send it as `Authorization: Bearer <token>`',
    );
  });
}
