import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS, type PhotoRecord, type PostManifest } from '@media-ai/contracts';
import { createPhotoSources, createSsrfGuard, LocalFolderBlobStore } from '@media-ai/storage';
import { startGcsStandIn, startPhotoHttpServer, type GcsStandIn, type PhotoHttpServer } from '@media-ai/storage/test-support';
import type { InboundRecord, OutboundRecord, Stage } from '@media-ai/stream';
import { hashIdentifier } from '@media-ai/privacy/identifiers';
import { createFetcherStage, type FetcherStageOptions } from './stage.js';
import { failureOf } from '@media-ai/contracts/test-support';

/** The HMAC key of identifier hashes (MEDIA_AI_IDENTIFIER_KEY in production). */
const IDENTIFIER_KEY = Buffer.alloc(32, 7);

const SHARED = new URL('../../../../shared/', import.meta.url);
const PHOTOS_DIR = fileURLToPath(new URL('photos/', SHARED));
const photoUrl = (name: string) => pathToFileURL(join(PHOTOS_DIR, name)).href;
const photoBytes = (name: string) => readFileSync(join(PHOTOS_DIR, name));
/** The parts of the platform examples the tests rewrite (read loosely: the stage reads them tolerantly). */
interface ExampleEvent {
  event_type: string;
  payload: {
    post: { photos: Array<Record<string, unknown>>; title?: string; description?: string };
    photo: Record<string, unknown>;
    triggers: Record<string, unknown>;
  };
}
const example = (name: string) => JSON.parse(readFileSync(new URL(`contracts/examples/${name}`, SHARED), 'utf8')) as ExampleEvent;

const POST_ID = '3f6c2a9e-8b1d-4e57-9a0c-5d2e7b4f1a36';
const NOW = Date.UTC(2025, 8, 30, 14, 30, 1);

let origin: PhotoHttpServer;
let gcs: GcsStandIn;
beforeAll(async () => {
  // A real https origin (test certificate trusted via NODE_EXTRA_CA_CERTS, see vitest.config.ts).
  [origin, gcs] = await Promise.all([startPhotoHttpServer({ tls: true }), startGcsStandIn()]);
  origin.serve('/photos/coffee.jpg', photoBytes('coffee_cup_saucer.jpg'));
  const full = photoBytes('taxis_street.jpg');
  // A real JPEG cut off mid-scan, served with an honest length: a corrupt upload, not a network fault.
  origin.serve('/photos/corrupt.jpg', full.subarray(0, Math.floor(full.length / 2)));
  origin.route('/photos/down.jpg', (_req, res) => res.writeHead(503).end());
  gcs.put('findly-posts-dev', `${POST_ID}/original/watch.webp`, photoBytes('smartwatch_on_wrist.webp'), 'image/webp');
});
afterAll(() => Promise.all([origin.close(), gcs.close()]));

async function stageWith(overrides: Partial<FetcherStageOptions> = {}) {
  const blobs = new LocalFolderBlobStore(await mkdtemp(join(tmpdir(), 'fetcher-blobs-')));
  const sources = createPhotoSources({
    maxBytes: 10_485_760,
    // The real guard; the local test origin is on 127.0.0.1.
    guard: createSsrfGuard({ allowLoopback: true }),
    https: { retries: 1, backoffBaseMs: 5, timeoutMs: 5_000 },
    gcs: { apiEndpoint: gcs.endpoint, retries: 0, timeoutMs: 5_000 },
    file: { root: PHOTOS_DIR },
  });
  const stage = createFetcherStage({
    identifierKey: IDENTIFIER_KEY,
    sources,
    blobs,
    normalize: {
      maxSide: 1024,
      quality: 85,
      maxPixels: 50_000_000,
      allowedTypes: ['image/jpeg', 'image/png', 'image/webp'],
      stripMetadata: true,
    },
    expectedStages: ['detector', 'ocr', 'llm'],
    deadlineMs: 60_000,
    concurrency: 2,
    clock: () => NOW,
    ...overrides,
  });
  return { stage, blobs };
}

function inbound(value: unknown, timestamp = NOW): InboundRecord<unknown> {
  return { topic: TOPICS.postsEvents, partition: 0, offset: '0', key: POST_ID, value, headers: {}, timestamp };
}

const ctx = () => ({ signal: new AbortController().signal });

