/**
 * The JoinStore contract as tests, run against every implementation (memory and Redis), so the
 * aggregator can rely on the same semantics whichever store the wiring picks. Test-only.
 */
import {
  emptyDescription,
  emptyPostDetails,
  emptyTexts,
  failedPart,
  MediaAiError,
  NO_JSON_COPIES,
  okPart,
  type DescriptionRecord,
  type DetectionsRecord,
  type PostManifest,
  type TextsRecord,
} from '@media-ai/contracts';
import { describe, expect, it } from 'vitest';
import { isPublished, isReadyToPublish, missingParts, partsByType, type JoinState, type JoinStore } from '../join-store.js';

export const POST = 'p-1';

export const manifest = (
  revision = 1,
  photos: Array<[string, 'ok' | 'failed']> = [
    ['a', 'ok'],
    ['b', 'ok'],
  ],
  deadline_at = 10_000,
): PostManifest => ({
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
  ...NO_JSON_COPIES,
  photos: photos.map(([photo_id, status]) => ({
    photo_id,
    url: `https://x.test/${photo_id}`,
    status,
    sha256: null,
    error_code: null,
    error_message: null,
    colors: [],
  })),
  expected_stages: ['detector', 'ocr'],
  removed_photo_ids: [],
  post_details: emptyPostDetails(),
  post_owner: null,
  post_organization: null,
});
function part<P extends object>(photo_id: string, revision: number, status: 'ok' | 'failed', payload: P) {
  const photo = { post_id: POST, photo_id, revision, sha256: 's' };
  return status === 'ok'
    ? okPart(photo, {}, payload, { durationMs: 1 })
    : failedPart(photo, {}, new MediaAiError('MEDIA_AI_OCR_FAILED'), payload, 1);
}
export const det = (photo_id: string, revision = 1, status: 'ok' | 'failed' = 'ok', label = 'cell phone'): DetectionsRecord =>
  part(photo_id, revision, status, {
    objects: [{ label, confidence: 0.9, box: { x: 0, y: 0, width: 1, height: 1 }, model: 'm' }],
    classifications: [],
  });
export const txt = (photo_id: string, revision = 1, status: 'ok' | 'failed' = 'ok'): TextsRecord =>
  part(photo_id, revision, status, emptyTexts());

export const desc = (photo_id: string, revision = 1, description = 'a black phone'): DescriptionRecord =>
  part(photo_id, revision, 'ok', { ...emptyDescription(), category: 'phone', description, confidence: 0.8 });

/** "stage:photo:revision<-made for" of each part, sorted: which record serves which revision. */
const served = (parts: JoinState['parts']) =>
  parts
    .map((p) => `${p.stage}:${p.record.photo_id}:${p.record.revision}${p.carried_from === undefined ? '' : `<-${p.carried_from}`}`)
    .sort();

export interface ContractStoreOptions {
  clock?: () => number;
  orphanTtlMs?: number;
  publishedTtlMs?: number;
}

/** The manifest's photos, each stored by the fetcher as the given image (sha256), in order. */
export const withImages = (m: PostManifest, images: readonly string[]): PostManifest => ({
  ...m,
  photos: m.photos.map((p, i) => ({ ...p, sha256: images[i] ?? null })),
});

/**
 * What the store holds that names `needle` (a post id or an image's sha256) in its key or in its
 * content, as key names without the store's own prefix (`tomb:<post id>`, `image-posts:<sha256>`...).
 */
export type HeldMentions = (store: JoinStore, needle: string) => Promise<string[]>;

/**
 * Registers the contract tests; `make` builds a fresh, empty store for each test, `mentions` looks
 * into what it holds (a forgotten post must leave nothing but its tombstone).
 */
