// The embedded API's in-memory stores stay bounded in a long-running serve: the enrichment observer by
// post count (least recently heard of evicted first), the uploaded photos by count and by bytes.
import { TOPICS, MediaAiError, type PhotoRecord } from '@media-ai/contracts';
import type { InboundRecord } from '@media-ai/stream';
import { createMetrics, Registry } from '@media-ai/telemetry';
import { describe, expect, it } from 'vitest';
import { EnrichmentObserver, type EnrichmentEvent } from './enrichment-observer.js';
import { registerHeldStateMetrics } from './held-state-metrics.js';
import { UploadedPhotos } from './uploaded-photos.js';

const ENRICHMENT_TOPIC = 'posts.enhanced';

function record(topic: string, key: string, value: unknown): InboundRecord {
  return { topic, partition: 0, offset: '0', key, value, headers: {}, timestamp: 0 };
}

function enrichment(postId: string, n = 1): EnrichmentEvent {
  return { event_type: 'post.enhanced', data: { post_id: postId, n } } as unknown as EnrichmentEvent;
}

function photo(postId: string, photoId: string): PhotoRecord {
  return { post_id: postId, photo_id: photoId } as PhotoRecord;
}

function observerOf(maxPosts: number) {
  const uploads = new UploadedPhotos();
  const observer = new EnrichmentObserver(ENRICHMENT_TOPIC, { uploads, tombstoneTtlMs: 60_000, maxPosts });
  const stage = observer.asStage();
  const feed = (topic: string, key: string, value: unknown) => stage.handle(record(topic, key, value), {} as never);
  return { observer, uploads, feed };
}

describe('EnrichmentObserver bound', () => {
  it('holds at most maxPosts posts, evicting the least recently heard of first', async () => {
    const { observer, feed } = observerOf(3);
    for (const post of ['a', 'b', 'c']) await feed(ENRICHMENT_TOPIC, post, enrichment(post));
    // 'a' heard of again: 'b' is now the least recent.
    await feed(ENRICHMENT_TOPIC, 'a', enrichment('a', 2));
    await feed(TOPICS.photos, 'd', photo('d', 'd1'));
    expect(observer.postCount).toBe(3);
    expect(observer.enrichmentOf('b')).toBeUndefined();
    expect(observer.enrichmentsOf('a')).toHaveLength(2);
    expect(observer.enrichmentOf('c')).toBeDefined();
    expect(observer.photosOf('d')).toHaveLength(1);

    await feed(ENRICHMENT_TOPIC, 'e', enrichment('e'));
    expect(observer.postCount).toBe(3);
    expect(observer.enrichmentOf('c')).toBeUndefined();
    expect([...['a', 'd', 'e'].map((p) => observer.photosOf(p).length + observer.enrichmentsOf(p).length)]).toEqual([2, 1, 1]);
  });

  it('keeps an evicted post again when it is heard of again, and waiters still resolve', async () => {
    const { observer, feed } = observerOf(1);
    await feed(ENRICHMENT_TOPIC, 'a', enrichment('a'));
    await feed(ENRICHMENT_TOPIC, 'b', enrichment('b'));
    expect(observer.enrichmentOf('a')).toBeUndefined();
    const waiting = observer.waitFor('a', 5_000);
    await feed(ENRICHMENT_TOPIC, 'a', enrichment('a', 2));
    await expect(waiting).resolves.toMatchObject({ data: { post_id: 'a', n: 2 } });
    expect(observer.postCount).toBe(1);
  });

  it('a forgotten post leaves the count', async () => {
    const { observer, feed } = observerOf(10);
    await feed(ENRICHMENT_TOPIC, 'a', enrichment('a'));
    await feed(TOPICS.posts, 'a', { post_id: 'a', event_type: 'post.deleted', received_at: new Date(0).toISOString() });
    expect(observer.postCount).toBe(0);
    expect(observer.tombstoneOf('a')?.event_type).toBe('post.deleted');
  });
});

describe('UploadedPhotos bounds', () => {
  const fetchOf = (uploads: UploadedPhotos, url: string) =>
    uploads.sourceBefore({ fetch: () => Promise.reject(new Error('not an upload')) }).fetch(url, new AbortController().signal);

  it('drops the oldest upload past the count bound; its read answers MEDIA_AI_PHOTO_NOT_FOUND', async () => {
    const uploads = new UploadedPhotos({ maxHeldCount: 2 });
    const first = uploads.add('p1', Buffer.from('one'));
    const second = uploads.add('p2', Buffer.from('two'));
    const third = uploads.add('p3', Buffer.from('three'));
    expect(uploads.size).toBe(2);
    expect(uploads.bytes).toBe('twothree'.length);
    await expect(fetchOf(uploads, first)).rejects.toMatchObject({ code: 'MEDIA_AI_PHOTO_NOT_FOUND' });
    await expect(fetchOf(uploads, first)).rejects.toBeInstanceOf(MediaAiError);
    expect((await fetchOf(uploads, second)).bytes.toString()).toBe('two');
    expect((await fetchOf(uploads, third)).bytes.toString()).toBe('three');
    expect(uploads.size).toBe(0);
    expect(uploads.bytes).toBe(0);
  });

  it('drops the oldest uploads past the byte bound, never the one just added', () => {
    const uploads = new UploadedPhotos({ maxHeldBytes: 10 });
    uploads.add('p1', Buffer.alloc(6));
    uploads.add('p2', Buffer.alloc(4));
    expect(uploads.size).toBe(2);
    uploads.add('p3', Buffer.alloc(12));
    expect(uploads.size).toBe(1);
    expect(uploads.bytes).toBe(12);
  });
});

describe('held-state gauges', () => {
  it('report the uploads and observed posts held at scrape time', async () => {
    const metrics = createMetrics(new Registry(), { defaultMetrics: false });
    const { observer, uploads, feed } = observerOf(2);
    registerHeldStateMetrics(metrics, uploads, observer);
    // A second pipeline on the same registry replaces the gauges rather than throwing.
    registerHeldStateMetrics(metrics, uploads, observer);
    uploads.add('p1', Buffer.alloc(5));
    for (const post of ['a', 'b', 'c']) await feed(ENRICHMENT_TOPIC, post, enrichment(post));
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^media_ai_uploaded_photos_held 1$/m);
    expect(text).toMatch(/^media_ai_uploaded_photo_bytes_held 5$/m);
    expect(text).toMatch(/^media_ai_observed_posts_held 2$/m);
  });
});
