/**
 * POST /api/v1/match: the reference matcher over enrichments this service published. The body names a
 * post and its candidates by id (`{ post_id, candidate_post_ids, limit? }`); the answer ranks the
 * candidates by fused score, each with its signals and reasons (@media-ai/matching).
 *
 * Must never score a post it holds no enrichment for (404 MEDIA_AI_POST_NOT_FOUND names it), and never
 * answer with anything but what the enrichments publish.
 */
import type { FastifyInstance } from 'fastify';
import { MediaAiError, type PostEnhancedEvent } from '@media-ai/contracts';
import { matchProfileOf, rankMatches } from '@media-ai/matching';
import type { EmbeddedPipeline } from '../embedded/embedded-pipeline.js';

/** Candidates per request: 10,000 rank in well under a second (tools/match-eval.ts prints the time). */
export const MAX_MATCH_CANDIDATES = 10_000;

const errorResponse = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } },
} as const;

interface MatchBody {
  post_id: string;
  candidate_post_ids: string[];
  limit?: number;
}

export function registerMatchRoute(app: FastifyInstance, pipeline: Promise<EmbeddedPipeline>): void {
  app.post<{ Body: MatchBody }>(
    '/api/v1/match',
    {
      schema: {
        summary: 'Rank candidate posts for a post by the reference matcher, with the reasons for each score',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['post_id', 'candidate_post_ids'],
          properties: {
            post_id: { type: 'string', minLength: 1 },
            candidate_post_ids: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, maxItems: MAX_MATCH_CANDIDATES },
            limit: { type: 'integer', minimum: 1, maximum: 100 },
          },
        },
        response: { 400: errorResponse, 403: errorResponse, 404: errorResponse },
      },
    },
    async (request) => {
      const running = await pipeline;
      const enrichment = (postId: string): PostEnhancedEvent => {
        const event = running.enrichmentOf(postId);
        if (event?.event_type !== 'post.enhanced') {
          throw new MediaAiError('MEDIA_AI_POST_NOT_FOUND', `No enrichment for post ${postId}`, { details: { post_id: postId } });
        }
        return event;
      };
      const { post_id: postId, candidate_post_ids: candidateIds, limit = 10 } = request.body;
      const query = matchProfileOf(enrichment(postId));
      const candidates = [...new Set(candidateIds)].map((id) => matchProfileOf(enrichment(id)));
      return { post_id: postId, matches: rankMatches(query, candidates, { limit }) };
    },
  );
}
