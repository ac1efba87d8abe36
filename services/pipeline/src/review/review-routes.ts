/**
 * The review desk's routes under /review, on `media-ai serve` only (stage services have no desk):
 * - GET  /review: the page (an HTML shell; the app is /review/assets/desk.js, its style desk.css);
 * - POST /review/api/session {token}: signs a reviewer in (session cookie); GET: who is signed in and
 *   the session's CSRF token; DELETE: signs out;
 * - GET  /review/api/queue?tier=&item=: the reviewer's tenant's posts with tags waiting, newest first;
 * - GET  /review/api/items: the taxonomy items a tag may be corrected to;
 * - GET  /review/api/posts/{post_id}/photos/{photo_id}: the photo, faces blurred (photoForRelease);
 * - POST /review/api/decisions {post_id, revision, tag, action, corrected_to?}: a decision, published
 *   on media-ai.reviews (the aggregator publishes the post's next revision from it);
 * - GET  /review/api/decisions: the tenant's decisions held (what the eval reads).
 *
 * Security: the desk is off (404) without MEDIA_AI_REVIEW_TOKENS. Every /review route but the page,
 * its assets and sign-in needs a session (401 otherwise); every state change needs the session's CSRF
 * token in x-csrf-token (403 otherwise) and a JSON body (a cross-site form cannot send one); a
 * reviewer sees and decides on their tenant's posts only (another tenant's post answers 404, as if it
 * did not exist). Each reviewer (or address, before signing in) is rate limited; every answer carries
 * a strict Content-Security-Policy (no inline script or style, nothing from another origin). Each
 * decision writes one audit log line: who, what, when; never photo content or text read off it.
 * The API's bearer tokens do not apply here (the routes are `public` to that check): the desk's own
 * session does.
 */
import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
// Brings app.createRateLimit (decorated by libs/http's rate limits) into FastifyInstance's type.
import type {} from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LOST_AND_FOUND_ITEMS, MediaAiError, type ReviewAction, type ReviewDecisionRecord } from '@media-ai/contracts';
import { isCorrectableItem } from '@media-ai/enrich';
import type { BlobStore } from '@media-ai/storage';
import { photoForRelease } from '@media-ai/vision';
import type { DeskAssets } from './desk-assets.js';
import type { ReviewQueue } from './review-queue.js';
import { sameSecret, type ReviewSession, type ReviewSessions } from './review-sessions.js';

/** What the desk needs of the running pipeline. */
export interface ReviewBackend {
  queue: ReviewQueue;
  blobs: BlobStore;
  /** Publishes the decision on media-ai.reviews. */
  publish(decision: ReviewDecisionRecord): Promise<void>;
}

export interface ReviewRoutesOptions {
  /** The backend, or the pipeline's start-up (routes are declared before the stages run). */
  backend: ReviewBackend | Promise<ReviewBackend>;
  sessions: ReviewSessions;
  /** Loads the page's script and style (built by `npm run build:desk`); called once, only when the desk is on. */
  assets: () => Promise<DeskAssets>;
  /** Secure cookie (production: the desk is behind TLS). */
  secureCookie: boolean;
  /** Requests per reviewer (or address) per minute. */
  ratePerMinute: number;
  clock?: () => number;
}

export const SESSION_COOKIE = 'media_ai_review';
export const CSRF_HEADER = 'x-csrf-token';

/** Nothing inline, nothing from elsewhere; photos are same-origin. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Review desk · media-ai</title>
<link rel="stylesheet" href="/review/assets/desk.css">
<script type="module" src="/review/assets/desk.js"></script>
</head>
<body>
<noscript>The review desk needs JavaScript.</noscript>
<div id="desk"></div>
</body>
</html>
`;

const ACTIONS: readonly ReviewAction[] = ['accept', 'reject', 'correct'];

declare module 'fastify' {
  interface FastifyRequest {
    /** The reviewer's session on /review routes; null when signed out. */
    reviewSession: ReviewSession | null;
  }
}