/** The platform's post.created example with its photos pointed at URLs we can serve. */
function postCreated(urls: string[]) {
  const event = example('post.created.json');
  const template = event.payload.post.photos[0];
  event.payload.post.photos = urls.map((url, i) => ({
    ...template,
    id: `photo-${i + 1}`,
    original_url: url,
    thumbnail_url: url,
    order: i + 1,
  }));
  return event;
}

function split(out: OutboundRecord[]) {
  const manifests = out.filter((r) => r.topic === TOPICS.posts).map((r) => r.value as PostManifest);
  const photos = out.filter((r) => r.topic === TOPICS.photos).map((r) => r.value as PhotoRecord);
  expect(out.every((r) => r.key === POST_ID)).toBe(true);
  return { manifests, photos };
}

describe('fetcher stage', () => {
  it('declares its name and input', async () => {
    const { stage } = await stageWith();
    expect(stage.name).toBe('fetcher');
    expect(stage.inputs).toEqual(['posts.events']);
  });

  it('turns the platform post.created example into one manifest and one record per photo (file:// and https)', async () => {
    const { stage, blobs } = await stageWith();
    const event = postCreated([photoUrl('exif_rotated_landscape_6.jpg'), `${origin.origin}/photos/coffee.jpg`]);
    const out = await stage.handle(inbound(event), ctx());
    const { manifests, photos } = split(out);
    expect(out[0]?.topic).toBe(TOPICS.posts);
    expect(out[0]?.headers?.['correlation-id']).toBe('5d7e9f21-4b3c-4a8d-9e6f-0c1b2a3d4e5f');

    expect(manifests).toHaveLength(1);
    const manifest = manifests[0] as PostManifest;
    expect(manifest).toMatchObject({
      post_id: POST_ID,
      revision: 1,
      event_id: '0b7c3e52-9d14-4a6f-8e21-7f5a9c3d1b60',
      event_type: 'post.created',
      correlation_id: '5d7e9f21-4b3c-4a8d-9e6f-0c1b2a3d4e5f',
      received_at: NOW,
      deadline_at: NOW + 60_000,
      post_title: 'Lost black iPhone 15 Pro',
      post_type: 'lost',
      organization_id: 'c47a1e2b-6f90-4d3c-8e15-b0a29d7f6e83',
      ai_policy: { auto_enhance: true, quality_threshold: 0.8 },
      expected_stages: ['detector', 'ocr', 'llm'],
      removed_photo_ids: [],
    });
    // The post, owner and organization travel typed (v3); the JSON copies are no longer written.
    expect(manifest).toMatchObject({ original_post_json: '{}', post_owner_json: null, organization_json: null });
    expect(manifest.post_details).toMatchObject({ user_id: '9b2e4c71-0d3a-4f8e-b6c5-2a1f7e9d8c04', status: 'active' });
    expect(manifest.post_details.photo_ids).toEqual(['photo-1', 'photo-2']);
    expect(manifest.post_owner?.user_id).toBe('9b2e4c71-0d3a-4f8e-b6c5-2a1f7e9d8c04');
    expect(manifest.post_organization?.settings?.ai_enhancement_policy).toMatchObject({ auto_enhance: true, quality_threshold: 0.8 });
    expect(manifest.photos.map((p) => [p.photo_id, p.status])).toEqual([
      ['photo-1', 'ok'],
      ['photo-2', 'ok'],
    ]);

    expect(photos.map((p) => p.photo_id)).toEqual(['photo-1', 'photo-2']);
    const rotated = photos[0] as PhotoRecord;
    expect(rotated).toMatchObject({
      revision: 1,
      content_type: 'image/jpeg',
      width: 1024,
      height: 683,
      original_width: 1800,
      original_height: 1200,
    });
    expect(rotated.blob_key).toBe(rotated.sha256);
    expect(manifest.photos[0]?.sha256).toBe(rotated.sha256);
    expect(rotated.colors.length).toBeGreaterThan(0);
    expect(rotated.colors.every((c) => /^#[0-9a-f]{6}$/.test(c.hex) && c.share > 0 && c.share <= 1)).toBe(true);
    // The manifest carries the same measured colours: the aggregator never reads media-ai.photos.
    expect(manifest.photos[0]?.colors).toEqual(rotated.colors);
    expect(manifest.photos[1]?.colors).toEqual((photos[1] as PhotoRecord).colors);

    // The blob store holds the normalized JPEG by reference, with no metadata left.
    const stored = await blobs.get(rotated.sha256);
    expect(stored.length).toBe(rotated.byte_length);
    const meta = await sharp(stored).metadata();
    expect(meta.exif).toBeUndefined();
    expect([meta.width, meta.height]).toEqual([1024, 683]);
    // No record carries bytes.
    expect(JSON.stringify(out.map((r) => r.value)).length).toBeLessThan(20_000);
  });

  it("carries the identifiers the post's title and description name as keyed hashes, masked in the text it passes on", async () => {
    const { stage } = await stageWith();
    const event = postCreated([photoUrl('exif_rotated_landscape_6.jpg')]);
    event.payload.post.title = 'Lost iPhone 15, IMEI 35 209900 176148 1';
    event.payload.post.description = 'Black case. Serial C02XK0ABJGH5, and my passport no. X1234567 was in the case too.';
    const { manifests, photos } = split(await stage.handle(inbound(event), ctx()));
    const manifest = manifests[0] as PostManifest;
    expect(manifest.post_identifiers).toEqual([
      hashIdentifier({ kind: 'imei', value: '352099001761481' }, IDENTIFIER_KEY),
      hashIdentifier({ kind: 'serial_number', value: 'C02XK0ABJGH5' }, IDENTIFIER_KEY),
      hashIdentifier({ kind: 'document_number', value: 'X1234567' }, IDENTIFIER_KEY),
    ]);
    expect(manifest.post_title).toBe('Lost iPhone 15, IMEI [IMEI]');
    expect(manifest.post_description).toBe('Black case. Serial [SERIAL], and my passport no. [ID] was in the case too.');
    // The llm's prompt context reads the photo record: masked there too.
    expect(photos[0]).toMatchObject({ post_title: manifest.post_title, post_description: manifest.post_description });
    const json = JSON.stringify([manifest, ...photos]);
    for (const value of ['176148', '209900', 'C02XK0ABJGH5', 'X1234567']) expect(json).not.toContain(value);
  });

  it('refuses an identifier key too short to be one', async () => {
    await expect(stageWith({ identifierKey: Buffer.alloc(8) })).rejects.toThrow(RangeError);
  });

  it('lists a corrupt photo as failed and still publishes the good one', async () => {
    const { stage } = await stageWith();
    const event = postCreated([`${origin.origin}/photos/coffee.jpg`, `${origin.origin}/photos/corrupt.jpg`]);
    const { manifests, photos } = split(await stage.handle(inbound(event), ctx()));
    expect(manifests[0]?.photos).toMatchObject([
      { photo_id: 'photo-1', status: 'ok', error_code: null },
      { photo_id: 'photo-2', status: 'failed', sha256: null, error_code: 'MEDIA_AI_PHOTO_CORRUPT' },
    ]);
    expect(manifests[0]?.photos[1]?.error_message).toMatch(/decoded/);
    // Nothing was measured on a photo that could not be decoded.
    expect(manifests[0]?.photos[1]?.colors).toEqual([]);
    expect(manifests[0]?.photos[0]?.colors.length).toBeGreaterThan(0);
    expect(photos.map((p) => p.photo_id)).toEqual(['photo-1']);
  });

  it('reads gs:// photos through the GCS client (against the stand-in)', async () => {
    const { stage } = await stageWith();
    const event = postCreated([
      `gs://findly-posts-dev/${POST_ID}/original/watch.webp`,
      `gs://findly-posts-dev/${POST_ID}/original/missing.jpg`,
    ]);
    const { manifests, photos } = split(await stage.handle(inbound(event), ctx()));
    expect(manifests[0]?.photos.map((p) => p.error_code)).toEqual([null, 'MEDIA_AI_PHOTO_NOT_FOUND']);
    expect(photos[0]).toMatchObject({ photo_id: 'photo-1', width: 640, height: 426 });
  });

  it('publishes a manifest of failures when every failure is permanent', async () => {
    const { stage } = await stageWith();
    const event = postCreated([`${origin.origin}/photos/nothing-here.jpg`, 'ftp://example.com/a.jpg']);
    const { manifests, photos } = split(await stage.handle(inbound(event), ctx()));
    expect(manifests[0]?.photos.map((p) => p.error_code)).toEqual(['MEDIA_AI_PHOTO_NOT_FOUND', 'MEDIA_AI_PHOTO_URL_INVALID']);
    expect(photos).toHaveLength(0);
  });

  it('fails the whole event when every photo failed and a retry can help, and onGiveUp still tells the aggregator', async () => {
    const { stage } = await stageWith();
    const event = postCreated([`${origin.origin}/photos/down.jpg`, `${origin.origin}/photos/down.jpg`]);
    const error = await failureOf(stage.handle(inbound(event), ctx()));
    expect(error.code).toBe('MEDIA_AI_PHOTO_DOWNLOAD_FAILED');
    expect(error.retryable).toBe(true);

    const { manifests } = split(stage.onGiveUp?.(inbound(event), error) ?? []);
    expect(manifests[0]?.photos.map((p) => [p.status, p.error_code])).toEqual([
      ['failed', 'MEDIA_AI_PHOTO_DOWNLOAD_FAILED'],
      ['failed', 'MEDIA_AI_PHOTO_DOWNLOAD_FAILED'],
    ]);
    expect(stage.onGiveUp?.(inbound({ nonsense: true }), error)).toEqual([]);
  });

  it('fetches only the added photo on post.photo.added, with a later revision', async () => {
    const { stage } = await stageWith();
    const event = example('post.photo.added.json');
    event.payload.photo.original_url = `${origin.origin}/photos/coffee.jpg`;
    const { manifests, photos } = split(await stage.handle(inbound(event), ctx()));
    expect(manifests[0]?.photos.map((p) => p.photo_id)).toEqual(['6a0f2d9c-3e81-4b57-a4c6-e19b72d05f38']);
    expect(photos).toHaveLength(1);
    expect(manifests[0]?.revision).toBeGreaterThan(1);
    expect(photos[0]?.revision).toBe(manifests[0]?.revision);
    // Deterministic: a replay gets the same revision.
    const again = split(await stage.handle(inbound(event), ctx()));
    expect(again.manifests[0]?.revision).toBe(manifests[0]?.revision);
  });

  it('publishes a photo-less manifest for other lifecycle events and skips irrelevant ones, saying so', async () => {
    const skipped: Array<[string, string]> = [];
    const { stage } = await stageWith({ onSkippedEvent: (type, reason) => skipped.push([type, reason]) });
    const deleted = split(await stage.handle(inbound(example('post.deleted.json')), ctx()));
    expect(deleted.manifests[0]).toMatchObject({ event_type: 'post.deleted', photos: [], removed_photo_ids: [] });
    expect(deleted.photos).toHaveLength(0);

    // A removal names the photo it took away, so the aggregator can re-aggregate without it.
    const removedEvent = example('post.photo.removed.json');
    const removed = split(await stage.handle(inbound(removedEvent), ctx()));
    expect(removed.manifests[0]).toMatchObject({
      event_type: 'post.photo.removed',
      photos: [],
      removed_photo_ids: [removedEvent.payload.photo.id],
    });
    expect(removed.photos).toHaveLength(0);

    const other = { ...example('post.created.json'), event_type: 'contact.exchange.requested' };
    expect(await stage.handle(inbound(other), ctx())).toEqual([]);

    const noAi = example('post.created.json');
    noAi.payload.triggers.ai_processing = false;
    expect(await stage.handle(inbound(noAi), ctx())).toEqual([]);

    const bad = await failureOf(stage.handle(inbound({ hello: 'world' }), ctx()));
    expect(bad.code).toBe('MEDIA_AI_BAD_EVENT');
    expect(bad.retryable).toBe(false);
    expect(skipped).toEqual([
      ['contact.exchange.requested', 'unhandled_type'],
      ['post.created', 'ai_processing_off'],
    ]);
  });

  it('refuses a post with more photos than the cap (MEDIA_AI_TOO_MANY_PHOTOS, not retried) without fetching any', async () => {
    const { stage } = await stageWith({ maxPhotosPerPost: 2 });
    origin.serve('/photos/capped.jpg', photoBytes('coffee_cup_saucer.jpg'));
    const event = postCreated([1, 2, 3].map((i) => `${origin.origin}/photos/capped.jpg?${i}`));
    const failure = await failureOf(stage.handle(inbound(event), ctx()));
    expect(failure.code).toBe('MEDIA_AI_TOO_MANY_PHOTOS');
    expect(failure.retryable).toBe(false);
    expect(origin.hits('/photos/capped.jpg')).toBe(0);
    // Given up, the aggregator still hears of the post: every photo failed with the cap's code.
    const { manifests } = split(stage.onGiveUp?.(inbound(event), failure) ?? []);
    expect(manifests[0]!.photos.map((p) => p.error_code)).toEqual(Array(3).fill('MEDIA_AI_TOO_MANY_PHOTOS'));
    // At the cap it is an ordinary post.
    const atCap = split(await stage.handle(inbound(postCreated([1, 2].map((i) => `${origin.origin}/photos/capped.jpg?${i}`))), ctx()));
    expect(atCap.photos).toHaveLength(2);
    expect(origin.hits('/photos/capped.jpg')).toBe(2);
  });

  it('keeps the photos of a tenant that turned third-party AI off away from the llm: flagged records, llm not awaited', async () => {
    const { stage } = await stageWith();
    const allowed = split(await stage.handle(inbound(postCreated([`${origin.origin}/photos/coffee.jpg`])), ctx()));
    expect(allowed.photos.map((p) => p.third_party_ai)).toEqual([true]);
    expect(allowed.manifests[0]?.expected_stages).toEqual(['detector', 'ocr', 'llm']);

    type Settings = Record<string, unknown> & { ai_enhancement_policy: Record<string, unknown> };
    const withSettings = (edit: (settings: Settings) => void, where: 'organization' | 'user' = 'organization') => {
      const event = postCreated([`${origin.origin}/photos/coffee.jpg`]) as unknown as { payload: Record<string, Record<string, unknown>> };
      const organization = event.payload['organization'] as { settings: Settings };
      if (where === 'user') {
        event.payload['user']!['organization_context'] = { organization_id: 'org-1', settings: organization.settings };
        delete event.payload['organization'];
      }
      edit(organization.settings);
      return event;
    };
    for (const event of [
      withSettings((s) => (s.ai_processing = false)),
      withSettings((s) => (s.ai_enhancement_policy.third_party_ai = false)),
      withSettings((s) => (s.ai_enhancement_policy.third_party_ai = 'off')),
      withSettings((s) => (s.ai_processing = 'false'), 'user'),
    ]) {
      const { manifests, photos } = split(await stage.handle(inbound(event), ctx()));
      expect(photos.map((p) => p.third_party_ai)).toEqual([false]);
      // The local analyses still run: nothing leaves the deployment.
      expect(manifests[0]?.expected_stages).toEqual(['detector', 'ocr']);
    }
    const explicitYes = split(await stage.handle(inbound(withSettings((s) => (s.ai_enhancement_policy.third_party_ai = true))), ctx()));
    expect(explicitYes.photos.map((p) => p.third_party_ai)).toEqual([true]);
  });

  it('never has more downloads in flight than the concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const jpeg = photoBytes('hoodie_with_logo.jpg');
    origin.route('/photos/slow.jpg', (_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { 'content-length': jpeg.length }).end(jpeg);
      }, 40);
    });
    const { stage } = await stageWith({ concurrency: 2 });
    const event = postCreated(Array.from({ length: 6 }, (_, i) => `${origin.origin}/photos/slow.jpg?n=${i}`));
    const { photos } = split(await stage.handle(inbound(event), ctx()));
    expect(photos).toHaveLength(6);
    expect(peak).toBe(2);
  });

  describe('post.updated', () => {
    const OLD_DESCRIPTION = 'Black iPhone 15 Pro in a blue silicone case, lost near the library entrance';
    const NEW_DESCRIPTION = 'Black iPhone 15 Pro in a blue silicone case with a cracked corner, lost near the library entrance';
    type UpdatedEvent = { payload: Record<string, unknown> & { post: { photos: Array<Record<string, unknown>> } } };
    /** The platform's post.updated example (new title and description) with its photo served by the test origin. */
    function postUpdated(edit: (payload: UpdatedEvent['payload']) => void = () => {}) {
      const event = example('post.updated.json') as unknown as UpdatedEvent;
      event.payload.post.photos = event.payload.post.photos.map((p) => ({ ...p, original_url: `${origin.origin}/photos/coffee.jpg` }));
      edit(event.payload);
      return event;
    }

    it("with a new title or description fetches the post's photos again and asks the llm anew", async () => {
      const { stage } = await stageWith();
      const created = split(await stage.handle(inbound(postCreated([`${origin.origin}/photos/coffee.jpg`])), ctx()));
      // What post.created publishes asks nothing anew.
      expect(created.manifests[0]?.stale_before).toEqual({});
      expect(created.photos.map((p) => p.reasked_stages)).toEqual([[]]);

      const { manifests, photos } = split(await stage.handle(inbound(postUpdated()), ctx()));
      const manifest = manifests[0]!;
      expect(manifest.event_type).toBe('post.updated');
      expect(manifest.revision).toBeGreaterThan(1);
      // Every expected stage, so the enrichment of this revision is complete; only the llm's older answers are stale.
      expect(manifest.expected_stages).toEqual(['detector', 'ocr', 'llm']);
      expect(manifest.stale_before).toEqual({ llm: manifest.revision });
      expect(manifest.post_description).toBe(NEW_DESCRIPTION);
      expect(manifest.photos).toMatchObject([
        { photo_id: '1e8d5b3a-7c24-4f6e-9a01-3b5c8d2e7f49', status: 'ok', sha256: created.photos[0]!.sha256 },
      ]);
      // The same image as before (same sha256): the aggregator can take the detector's and OCR's parts over.
      expect(photos).toHaveLength(1);
      expect(photos[0]).toMatchObject({
        revision: manifest.revision,
        sha256: created.photos[0]!.sha256,
        post_description: NEW_DESCRIPTION,
        reasked_stages: ['llm'],
      });

      // A replay gets the same revision: the same enrichment id downstream.
      const again = split(await stage.handle(inbound(postUpdated()), ctx()));
      expect(again.manifests[0]?.revision).toBe(manifest.revision);
      expect(again.manifests[0]?.stale_before).toEqual(manifest.stale_before);

      // Only the description changed: still a text change.
      const description = split(
        await stage.handle(
          inbound(
            postUpdated((payload) => {
              payload['changes'] = { title: 'Lost black iPhone 15 Pro', description: NEW_DESCRIPTION };
              payload['previous'] = { title: 'Lost black iPhone 15 Pro ', description: OLD_DESCRIPTION };
            }),
          ),
          ctx(),
        ),
      );
      expect(description.photos).toHaveLength(1);
    });

    it.each([
      [
        'changes only the location',
        (p: UpdatedEvent['payload']) => (
          (p['changes'] = { location: { latitude: 1, longitude: 2 } }),
          (p['previous'] = { location: { latitude: 3, longitude: 4 } })
        ),
      ],
      [
        'lists the title and description unchanged',
        (p: UpdatedEvent['payload']) => (
          (p['changes'] = { title: 'Same', description: 'Same' }),
          (p['previous'] = { title: 'Same', description: 'Same' })
        ),
      ],
      [
        'is a status change (no changes map)',
        (p: UpdatedEvent['payload']) => (
          delete p['changes'],
          delete p['previous'],
          (p['new_status'] = 'expired'),
          (p['previous_status'] = 'active')
        ),
      ],
      [
        'comes from a tenant that does not allow third-party AI',
        (p: UpdatedEvent['payload']) => (p['organization'] = { organization_id: 'org-1', settings: { ai_processing: false } }),
      ],
    ])('that %s publishes a manifest without photos, asking nothing anew', async (_name, edit) => {
      const { stage } = await stageWith();
      const { manifests, photos } = split(await stage.handle(inbound(postUpdated(edit)), ctx()));
      expect(manifests[0]).toMatchObject({ event_type: 'post.updated', photos: [], stale_before: {} });
      expect(photos).toHaveLength(0);
    });

    it('with the llm off publishes a manifest without photos: nothing to ask anew', async () => {
      const { stage } = await stageWith({ expectedStages: ['detector', 'ocr'] });
      const { manifests, photos } = split(await stage.handle(inbound(postUpdated()), ctx()));
      expect(manifests[0]).toMatchObject({
        event_type: 'post.updated',
        photos: [],
        stale_before: {},
        expected_stages: ['detector', 'ocr'],
      });
      expect(photos).toHaveLength(0);
    });
  });

  it('publishes nothing when stopped mid-post', async () => {
    const { stage } = await stageWith();
    const controller = new AbortController();
    controller.abort();
    const event = postCreated([`${origin.origin}/photos/coffee.jpg`]);
    const error = await failureOf((stage as Stage<unknown>).handle(inbound(event), { signal: controller.signal }));
    expect(error.retryable).toBe(true);
  });
});
