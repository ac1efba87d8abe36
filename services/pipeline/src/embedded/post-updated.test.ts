/**
 * End to end through the embedded pipeline with the llm stage on (against the OpenAI-compatible
 * stand-in, a real HTTP server on 127.0.0.1): the lifecycle of one post from the platform's examples.
 * post.created publishes revision 1; a post.updated of the title and description publishes a revision
 * of its own whose description is the llm's answer to a second call that carried the new text, with
 * the detector's and OCR's results reused (no model ran again); updates of other fields, replays and
 * the resolution publish nothing new (the resolution forgets the post).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPostEvent, TOPICS, validatePostEnhanced, type PostEnhancedEvent } from '@media-ai/contracts';
import { enrichmentEventId } from '@media-ai/enrich';
import { revisionOf } from '@media-ai/fetcher-service';
import { DESCRIBES_EVERY_PHOTO, VALID_ANSWER } from '@media-ai/llm-service/test-support';
import { OpenAiStandIn } from '@media-ai/openai/test-support';
import type { StageEvent } from '@media-ai/stream';
import type { MediaAiMetrics } from '@media-ai/telemetry';
import { contractExample, photoUrl, setPostId, testEnv, testRuntime, withPhotos, type TestEnv } from '../test-support/pipeline-env.js';
import { EmbeddedPipeline } from './embedded-pipeline.js';

const PHOTO = photoUrl('phone_with_powerbank.jpg');
/** What the stand-in answers the second call (the update's): told apart from the first answer. */
const NEW_ANSWER = { ...VALID_ANSWER, description: 'A black smartphone in a blue silicone case, its screen cracked at one corner.' };

let env: TestEnv;
let standIn: OpenAiStandIn;
let metrics: MediaAiMetrics;
let pipeline: EmbeddedPipeline;
const postId = randomUUID();
/** Inputs the aggregator committed, by topic. */
const aggregated = new Map<string, number>();
/** Events the aggregator published. */
let publishedEvents = 0;

function onStageEvent(event: StageEvent): void {
  if (event.type === 'processed' && event.stage === 'aggregator') aggregated.set(event.topic, (aggregated.get(event.topic) ?? 0) + 1);
  if (event.type === 'published' && event.stage === 'aggregator') publishedEvents++;
}
/** The stages work on a loaded machine: give them time. */
const POLL = { timeout: 30_000, interval: 50 };
const partsAggregated = () =>
  [TOPICS.detections, TOPICS.texts, TOPICS.descriptions].reduce((n, topic) => n + (aggregated.get(topic) ?? 0), 0);
const manifestsAggregated = () => aggregated.get(TOPICS.posts) ?? 0;

/** Result-cache lookups so far, per stage: a miss is an analysis that ran. */
async function cacheLookups(): Promise<Record<string, { hits: number; misses: number }>> {
  const out: Record<string, { hits: number; misses: number }> = {};
  for (const [kind, counter] of [
    ['hits', metrics.cacheHits],
    ['misses', metrics.cacheMisses],
  ] as const) {
    for (const { labels, value } of (await counter.get()).values) (out[String(labels.cache)] ??= { hits: 0, misses: 0 })[kind] = value;
  }
  return out;
}

/** A platform example for our post, its photo pointed at a real file, at the given time. */
function example(name: string, timestamp: string, edit: (payload: Record<string, unknown>) => void = () => {}): Record<string, unknown> {
  const event = setPostId(withPhotos(contractExample(name), [PHOTO]), postId);
  event['timestamp'] = timestamp;
  edit(event['payload'] as Record<string, unknown>);
  return event;
}

const updated = example('post.updated.json', '2025-09-30T15:02:11.907315220Z');
const updateRevision = revisionOf(readPostEvent(updated), 0);

function enhanced(event: unknown): PostEnhancedEvent {
  expect((event as PostEnhancedEvent).event_type).toBe('post.enhanced');
  expect(validatePostEnhanced(event).errors).toEqual([]);
  return event as PostEnhancedEvent;
}

beforeAll(async () => {
  standIn = new OpenAiStandIn({ fallback: DESCRIBES_EVERY_PHOTO });
  await standIn.start();
  env = testEnv({ OPENAI_API_KEY: standIn.apiKey, OPENAI_BASE_URL: standIn.baseURL, OPENAI_MODEL: standIn.model });
  const runtime = testRuntime(env.env);
  metrics = runtime.metrics;
  pipeline = await EmbeddedPipeline.start({ ...runtime, onStageEvent });
});

afterAll(async () => {
  await pipeline?.stop();
  await standIn?.stop();
  env?.cleanup();
});

