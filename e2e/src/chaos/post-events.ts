/**
 * Test-only: the posts.events records of a chaos run, built from the platform's own examples
 * (../shared/contracts/examples: fn-posts' wire form, `payload` envelope) with the post's ids, text,
 * photos and a timestamp of the run. Each builder also returns the post as fn-posts holds it after
 * the event, which the next event starts from. Pure: no clock, no randomness, no I/O but reading
 * the examples once.
 */
import { contractExample } from '@media-ai/pipeline/test-support';
import type { PlannedPhoto, PlannedPost, PlannedStep } from './plan.js';

/** The post as fn-posts holds it between two events. */
export interface PostState {
  postId: string;
  title: string;
  description: string;
  type: 'lost' | 'found';
  location: { latitude: number; longitude: number };
  photos: Array<PlannedPhoto & { url: string; order: number }>;
  createdAt: string;
}

/** The event to send and the post after it. */
export interface BuiltEvent {
  event: Record<string, unknown>;
  state: PostState;
  /** The photo a post.photo.removed took away. */
  removed?: PlannedPhoto;
}

type Example = Record<string, unknown> & { payload: Record<string, unknown> & { post: Record<string, unknown> } };

const EXAMPLE_FILES = {
  'post.created': 'post.created.json',
  'post.photo.added': 'post.photo.added.json',
  'post.photo.removed': 'post.photo.removed.json',
  'post.updated': 'post.updated.json',
  'post.deleted': 'post.deleted.json',
} as const;

type EventType = keyof typeof EXAMPLE_FILES;

const examples = new Map<EventType, Example>();

function example(type: EventType): Example {
  let found = examples.get(type);
  if (!found) {
    found = contractExample(EXAMPLE_FILES[type]) as Example;
    examples.set(type, found);
  }
  // A fresh copy: builders change it.
  return structuredClone(found);
}

export function initialState(post: PlannedPost, createdAt: string): PostState {
  return {
    postId: post.postId,
    title: post.title,
    description: post.description,
    type: post.type,
    location: { latitude: 40.7291, longitude: -73.9965 },
    photos: [],
    createdAt,
  };
}

/**
 * The event for `step`. `photoUrl` gives the URL the test photo server serves a photo at;
 * `timestamp` is the event's ISO time (its revision is derived from it).
 */
export function buildPostEvent(
  step: PlannedStep,
  before: PostState,
  options: { eventId: string; correlationId: string; timestamp: string; photoUrl: (photo: PlannedPhoto) => string },
): BuiltEvent {
  const withUrl = (photo: PlannedPhoto, order: number) => ({ ...photo, url: options.photoUrl(photo), order });
  let state: PostState = { ...before };
  let type: EventType;
  const extra: Record<string, unknown> = {};
  let removed: PlannedPhoto | undefined;
  switch (step.kind) {
    case 'created':
      type = 'post.created';
      state.photos = step.photos.map((photo, i) => withUrl(photo, i + 1));
      break;
    case 'photo.added': {
      type = 'post.photo.added';
      const added = withUrl(step.photo, Math.max(0, ...before.photos.map((p) => p.order)) + 1);
      state.photos = [...before.photos, added];
      extra['photo'] = photoJson(state, added, options.timestamp);
      extra['ai_processing_trigger'] = true;
      break;
    }
    case 'photo.removed': {
      type = 'post.photo.removed';
      const gone = before.photos[step.pick % before.photos.length]!;
      removed = { photoId: gone.photoId, image: gone.image };
      state.photos = before.photos.filter((p) => p.photoId !== gone.photoId);
      extra['photo'] = photoJson(state, gone, options.timestamp);
      break;
    }
    case 'updated.text':
      type = 'post.updated';
      state = { ...state, title: step.title, description: step.description };
      // fn-posts names both fields in both maps, changed or not.
      extra['changes'] = { title: step.title, description: step.description };
      extra['previous'] = { title: before.title, description: before.description };
      break;
    case 'updated.other':
      type = 'post.updated';
      state = { ...state, location: { latitude: step.latitude, longitude: step.longitude } };
      extra['changes'] = { location: state.location };
      extra['previous'] = { location: before.location };
      break;
    case 'deleted':
      type = 'post.deleted';
      extra['new_status'] = 'deleted';
      extra['previous_status'] = 'active';
      break;
  }

  const event = example(type);
  const payload = event.payload;
  const post = payload.post;
  Object.assign(event, {
    id: options.eventId,
    timestamp: options.timestamp,
    correlation_id: options.correlationId,
    aggregate_id: state.postId,
    post_id: state.postId,
  });
  Object.assign(post, {
    id: state.postId,
    title: state.title,
    description: state.description,
    type: state.type,
    status: step.kind === 'deleted' ? 'deleted' : 'active',
    location: state.location,
    photos: state.photos.map((photo) => photoJson(state, photo, state.createdAt)),
    created_at: state.createdAt,
    updated_at: options.timestamp,
  });
  delete post['resolved_at'];
  for (const key of ['photo', 'changes', 'previous', 'new_status', 'previous_status', 'ai_processing_trigger']) delete payload[key];
  Object.assign(payload, extra);
  return { event, state, ...(removed ? { removed } : {}) };
}

function photoJson(state: PostState, photo: PlannedPhoto & { url: string; order: number }, createdAt: string): Record<string, unknown> {
  // fn-posts' quirks kept: the format in mime_type, no file name, no size.
  return {
    id: photo.photoId,
    post_id: state.postId,
    original_url: photo.url,
    thumbnail_url: photo.url,
    filename: '',
    file_size: 0,
    mime_type: 'jpeg',
    width: 0,
    height: 0,
    order: photo.order,
    created_at: createdAt,
  };
}