export function describeJoinStoreContract(
  name: string,
  make: (options?: ContractStoreOptions) => JoinStore | Promise<JoinStore>,
  mentions: HeldMentions,
): void {
  describe(`${name} (JoinStore contract)`, () => {
    it('keeps parts that arrive before the manifest and completes once every expected part is in', async () => {
      const store = await make();
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
      expect(state.parts.map((p) => `${p.stage}:${p.record.photo_id}`)).toEqual(['detector:a', 'ocr:a', 'detector:b', 'ocr:b']);
      expect(await store.get(POST)).toEqual(state);
    });

    it('does not wait for photos the fetcher could not get', async () => {
      const store = await make();
      await store.putManifest(
        manifest(1, [
          ['a', 'ok'],
          ['b', 'failed'],
        ]),
      );
      await store.putPart('detector', det('a'));
      expect(isReadyToPublish(await store.putPart('ocr', txt('a')))).toBe(true);
    });

    it('a redelivered part or manifest leaves the state unchanged', async () => {
      const store = await make({ clock: () => 5 });
      await store.putManifest(manifest());
      const once = await store.putPart('detector', det('a'));
      const twice = await store.putPart('detector', det('a', 1, 'ok', 'laptop'));
      expect(twice).toEqual(once);
      expect(await store.putManifest({ ...manifest(), post_title: 'changed' })).toEqual(once);
    });

    it('concurrent duplicates of a part are stored once, and the post completes once', async () => {
      const store = await make();
      await store.putManifest(manifest(1, [['a', 'ok']]));
      await store.putPart('detector', det('a'));
      const states = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.putPart('ocr', txt('a', 1, i % 2 === 0 ? 'ok' : 'failed'))),
      );
      const final = (await store.get(POST))!;
      expect(final.parts.map((p) => `${p.stage}:${p.record.photo_id}:${p.record.status}`)).toEqual(['detector:a:ok', 'ocr:a:ok']);
      // Every answer is a complete post: whoever publishes builds it from the same parts.
      expect(states.every((s) => isReadyToPublish(s))).toBe(true);
    });

    it('a success replaces a give-up, a give-up never replaces a success', async () => {
      const store = await make();
      await store.putManifest(manifest());
      await store.putPart('ocr', txt('a', 1, 'failed'));
      let state = await store.putPart('ocr', txt('a', 1, 'ok'));
      expect(state.parts.map((p) => p.record.status)).toEqual(['ok']);
      state = await store.putPart('ocr', txt('a', 1, 'failed'));
      expect(state.parts.map((p) => p.record.status)).toEqual(['ok']);
    });

    it('a newer manifest drops older parts; stale parts and manifests are ignored', async () => {
      const store = await make();
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
      const store = await make();
      await store.putManifest(manifest());
      await store.putPart('detector', det('a'));
      expect(await store.markPublished(POST, 1, { id: 'evt' })).toEqual({ id: 'evt' });
      // A repeat keeps the first event, and says which one that is.
      expect(await store.markPublished(POST, 1, { id: 'other' })).toEqual({ id: 'evt' });
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

    it('markPublished records nothing for a post it does not hold', async () => {
      const store = await make();
      expect(await store.markPublished(POST, 1, { id: 'evt' })).toBeNull();
      expect(await store.get(POST)).toBeNull();
    });

    it('an offer is held for its revision: re-offers and publication keep the first offered event', async () => {
      const store = await make();
      await store.putManifest(manifest());
      expect(await store.offer(POST, 2, { id: 'wrong revision' })).toBeNull();
      expect(await store.offer(POST, 1, { id: 'first' })).toEqual({ id: 'first' });
      expect(await store.offer(POST, 1, { id: 'rebuilt' })).toEqual({ id: 'first' });
      expect((await store.get(POST))!.pending_offer).toEqual({ revision: 1, event: { id: 'first' } });
      // Another publisher (a part completing the post) publishes what was offered, not its own event.
      expect(await store.markPublished(POST, 1, { id: 'from a part' })).toEqual({ id: 'first' });
      const state = (await store.get(POST))!;
      expect(state.pending_offer).toBeNull();
      expect(state.published_event).toEqual({ id: 'first' });
      expect(await store.offer(POST, 1, { id: 'late' })).toBeNull();
    });

    it('a newer manifest discards an older revision’s offer', async () => {
      const store = await make();
      await store.putManifest(manifest(1));
      await store.offer(POST, 1, { id: 'one' });
      expect((await store.putManifest(manifest(1))).pending_offer).toEqual({ revision: 1, event: { id: 'one' } });
      expect((await store.putManifest(manifest(2))).pending_offer).toBeNull();
    });

    it('lists posts past their deadline and old orphans, oldest first; never published ones', async () => {
      let now = 0;
      const store = await make({ clock: () => now, orphanTtlMs: 1_000, publishedTtlMs: 5_000 });
      await store.putManifest({ ...manifest(1, [['a', 'ok']], 3_000), post_id: 'late' });
      await store.putManifest({ ...manifest(1, [['a', 'ok']], 2_000), post_id: 'later' });
      await store.putManifest({ ...manifest(1, [['a', 'ok']], 50_000), post_id: 'on-time' });
      await store.putPart('detector', { ...det('a'), post_id: 'orphan' });
      await store.putManifest({ ...manifest(1, [['a', 'ok']], 1_000), post_id: 'done' });
      await store.markPublished('done', 1);
      now = 500;
      expect(await store.listExpired(now)).toEqual([]);
      now = 4_000;
      const expired = await store.listExpired(now);
      expect(expired.map((s) => s.post_id)).toEqual(['orphan', 'later', 'late']);
      expect(expired[1]).toEqual(await store.get('later'));
      // Still listed until something is done about them (the timer publishes or drops).
      expect((await store.listExpired(now)).map((s) => s.post_id)).toEqual(['orphan', 'later', 'late']);
      await store.markPublished('later', 1);
      await store.drop('orphan');
      expect((await store.listExpired(now)).map((s) => s.post_id)).toEqual(['late']);
    });

    it('a newer manifest takes over the published parts of photos it still lists (same image); the rest are dropped', async () => {
      const store = await make();
      const withSha = (revision: number, photos: string[], sha = 's') => {
        const m = manifest(
          revision,
          photos.map((id) => [id, 'ok']),
        );
        return { ...m, photos: m.photos.map((p) => ({ ...p, sha256: sha })) };
      };
      await store.putManifest(withSha(1, ['a', 'b']));
      for (const id of ['a', 'b']) {
        await store.putPart('detector', det(id));
        await store.putPart('ocr', txt(id));
      }
      await store.markPublished(POST, 1, { id: 'one' });
      let state = (await store.get(POST))!;
      expect(state.parts).toEqual([]);
      expect(state.published_records.map((p) => `${p.stage}:${p.record.photo_id}:${p.record.revision}`)).toEqual([
        'detector:a:1',
        'ocr:a:1',
        'detector:b:1',
        'ocr:b:1',
      ]);

      // Photo c added: a and b come along, c is awaited.
      state = await store.putManifest(withSha(2, ['a', 'b', 'c']));
      expect(state.parts.map((p) => `${p.stage}:${p.record.photo_id}:${p.record.revision}`).sort()).toEqual([
        'detector:a:2',
        'detector:b:2',
        'ocr:a:2',
        'ocr:b:2',
      ]);
      expect(missingParts(state)).toEqual([
        { stage: 'detector', photo_id: 'c' },
        { stage: 'ocr', photo_id: 'c' },
      ]);
      await store.putPart('detector', det('c', 2));
      state = await store.putPart('ocr', txt('c', 2));
      expect(isReadyToPublish(state)).toBe(true);
      await store.markPublished(POST, 2, { id: 'two' });

      // Photo b removed, and photo a replaced by another image under the same id: only c carries over.
      const three = withSha(3, ['a', 'c']);
      three.photos[0]!.sha256 = 'other image';
      state = await store.putManifest(three);
      expect(state.parts.map((p) => `${p.stage}:${p.record.photo_id}:${p.record.revision}`).sort()).toEqual(['detector:c:3', 'ocr:c:3']);
      expect(missingParts(state)).toEqual([
        { stage: 'detector', photo_id: 'a' },
        { stage: 'ocr', photo_id: 'a' },
      ]);
      // A late part of an older revision serves the open one when it is of the same image...
      state = await store.putPart('detector', { ...det('a', 1), sha256: 'other image' });
      expect(state.parts.filter((p) => p.record.photo_id === 'a').map((p) => `${p.stage}:${p.record.revision}`)).toEqual(['detector:3']);
      // ...and not when it is of another one.
      state = await store.putPart('ocr', txt('a', 2));
      expect(missingParts(state)).toEqual([{ stage: 'ocr', photo_id: 'a' }]);
    });

    it("a manifest with stale_before takes over the other stages' parts but never an older one of its stage; later revisions keep it", async () => {
      const store = await make();
      const rev = (revision: number, stale: Record<string, number> = {}) => {
        const m = manifest(revision, [['a', 'ok']]);
        return { ...m, expected_stages: ['detector', 'llm'], photos: m.photos.map((p) => ({ ...p, sha256: 's' })), stale_before: stale };
      };
      await store.putManifest(rev(1));
      await store.putPart('detector', det('a'));
      await store.putPart('llm', desc('a', 1, 'old text'));
      await store.markPublished(POST, 1, { id: 'one' });

      // post.updated with a new description (revision 5): the detector's part comes along, the llm is awaited.
      let state = await store.putManifest(rev(5, { llm: 5 }));
      expect(served(state.parts)).toEqual(['detector:a:5<-1']);
      expect(missingParts(state)).toEqual([{ stage: 'llm', photo_id: 'a' }]);
      // The old answer redelivered does not serve it either.
      state = await store.putPart('llm', desc('a', 1, 'old text'));
      expect(missingParts(state)).toEqual([{ stage: 'llm', photo_id: 'a' }]);

      // A photo event (revision 7) while the llm is still asked: it keeps stale_before, the old answer stays out...
      state = await store.putManifest(rev(7, { llm: 5 }));
      expect(served(state.parts)).toEqual(['detector:a:7<-1']);
      // ...and the answer made for revision 5, arriving late, serves revision 7.
      state = await store.putPart('llm', desc('a', 5, 'new text'));
      expect(served(state.parts)).toEqual(['detector:a:7<-1', 'llm:a:7<-5']);
      expect(isReadyToPublish(state)).toBe(true);
      expect(partsByType(state).descriptions.map((d) => d.description)).toEqual(['new text']);
      await store.markPublished(POST, 7, { id: 'seven' });
      state = (await store.get(POST))!;
      expect(served(state.published_records)).toEqual(['detector:a:7<-1', 'llm:a:7<-5']);
      expect(state.published_parts.sort()).toEqual(['detector:a', 'llm:a']);

      // Revision 8 takes both over: each part is current.
      state = await store.putManifest(rev(8, { llm: 5 }));
      expect(served(state.parts)).toEqual(['detector:a:8<-1', 'llm:a:8<-5']);
      expect(isReadyToPublish(state)).toBe(true);
    });

    it('the carry-over is atomic: a stale part racing the manifest never gets in, whatever the order', async () => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const store = await make();
        const post = `race-${attempt}`;
        const m = manifest(1, [['a', 'ok']]);
        const one = { ...m, post_id: post, expected_stages: ['detector', 'llm'], photos: m.photos.map((p) => ({ ...p, sha256: 's' })) };
        await store.putManifest(one);
        await store.putPart('detector', { ...det('a'), post_id: post });
        await store.putPart('llm', { ...desc('a'), post_id: post });
        await store.markPublished(post, 1, { id: 'one' });
        await Promise.all([
          store.putPart('llm', { ...desc('a', 1), post_id: post }),
          store.putManifest({ ...one, revision: 2, stale_before: { llm: 2 } }),
          store.putPart('llm', { ...desc('a', 1), post_id: post }),
          store.putPart('detector', { ...det('a', 1), post_id: post }),
        ]);
        const state = (await store.get(post))!;
        expect(served(state.parts)).toEqual(['detector:a:2<-1']);
        expect(missingParts(state)).toEqual([{ stage: 'llm', photo_id: 'a' }]);
      }
    });

    it('drop forgets a post; returned states are copies', async () => {
      const store = await make();
      const state = await store.putManifest(manifest());
      state.manifest!.revision = 99;
      expect((await store.putPart('detector', det('a'))).manifest!.revision).toBe(1);
      expect((await store.get(POST))!.parts).toHaveLength(1);
      await store.drop(POST);
      expect(await store.get(POST)).toBeNull();
      expect((await store.putPart('detector', det('a'))).manifest).toBeNull();
    });

    describe('forgetting', () => {
      const OTHER = 'p-2';
      const other = (images: string[], revision = 1) => ({ ...withImages(manifest(revision), images), post_id: OTHER });
      const deleted = (at = 50) => ({ post_id: POST, event_type: 'post.deleted' as const, at });
      const resolved = (at = 50) => ({ post_id: POST, event_type: 'post.resolved' as const, at });

      it('forget leaves nothing of the post but its tombstone, and returns the images no other post uses', async () => {
        const store = await make();
        await store.putManifest(withImages(manifest(), ['img-1', 'img-2']));
        await store.putPart('detector', { ...det('a'), sha256: 'img-1' });
        await store.putPart('ocr', { ...txt('a'), sha256: 'img-1' });
        await store.markPublished(POST, 1, { id: 'evt' });
        await store.putManifest({ ...withImages(manifest(2), ['img-1', 'img-2']), deadline_at: 20_000 });
        await store.putManifest(other(['img-2']));

        expect(await store.forget(deleted())).toEqual(['img-1']);
        expect(await store.get(POST)).toBeNull();
        expect(await store.tombstoneOf(POST)).toEqual(deleted());
        expect(await mentions(store, POST)).toEqual([`tomb:${POST}`]);
        expect(await mentions(store, 'img-2')).toEqual([`image-posts:img-2`, `post-images:${OTHER}`, `post:${OTHER}`]);
        expect((await store.listExpired(1e12)).map((s) => s.post_id)).toEqual([OTHER]);
        // Until the caller says the images are deleted, a repeat (a redelivered deletion) returns them again.
        expect(await store.forget(deleted())).toEqual(['img-1']);
        await store.imagesDeleted(POST);
        expect(await store.forget(deleted())).toEqual([]);
        expect(await mentions(store, 'img-1')).toEqual([]);

        // The last post using an image takes it along; the other post is forgotten the same way.
        expect(await store.forget({ ...deleted(), post_id: OTHER })).toEqual(['img-2']);
        await store.imagesDeleted(OTHER);
        for (const needle of ['img-1', 'img-2']) expect(await mentions(store, needle)).toEqual([]);
        expect(await mentions(store, OTHER)).toEqual([`tomb:${OTHER}`]);
      });

      it('a forgotten post stores nothing: late parts and replayed manifests answer its tombstone', async () => {
        const store = await make();
        await store.putManifest(withImages(manifest(), ['img-1', 'img-2']));
        await store.forget(resolved());
        await store.imagesDeleted(POST);
        const replay = await store.putManifest(withImages(manifest(), ['img-1', 'img-2']));
        expect(replay).toMatchObject({ post_id: POST, forgotten: resolved(), manifest: null, parts: [], published_revision: null });
        expect((await store.putPart('detector', { ...det('a'), sha256: 'img-1' })).forgotten).toEqual(resolved());
        expect(await store.get(POST)).toBeNull();
        expect(await store.markPublished(POST, 1, { id: 'evt' })).toBeNull();
        expect(await store.offer(POST, 1, { id: 'evt' })).toBeNull();
        // The replay recorded no use: its images, stored again by the fetcher, are nobody's.
        expect(await store.unusedImages(['img-1', 'img-2', 'img-1'])).toEqual(['img-1', 'img-2']);
        expect(await mentions(store, POST)).toEqual([`tomb:${POST}`]);
      });

      it('a deletion overrides a resolution; otherwise the first ending event stays', async () => {
        const store = await make();
        await store.forget(resolved(10));
        await store.forget(resolved(20));
        expect(await store.tombstoneOf(POST)).toEqual(resolved(10));
        await store.forget(deleted(30));
        await store.forget(resolved(40));
        await store.forget(deleted(50));
        expect(await store.tombstoneOf(POST)).toEqual(deleted(30));
        expect(await store.tombstoneOf(OTHER)).toBeNull();
      });

      it('every manifest records its images, whatever its revision; an image used again after a crashed forget is kept', async () => {
        const store = await make();
        await store.putManifest(other(['img-1'], 3));
        await store.putManifest(other(['img-2'], 1)); // stale for the join, still the post's image
        expect(await store.unusedImages(['img-1', 'img-2', 'img-3'])).toEqual(['img-3']);

        await store.putManifest(withImages(manifest(), ['img-3']));
        expect(await store.forget(deleted())).toEqual(['img-3']);
        // The process died before deleting img-3; meanwhile another post got the same photo.
        await store.putManifest(other(['img-3'], 4));
        expect(await store.forget(deleted())).toEqual([]);
        expect(await store.unusedImages(['img-3'])).toEqual([]);
      });
    });
  });
}
