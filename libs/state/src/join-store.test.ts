import type { DetectionsRecord, PostManifest, TextsRecord } from '@media-ai/contracts';
import { describe, expect, it } from 'vitest';
import { MemoryJoinStore, isPublished, isReadyToPublish, missingParts, partsByType } from './join-store.js';

const POST = 'p-1';
const manifest = (revision = 1, photos: Array<[string, 'ok' | 'failed']> = [['a', 'ok'], ['b', 'ok']], deadline_at = 10_000): PostManifest => ({
  post_id: POST,
  revision,
  event_id: `e-${revision}`,
  event_type: 'post.created',
  correlation_id: null,
  received_at: 0,
  deadline_at,
  post_title: 't',
  post_description: null,
  post_type: 'lost',
  organization_id: null,
  ai_policy: null,
  original_post_json: '{}',
  post_owner_json: null,
  organization_json: null,
  photos: photos.map(([photo_id, status]) => ({ photo_id, url: `https://x.test/${photo_id}`, status, sha256: null, error_code: null, error_message: null, colors: [] })),
  expected_stages: ['detector', 'ocr'],
});
const base = (photo_id: string, revision: number, status: 'ok' | 'failed') => ({
  post_id: POST,
  photo_id,
  revision,
  sha256: 's',
  status,
  error_code: status === 'ok' ? null : 'MEDIA_AI_OCR_FAILED',
  error_message: null,
  model_versions: {},
  duration_ms: 1,
});
const det = (photo_id: string, revision = 1, status: 'ok' | 'failed' = 'ok', label = 'cell phone'): DetectionsRecord => ({
  ...base(photo_id, revision, status),
  objects: [{ label, confidence: 0.9, box: { x: 0, y: 0, width: 1, height: 1 }, model: 'm' }],
  classifications: [],
});
const txt = (photo_id: string, revision = 1, status: 'ok' | 'failed' = 'ok'): TextsRecord => ({
  ...base(photo_id, revision, status),
  lines: [],
  text: '',
  confidence: 0,
  redacted_kinds: [],
  sensitive_identifiers: [],
  rotation: 0,
});

describe('MemoryJoinStore', () => {
  it('keeps parts that arrive before the manifest and completes once every expected part is in', async () => {
    const store = new MemoryJoinStore();
    await store.putPart('detector', det('a'));
    await store.putPart('ocr', txt('a'));
    let state = await store.putManifest(manifest());
    expect(missingParts(state)).toEqual([
      { stage: 'detector', photo_id: 'b' },
      { stage: 'ocr', photo_id: 'b' },
    ]);
    expect(isReadyToPublish(state)).toBe(false);
    await store.putPart('detector', det('b'));
    state = await store.putPart('ocr', txt('b', 1, 'failed'));
    expect(isReadyToPublish(state)).toBe(true);
    expect(partsByType(state).detections.map((d) => d.photo_id)).toEqual(['a', 'b']);
  });

  it('does not wait for photos the fetcher could not get', async () => {
    const store = new MemoryJoinStore();
    await store.putManifest(manifest(1, [['a', 'ok'], ['b', 'failed']]));
    await store.putPart('detector', det('a'));
    expect(isReadyToPublish(await store.putPart('ocr', txt('a')))).toBe(true);
  });

  it('a redelivered part or manifest leaves the state unchanged', async () => {
    const store = new MemoryJoinStore({ clock: () => 5 });
    await store.putManifest(manifest());
    const once = await store.putPart('detector', det('a'));
    const twice = await store.putPart('detector', det('a', 1, 'ok', 'laptop'));
    expect(twice).toEqual(once);
    expect(await store.putManifest({ ...manifest(), post_title: 'changed' })).toEqual(once);
  });

  it('a success replaces a give-up, a give-up never replaces a success', async () => {
    const store = new MemoryJoinStore();
    await store.putManifest(manifest());
    await store.putPart('ocr', txt('a', 1, 'failed'));
    let state = await store.putPart('ocr', txt('a', 1, 'ok'));
    expect(state.parts.map((p) => p.record.status)).toEqual(['ok']);
    state = await store.putPart('ocr', txt('a', 1, 'failed'));
    expect(state.parts.map((p) => p.record.status)).toEqual(['ok']);
  });

  it('a newer manifest drops older parts; stale parts and manifests are ignored', async () => {
    const store = new MemoryJoinStore();
    await store.putManifest(manifest(1));
    await store.putPart('detector', det('a', 1));
    let state = await store.putManifest(manifest(2));
    expect(state.parts).toEqual([]);
    state = await store.putPart('detector', det('a', 1));
    expect(state.parts).toEqual([]);
    state = await store.putManifest(manifest(1));
    expect(state.manifest!.revision).toBe(2);
  });

  it('after markPublished, late parts and replays of that revision change nothing', async () => {
    const store = new MemoryJoinStore();
    await store.putManifest(manifest());
    await store.putPart('detector', det('a'));
    await store.markPublished(POST, 1, { id: 'evt' });
    await store.markPublished(POST, 1, { id: 'other' }); // a repeat keeps the first event
    let state = await store.putPart('ocr', txt('b'));
    expect(state.published_event).toEqual({ id: 'evt' });
    expect(state.published_parts).toEqual(['detector:a']);
    expect(state.parts).toEqual([]);
    expect(isPublished(state)).toBe(true);
    expect(isReadyToPublish(state)).toBe(false);
    state = await store.putManifest(manifest(1));
    expect(isPublished(state)).toBe(true);
    // A new revision opens a new join.
    state = await store.putManifest(manifest(2));
    expect(isPublished(state)).toBe(false);
  });

  it('lists posts past their deadline and old orphans, oldest first, and forgets published posts after the TTL', async () => {
    let now = 0;
    const store = new MemoryJoinStore({ clock: () => now, orphanTtlMs: 1_000, publishedTtlMs: 5_000 });
    await store.putManifest({ ...manifest(1, [['a', 'ok']], 3_000), post_id: 'late' });
    await store.putManifest({ ...manifest(1, [['a', 'ok']], 2_000), post_id: 'later' });
    await store.putManifest({ ...manifest(1, [['a', 'ok']], 50_000), post_id: 'on-time' });
    await store.putPart('detector', { ...det('a'), post_id: 'orphan' });
    await store.putManifest({ ...manifest(1, [['a', 'ok']], 1_000), post_id: 'done' });
    await store.markPublished('done', 1);
    now = 500;
    expect(await store.listExpired(now)).toEqual([]);
    now = 4_000;
    expect((await store.listExpired(now)).map((s) => s.post_id)).toEqual(['orphan', 'later', 'late']);
    expect(store.size).toBe(5);
    now = 6_000;
    await store.listExpired(now);
    expect(store.size).toBe(4);
  });

  it('drop forgets a post; returned states are copies', async () => {
    const store = new MemoryJoinStore();
    const state = await store.putManifest(manifest());
    state.manifest!.revision = 99;
    expect((await store.putPart('detector', det('a'))).manifest!.revision).toBe(1);
    expect((await store.get(POST))!.parts).toHaveLength(1);
    await store.drop(POST);
    expect(store.size).toBe(0);
    expect(await store.get(POST)).toBeNull();
    expect((await store.putPart('detector', det('a'))).manifest).toBeNull();
  });
});