describe('post.updated with the llm stage on', () => {
  let first: PostEnhancedEvent;
  let second: PostEnhancedEvent;
  let afterFirst: Record<string, { hits: number; misses: number }>;

  it('post.created: revision 1, described by the llm from the post as created', async () => {
    expect(pipeline.capabilities.find((c) => c.stage === 'llm')).toMatchObject({ enabled: true });
    await pipeline.submit(example('post.created.json', '2025-09-30T14:30:00.412Z'));
    first = enhanced(await pipeline.waitForEnrichment(postId));
    expect(first.id).toBe(enrichmentEventId(postId, 1));
    expect(first.data).toMatchObject({ revision: 1, missing_stages: [], generated_description: VALID_ANSWER.description });
    expect(standIn.requests).toHaveLength(1);
    expect(standIn.requests[0]!.promptText).toContain('blue silicone case, lost near the library entrance');
    // Every part is in before the checks below count what ran.
    await expect.poll(partsAggregated, POLL).toBe(3);
    afterFirst = await cacheLookups();
    expect(afterFirst['detector']?.misses).toBe(1);
    expect(afterFirst['ocr']?.misses).toBe(1);
  });

  it('a new description: a revision of its own, from a second llm call with the new text; the detector and OCR do not run again', async () => {
    // Updates of other fields first (a location edit, a status change): they must publish nothing.
    await pipeline.submit(
      example('post.updated.json', '2025-09-30T15:00:00.000Z', (payload) => {
        payload['changes'] = { location: { latitude: 40.7301, longitude: -73.9952 } };
        payload['previous'] = { location: { latitude: 40.7291, longitude: -73.9965 } };
      }),
    );
    await pipeline.submit(
      example('post.updated.json', '2025-09-30T15:01:00.000Z', (payload) => {
        delete payload['changes'];
        delete payload['previous'];
        payload['new_status'] = 'active';
        payload['previous_status'] = 'active';
      }),
    );
    standIn.enqueue({ kind: 'answer', answer: NEW_ANSWER });
    await pipeline.submit(updated);

    second = enhanced(await pipeline.waitForEnrichment(postId, undefined, 2));
    expect(second.id).toBe(enrichmentEventId(postId, updateRevision));
    expect(second.data).toMatchObject({ revision: updateRevision, missing_stages: [], generated_description: NEW_ANSWER.description });
    expect(second.data.original_post.description).toContain('with a cracked corner');

    // The llm was asked once more, with the new text (its cache holds an answer for this very image).
    expect(standIn.requests).toHaveLength(2);
    expect(standIn.requests[1]!.promptText).toContain('with a cracked corner, lost near the library entrance');
    expect(standIn.requests[0]!.promptText).not.toContain('cracked corner');

    // The detector's and OCR's findings are those of revision 1: reused, no model ran again.
    expect(second.data.enhanced_metadata.attributes.objects).toEqual(first.data.enhanced_metadata.attributes.objects);
    expect(second.data.enhanced_metadata.attributes.text_content).toEqual(first.data.enhanced_metadata.attributes.text_content);
    await expect.poll(partsAggregated, POLL).toBe(6);
    const now = await cacheLookups();
    expect(now['detector']?.misses).toBe(afterFirst['detector']?.misses);
    expect(now['ocr']?.misses).toBe(afterFirst['ocr']?.misses);
    // They answered the update's photo record from their result cache; the event took their earlier parts over.
    expect(now['detector']?.hits).toBe((afterFirst['detector']?.hits ?? 0) + 1);
    expect(now['ocr']?.hits).toBe((afterFirst['ocr']?.hits ?? 0) + 1);

    // Three updates handled, two enrichments: the other fields changed nothing, and the detector's and
    // OCR's answers to the update's photo record published nothing twice.
    await expect.poll(manifestsAggregated, POLL).toBe(4);
    expect(pipeline.enrichmentsOf(postId).map((e) => e.id)).toEqual([first.id, second.id]);
  });

  it('a replay of the update publishes no other event: at most the same one again', async () => {
    await pipeline.submit(updated);
    await expect.poll(manifestsAggregated, POLL).toBe(5);
    await expect.poll(partsAggregated, POLL).toBe(9);
    const events = pipeline.enrichmentsOf(postId);
    expect(events.slice(0, 2).map((e) => e.id)).toEqual([first.id, second.id]);
    for (const event of events.slice(2)) expect(event).toEqual(second);
  });

  it('post.resolved after the update publishes nothing, and the post is forgotten', async () => {
    const before = publishedEvents;
    await pipeline.submit(example('post.resolved.json', '2025-10-02T09:15:42.550918003Z'));
    await expect.poll(manifestsAggregated, POLL).toBe(6);
    expect(publishedEvents).toBe(before);
    expect(pipeline.enrichmentsOf(postId)).toEqual([]);
    expect(pipeline.tombstoneOf(postId)).toMatchObject({ post_id: postId, event_type: 'post.resolved' });
  });
});
