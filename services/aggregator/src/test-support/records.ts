/** Plain inbound records for aggregator tests: a manifest as the fetcher writes it and per-photo parts. Test-only. */
import {
  NO_JSON_COPIES,
  okPart,
  readPostEvent,
  TOPICS,
  type AnyVersionManifest,
  type DescriptionRecord,
  type DetectionsRecord,
  type PostManifest,
  type TextsRecord,
} from '@media-ai/contracts';
import type { InboundRecord } from '@media-ai/stream';

export const POST_ID = '3f6c2a9e-8b1d-4e57-9a0c-5d2e7b4f1a36';
export const PHOTO_A = '1e8d5b3a-7c24-4f6e-9a01-3b5c8d2e7f49';
export const PHOTO_B = '6a0f2d9c-3e81-4b57-a4c6-e19b72d05f38';
export const T0 = Date.parse('2025-09-30T14:30:00.000Z');
export const USER_ID = '9b2e4c71-0d3a-4f8e-b6c5-2a1f7e9d8c04';

const post = (photos: string[]) => ({
  id: POST_ID,
  title: 'Lost black iPhone 15 Pro',
  type: 'lost',
  status: 'active',
  location: { latitude: 40.7291, longitude: -73.9965 },
  photos: photos.map((id, i) => ({
    id,
    post_id: POST_ID,
    original_url: `https://storage.test/${id}.jpg`,
    mime_type: 'jpeg',
    width: 0,
    height: 0,
    order: i + 1,
    created_at: '2025-09-30T14:29:55.108334512Z',
  })),
  user_id: USER_ID,
  created_at: '2025-09-30T14:30:00.398120004Z',
  updated_at: '2025-09-30T14:30:00.398120004Z',
});

/** The owner as fn-posts sends it (user_id serialised as {}). */
const owner = {
  user_id: {},
  display_name: 'User 9b2e4c71',
  preferences: { timezone: 'UTC', language: 'en', notification_channels: ['email'] },
};

/** What the fetcher's reader makes of that post and owner: the manifest's typed post, owner and organization. */
function readByFetcher(photos: string[]): Pick<PostManifest, 'post_details' | 'post_owner' | 'post_organization'> {
  const event = readPostEvent({ id: 'e-1', event_type: 'post.created', payload: { post: post(photos), user: owner } });
  return { post_details: event.details, post_owner: event.owner, post_organization: event.organization };
}

export function manifest(
  overrides: Partial<PostManifest> = {},
  photos: Array<[string, 'ok' | 'failed']> = [
    [PHOTO_A, 'ok'],
    [PHOTO_B, 'ok'],
  ],
): PostManifest {
  return {
    post_id: POST_ID,
    revision: 1,
    event_id: '0b7c3e52-9d14-4a6f-8e21-7f5a9c3d1b60',
    event_type: 'post.created',
    correlation_id: '5d7e9f21-4b3c-4a8d-9e6f-0c1b2a3d4e5f',
    received_at: T0,
    deadline_at: T0 + 30_000,
    post_title: 'Lost black iPhone 15 Pro',
    post_description: null,
    post_type: 'lost',
    organization_id: null,
    ai_policy: null,
    ...NO_JSON_COPIES,
    photos: photos.map(([photo_id, status]) => ({
      photo_id,
      url: `https://storage.test/${photo_id}.jpg?sig=secret`,
      status,
      sha256: status === 'ok' ? 'a'.repeat(64) : null,
      error_code: status === 'ok' ? null : 'MEDIA_AI_PHOTO_NOT_FOUND',
      error_message: status === 'ok' ? null : '404',
      colors: [],
    })),
    expected_stages: ['detector', 'ocr', 'llm'],
    removed_photo_ids: [],
    ...readByFetcher(photos.map(([id]) => id)),
    ...overrides,
  };
}

/** The same manifest as a v2 fetcher wrote it: the post and owner only as JSON copies, no typed fields. */
export function writtenByV2(photos: string[] = [PHOTO_A, PHOTO_B]): AnyVersionManifest {
  const {
    post_details: _d,
    post_owner: _o,
    post_organization: _g,
    ...v2
  } = manifest(
    {},
    photos.map((id): [string, 'ok'] => [id, 'ok']),
  );
  return { ...v2, original_post_json: JSON.stringify(post(photos)), post_owner_json: JSON.stringify(owner), organization_json: null };
}

/** An answered part of `photo_id` in `revision`. */
const answered = <P extends object>(photo_id: string, revision: number, payload: P, modelVersions: Record<string, string> = {}) =>
  okPart({ post_id: POST_ID, photo_id, revision, sha256: 'a'.repeat(64) }, modelVersions, payload, { durationMs: 100 });

export const detections = (photo_id: string, revision = 1): DetectionsRecord =>
  answered(
    photo_id,
    revision,
    {
      objects: [{ label: 'cell phone', confidence: 0.91, box: { x: 0.3, y: 0.2, width: 0.4, height: 0.5 }, model: 'yolox-nano' }],
      classifications: [],
    },
    { yolox: 'megvii/yolox-nano:0.1.1rc0' },
  );
/** Another item on another photo, so tests can tell which photos an event was fused from. */
export const backpack = (photo_id: string, revision = 1): DetectionsRecord => ({
  ...detections(photo_id, revision),
  objects: [{ label: 'backpack', confidence: 0.91, box: { x: 0.1, y: 0.1, width: 0.5, height: 0.6 }, model: 'yolox-nano' }],
});
export const texts = (photo_id: string, revision = 1): TextsRecord =>
  answered(photo_id, revision, {
    lines: [{ text: 'iPhone', confidence: 0.85, box: null }],
    text: 'iPhone',
    confidence: 0.85,
    redacted_kinds: [],
    sensitive_identifiers: [],
    rotation: 0,
    identifiers: [],
    document: null,
  });
export const descriptions = (photo_id: string, revision = 1): DescriptionRecord =>
  answered(photo_id, revision, {
    category: 'phone',
    brand: 'Apple',
    model: 'iPhone 15 Pro',
    colors: ['black'],
    material: null,
    distinguishing_marks: [],
    description: 'Black iPhone in a blue case.',
    confidence: 0.9,
  });

let offset = 0;
export function inbound<T>(topic: string, value: T): InboundRecord<T> {
  offset += 1;
  return { topic, partition: 0, offset: String(offset), key: POST_ID, value, headers: {}, timestamp: T0 };
}

export const partsOf = (photo: string, revision = 1) => [
  inbound(TOPICS.detections, detections(photo, revision)),
  inbound(TOPICS.texts, texts(photo, revision)),
  inbound(TOPICS.descriptions, descriptions(photo, revision)),
];
