import { describe, expect, it } from 'vitest';
import { readPostEvent } from '@media-ai/contracts';
import { revisionOf } from '@media-ai/fetcher-service';
import { buildPostEvent, initialState, type PostState } from './post-events.js';
import type { PlannedPost, PlannedStep } from './plan.js';

const post: PlannedPost = {
  postId: '0d9f3c59-6a1e-4a8e-9a41-2f3b1c0e7d11',
  title: 'black phone near the station',
  description: 'A phone, last seen near the station.',
  type: 'lost',
  steps: [],
};
const photo = (n: number) => ({ photoId: `00000000-0000-4000-8000-00000000000${n}`, image: n });
const url = (p: { photoId: string }) => `https://127.0.0.1:9/photos/${p.photoId}.jpg`;

function play(steps: PlannedStep[]) {
  let state: PostState = initialState(post, '2026-01-01T10:00:00.000Z');
  return steps.map((step, i) => {
    const timestamp = new Date(Date.UTC(2026, 0, 1, 10, 0, i)).toISOString();
    const built = buildPostEvent(step, state, { eventId: `e${i}`, correlationId: `c${i}`, timestamp, photoUrl: url });
    state = built.state;
    return { built, read: readPostEvent(built.event), timestamp };
  });
}

describe('buildPostEvent', () => {
  it('writes each lifecycle event as the tolerant reader reads fn-posts, with the post as it stands after it', () => {
    const [created, added, removed, text, other, deleted] = play([
      { kind: 'created', photos: [photo(1), photo(2)], thinkMs: 0 },
      { kind: 'photo.added', photo: photo(3), thinkMs: 0 },
      { kind: 'photo.removed', pick: 4, thinkMs: 0 },
      { kind: 'updated.text', title: 'blue phone near the park', description: 'A phone.', thinkMs: 0 },
      { kind: 'updated.other', latitude: 1, longitude: 2, thinkMs: 0 },
      { kind: 'deleted', hot: false, thinkMs: 0 },
    ]);
    expect(created!.read).toMatchObject({
      eventType: 'post.created',
      postId: post.postId,
      correlationId: 'c0',
      aiProcessingRequested: true,
    });
    expect(created!.read.post.photos.map((p) => p.url)).toEqual([url(photo(1)), url(photo(2))]);
    expect(revisionOf(created!.read, 0)).toBe(1);

    expect(added!.read.eventType).toBe('post.photo.added');
    expect(added!.read.photo?.id).toBe(photo(3).photoId);
    expect(added!.read.post.photos).toHaveLength(3);
    expect(revisionOf(added!.read, 0)).toBe(revisionOf({ eventType: 'post.photo.added', timestamp: Date.parse(added!.timestamp) }, 0));

    // pick 4 of three photos: the second one (4 mod 3).
    expect(removed!.read.eventType).toBe('post.photo.removed');
    expect(removed!.read.photo?.id).toBe(photo(2).photoId);
    expect(removed!.built.removed).toEqual(photo(2));
    expect(removed!.read.post.photos.map((p) => p.id)).toEqual([photo(1).photoId, photo(3).photoId]);

    expect(text!.read.post.title).toBe('blue phone near the park');
    // What the fetcher compares (changesPostText): the text in `changes` against `previous`.
    expect(text!.read.changes).toEqual({ title: 'blue phone near the park', description: 'A phone.' });
    expect(text!.read.previous).toEqual({ title: post.title, description: post.description });
    expect(other!.read.eventType).toBe('post.updated');
    expect(Object.keys(other!.read.changes ?? {})).toEqual(['location']);
    expect(deleted!.read.eventType).toBe('post.deleted');
    // Each later event a revision of its own second, after the one before.
    const revisions = [added, removed, text].map((e) => revisionOf(e!.read, 0));
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
    expect(new Set(revisions).size).toBe(3);
  });
});