export async function registerReviewRoutes(app: FastifyInstance, options: ReviewRoutesOptions): Promise<void> {
  const { sessions } = options;
  if (!sessions.enabled) return; // the desk is off: /review is an unknown route
  const backend = Promise.resolve(options.backend);
  backend.catch(() => undefined);
  const assets = options.assets();
  assets.catch(() => undefined);
  const clock = options.clock ?? Date.now;
  const limiter = app.createRateLimit({
    max: options.ratePerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `review:${request.reviewSession ? `reviewer:${request.reviewSession.reviewer}` : `address:${request.ip}`}`,
  });

  await app.register(async (desk) => {
    await desk.register(cookie);
    desk.decorateRequest('reviewSession', null);
    desk.addHook('onRequest', async (request, reply) => {
      reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('x-frame-options', 'DENY');
      reply.header('referrer-policy', 'no-referrer');
      reply.header('cache-control', 'no-store');
      request.reviewSession = sessions.find(request.cookies[SESSION_COOKIE]);
      if (request.reviewSession) {
        request.log = request.log.child({ reviewer: request.reviewSession.reviewer, tenant: request.reviewSession.tenant });
        reply.log = request.log;
      }
      let limit: Awaited<ReturnType<typeof limiter>>;
      try {
        limit = await limiter(request);
      } catch (error) {
        // As the API's limits: a count that cannot be kept refuses the request rather than letting it through.
        throw new MediaAiError('MEDIA_AI_STATE_UNAVAILABLE', 'The rate-limit store (Redis) failed', { cause: error });
      }
      if (!limit.isAllowed && limit.isExceeded) {
        reply.header('retry-after', limit.ttlInSeconds);
        throw new MediaAiError('MEDIA_AI_RATE_LIMITED', `More than ${limit.max} requests per minute; retry in ${limit.ttlInSeconds} s`);
      }
    });

    /** The session, or 401; for a state change also its CSRF token, or 403. */
    function reviewer(request: FastifyRequest, change = false): ReviewSession {
      const session = request.reviewSession;
      if (!session) throw new MediaAiError('MEDIA_AI_REVIEW_SIGN_IN_REQUIRED');
      const sent = request.headers[CSRF_HEADER];
      if (change && (typeof sent !== 'string' || !sameSecret(sent, session.csrf))) throw new MediaAiError('MEDIA_AI_CSRF_REJECTED');
      return session;
    }

    const routeConfig = { config: { public: true }, schema: { hide: true } };

    desk.get('/review', routeConfig, async (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
    desk.get('/review/assets/desk.js', routeConfig, async (_request, reply) =>
      reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send((await assets).js),
    );
    desk.get('/review/assets/desk.css', routeConfig, async (_request, reply) =>
      reply
        .type('text/css; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send((await assets).css),
    );

    const sessionView = (s: ReviewSession) => ({ reviewer: s.reviewer, tenant: s.tenant, csrf_token: s.csrf });

    desk.post<{ Body: { token: string } }>(
      '/review/api/session',
      {
        ...routeConfig,
        schema: {
          hide: true,
          body: {
            type: 'object',
            required: ['token'],
            additionalProperties: false,
            properties: { token: { type: 'string', minLength: 1, maxLength: 256 } },
          },
        },
      },
      async (request, reply) => {
        const session = sessions.signIn(request.body.token);
        if (!session) {
          request.log.warn({ audit: 'review.sign_in_refused' }, 'review desk: sign-in refused');
          throw new MediaAiError('MEDIA_AI_UNAUTHORIZED', 'The reviewer token is not valid');
        }
        request.log.info({ audit: 'review.sign_in', reviewer: session.reviewer, tenant: session.tenant }, 'review desk: signed in');
        reply.setCookie(SESSION_COOKIE, session.id, {
          path: '/review',
          httpOnly: true,
          sameSite: 'strict',
          secure: options.secureCookie,
          expires: new Date(session.expiresAt),
        });
        return sessionView(session);
      },
    );
    desk.get('/review/api/session', routeConfig, async (request) => sessionView(reviewer(request)));
    desk.delete('/review/api/session', routeConfig, async (request, reply) => {
      const session = reviewer(request, true);
      sessions.signOut(session.id);
      reply.clearCookie(SESSION_COOKIE, { path: '/review' });
      return reply.code(204).send();
    });

    desk.get('/review/api/items', routeConfig, async (request) => {
      reviewer(request);
      return { items: LOST_AND_FOUND_ITEMS.map((i) => i.tag).sort() };
    });

    desk.get<{ Querystring: { tier?: string; item?: string } }>(
      '/review/api/queue',
      {
        ...routeConfig,
        schema: {
          hide: true,
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { tier: { type: 'string', enum: ['suggest', 'human_review'] }, item: { type: 'string', maxLength: 64 } },
          },
        },
      },
      async (request) => {
        const session = reviewer(request);
        const { queue } = await backend;
        return { posts: queue.list({ tenant: session.tenant, ...request.query }) };
      },
    );

    desk.get<{ Params: { post_id: string; photo_id: string } }>(
      '/review/api/posts/:post_id/photos/:photo_id',
      routeConfig,
      async (request, reply: FastifyReply) => {
        const session = reviewer(request);
        const { queue, blobs } = await backend;
        const photo = queue.photo(request.params.post_id, request.params.photo_id, session.tenant);
        if (!photo) throw new MediaAiError('MEDIA_AI_POST_NOT_FOUND', 'No such photo in a post of this tenant');
        // The one exit path of a stored photo: faces blurred, or nothing when nobody looked for faces.
        const jpeg = await photoForRelease(await blobs.get(photo.blob_key), photo.faces);
        return reply.type('image/jpeg').header('cache-control', 'private, no-store').send(jpeg);
      },
    );

    desk.post<{ Body: { post_id: string; revision: number; tag: string; action: ReviewAction; corrected_to?: string | null } }>(
      '/review/api/decisions',
      {
        ...routeConfig,
        schema: {
          hide: true,
          body: {
            type: 'object',
            required: ['post_id', 'revision', 'tag', 'action'],
            additionalProperties: false,
            properties: {
              post_id: { type: 'string', minLength: 1, maxLength: 128 },
              revision: { type: 'integer', minimum: 0, maximum: 2_147_483_647 },
              tag: { type: 'string', minLength: 1, maxLength: 64 },
              action: { type: 'string', enum: [...ACTIONS] },
              corrected_to: { type: ['string', 'null'], maxLength: 64 },
            },
          },
        },
      },
      async (request, reply) => {
        const session = reviewer(request, true);
        const body = request.body;
        const { queue, publish } = await backend;
        const entry = queue.entry(body.post_id, session.tenant);
        // Another tenant's post, a deleted one and one never seen look alike: no such post.
        if (!entry) throw new MediaAiError('MEDIA_AI_POST_NOT_FOUND', 'No such post waiting for review in this tenant');
        const grade = entry.tags.find((t) => t.tag === body.tag);
        if (!grade?.reviewable || body.revision > entry.revision) throw new MediaAiError('MEDIA_AI_TAG_NOT_REVIEWABLE');
        const correctedTo = body.action === 'correct' ? (body.corrected_to ?? null) : null;
        if (body.action === 'correct' && !(correctedTo && isCorrectableItem(correctedTo))) {
          throw new MediaAiError('MEDIA_AI_BAD_REQUEST', 'A correction names an item of /review/api/items');
        }
        const decision: ReviewDecisionRecord = {
          decision_id: randomUUID(),
          post_id: entry.post_id,
          revision: body.revision,
          tenant: session.tenant,
          reviewer: session.reviewer,
          decided_at: clock(),
          tag: grade.tag,
          tier: grade.tier,
          confidence: grade.confidence,
          action: body.action,
          corrected_to: correctedTo,
        };
        await publish(decision);
        // The audit line: who, what, when. Tags are taxonomy items, never text read off a photo.
        request.log.info(
          {
            audit: 'review.decision',
            decision_id: decision.decision_id,
            reviewer: decision.reviewer,
            tenant: decision.tenant,
            post_id: decision.post_id,
            revision: decision.revision,
            tag: decision.tag,
            tier: decision.tier,
            action: decision.action,
            corrected_to: decision.corrected_to,
            decided_at: new Date(decision.decided_at).toISOString(),
          },
          'review decision',
        );
        return reply.code(202).send({ decision_id: decision.decision_id, status: 'published' });
      },
    );

    desk.get('/review/api/decisions', routeConfig, async (request) => {
      const session = reviewer(request);
      const { queue } = await backend;
      return { decisions: queue.decisionsOf(session.tenant) };
    });
  });
}
