import { TOPICS, type PostEnhancedEvent, type ReviewDecisionRecord } from '@media-ai/contracts';
import type { InboundRecord } from '@media-ai/stream';
import { describe, expect, it } from 'vitest';
import { NO_TENANT, ReviewQueue } from './review-queue.js';

const ENRICHMENT = 'media-ai.enrichment';
const T0 = Date.parse('2026-01-05T10:00:00Z');

/**
 * The fields of a post.enhanced the queue reads (post, organization, photos, tags, time); the rest of
 * the event is fusion's business, covered by libs/enrich and the route and browser tests.
 */
function enrichment(postId: string, organizationId: string | null, at: number): PostEnhancedEvent {
  return {
    id: `${postId}-1`,
    event_type: 'post.enhanced',
    timestamp: new Date(at).toISOString(),
    version: 1,
    data: {
      post_id: postId,
      revision: 1,
      original_post: { id: postId, title: 'Lost backpack', organization_id: organizationId, photos: [{ id: `${postId}-photo` }] },
      tag_grades: [{ tag: 'backpack', category: 'object', confidence: 0.55, tier: 'human_review', sources: ['detector'], evidence: [] }],
    },
  } as unknown as PostEnhancedEvent;
}

const record = (topic: string, value: unknown): InboundRecord => ({
  topic,
  partition: 0,
  offset: '0',
  key: null,
  value,
  headers: {},
  timestamp: 0,
});

describe('ReviewQueue', () => {
  it('keeps at most maxPosts posts and maxDecisions decisions, the least recent going first', async () => {
    const queue = new ReviewQueue({ enrichmentTopic: ENRICHMENT, maxPosts: 2, maxDecisions: 3 });
    const stage = queue.asStage();
    for (const id of ['a', 'b', 'c']) {
      await stage.handle(record(TOPICS.photos, { post_id: id, photo_id: `${id}-photo` }), { signal: new AbortController().signal });
    }
    expect(queue.postCount).toBe(2);
    for (let i = 0; i < 5; i += 1) {
      await stage.handle(record(TOPICS.reviews, { decision_id: String(i), tenant: 'org' } as ReviewDecisionRecord), {
        signal: new AbortController().signal,
      });
    }
    expect(queue.decisionCount).toBe(3);
    expect(queue.decisionsOf('org').map((d) => d.decision_id)).toEqual(['2', '3', '4']);
    expect(queue.decisionsOf('other')).toEqual([]);
  });

  it('shows a post to its tenant only, forgets it on deletion, and never shows a forgotten one again', async () => {
    const forgotten = new Set<string>();
    const queue = new ReviewQueue({ enrichmentTopic: ENRICHMENT, isForgotten: (id) => forgotten.has(id) });
    const stage = queue.asStage();
    const ctx = { signal: new AbortController().signal };
    await stage.handle(record(ENRICHMENT, enrichment('p1', 'org-1', T0)), ctx);
    await stage.handle(record(ENRICHMENT, enrichment('p2', null, T0 + 1)), ctx);
    expect(queue.list({ tenant: 'org-1' }).map((e) => e.post_id)).toEqual(['p1']);
    expect(queue.list({ tenant: NO_TENANT }).map((e) => e.post_id)).toEqual(['p2']);
    expect(queue.entry('p1', 'org-2')).toBeUndefined();
    expect(queue.list({ tenant: 'org-1', item: 'phone' })).toEqual([]);
    expect(queue.list({ tenant: 'org-1', tier: 'suggest' })).toEqual([]);
    expect(queue.list({ tenant: 'org-1', tier: 'human_review', item: 'backpack' })).toHaveLength(1);

    await stage.handle(record(TOPICS.posts, { post_id: 'p1', event_type: 'post.deleted' }), ctx);
    expect(queue.entry('p1', 'org-1')).toBeUndefined();
    // The aggregator's enrichment published just before the deletion, arriving after it.
    forgotten.add('p1');
    await stage.handle(record(ENRICHMENT, enrichment('p1', 'org-1', T0)), ctx);
    expect(queue.list({ tenant: 'org-1' })).toEqual([]);
  });
});
