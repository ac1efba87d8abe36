/**
 * Plain-data builders for fusion tests: a manifest in the shape the fetcher writes (post, owner and
 * organization as fn-posts sends them, quirks included, read by the fetcher's own reader) and
 * per-photo parts. Test-only.
 */
import {
  emptyDescription,
  failedPartFields,
  MediaAiError,
  NO_JSON_COPIES,
  okPart,
  readPostEvent,
  type DescriptionRecord,
  type DetectionsRecord,
  type ErrorCode,
  type NamedColor,
  type PostManifest,
  type HashedIdentifier,
  type RecognisedDocumentRecord,
  type TextsRecord,
} from '@media-ai/contracts';

export const POST_ID = '3f6c2a9e-8b1d-4e57-9a0c-5d2e7b4f1a36';
export const PHOTO_1 = '1e8d5b3a-7c24-4f6e-9a01-3b5c8d2e7f49';
export const PHOTO_2 = '6a0f2d9c-3e81-4b57-a4c6-e19b72d05f38';
export const USER_ID = '9b2e4c71-0d3a-4f8e-b6c5-2a1f7e9d8c04';
export const ORG_ID = 'c47a1e2b-6f90-4d3c-8e15-b0a29d7f6e83';
export const RECEIVED_AT = Date.parse('2025-09-30T14:30:00.476Z');
export const NOW = RECEIVED_AT + 6_842;

const photoUrl = (name: string) => `https://storage.googleapis.com/findly-posts-prod/${ORG_ID}/${POST_ID}/original/${name}`;

/** The post as fn-posts writes it: mime "jpeg", width/height 0, empty filename, nanosecond times. */
export function fnPostsPost(photoIds: string[] = [PHOTO_1]): Record<string, unknown> {
  return {
    id: POST_ID,
    title: 'Lost black iPhone 15 Pro',
    description: 'Black iPhone 15 Pro in a blue silicone case, lost near the library entrance',
    type: 'lost',
    status: 'active',
    location: { latitude: 40.7291, longitude: -73.9965 },
    radius_meters: 1000,
    photos: photoIds.map((id, i) => ({
      id,
      post_id: POST_ID,
      original_url: photoUrl(`${i}.jpg`),
      thumbnail_url: photoUrl(`${i}.jpg`),
      filename: '',
      file_size: 2048576,
      mime_type: 'jpeg',
      width: 0,
      height: 0,
      order: i + 1,
      created_at: '2025-09-30T14:29:55.108334512Z',
    })),
    user_id: USER_ID,
    organization_id: ORG_ID,
    created_at: '2025-09-30T14:30:00.398120004Z',
    updated_at: '2025-09-30T14:30:00.398120004Z',
  };
}

export const fnPostsUser = () => ({
  user_id: {},
  display_name: 'User 9b2e4c71',
  preferences: { timezone: 'UTC', language: 'en', notification_channels: ['email', 'push'] },
});

export function fnPostsOrganization(
  policy: Record<string, unknown> = { auto_enhance: true, quality_threshold: 0.8, notify_on_enhancement: true },
) {
  return {
    organization_id: ORG_ID,
    name: 'Mock Organization',
    description: 'Mock organization for development',
    type: 'company',
    status: 'active',
    settings: {
      ai_enhancement_policy: policy,
      contact_exchange_policy: { auto_approve_verified: false, require_verification: true, preferred_contact_method: 'email' },
    },
    contact_policy: { auto_approve_verified: false, require_verification: true, preferred_contact_method: 'email' },
    created_at: '2024-09-30T14:30:00.401233870Z',
    updated_at: '2025-09-30T14:30:00.401233870Z',
  };
}

type Json = Record<string, unknown>;

/**
 * What the fetcher's reader (readPostEvent) makes of a post, owner and organization as fn-posts sends
 * them: the manifest's typed post_details, post_owner and post_organization. Each defaults to the
 * fixtures' fn-posts shape.
 */
export function readByFetcher(
  sent: { post?: Json; user?: Json; organization?: Json } = {},
): Pick<PostManifest, 'post_details' | 'post_owner' | 'post_organization'> {
  const payload = {
    post: sent.post ?? fnPostsPost(),
    user: sent.user ?? fnPostsUser(),
    organization: sent.organization ?? fnPostsOrganization({ auto_enhance: true, notify_on_enhancement: true }),
  };
  const event = readPostEvent({ id: '0b7c3e52-9d14-4a6f-8e21-7f5a9c3d1b60', event_type: 'post.created', payload });
  return { post_details: event.details, post_owner: event.owner, post_organization: event.organization };
}

/** `colors` gives the fetcher's measured colours per photo id (none measured when absent). */
export function manifest(
  overrides: Partial<PostManifest> = {},
  photoIds: string[] = [PHOTO_1],
  colors: Readonly<Record<string, NamedColor[]>> = {},
): PostManifest {
  return {
    post_id: POST_ID,
    revision: 1,
    event_id: '0b7c3e52-9d14-4a6f-8e21-7f5a9c3d1b60',
    event_type: 'post.created',
    correlation_id: '5d7e9f21-4b3c-4a8d-9e6f-0c1b2a3d4e5f',
    received_at: RECEIVED_AT,
    deadline_at: RECEIVED_AT + 60_000,
    post_title: 'Lost black iPhone 15 Pro',
    post_description: null,
    post_type: 'lost',
    organization_id: ORG_ID,
    ai_policy: null,
    ...NO_JSON_COPIES,
    photos: photoIds.map((photo_id, i) => ({
      photo_id,
      url: photoUrl(`${i}.jpg`),
      status: 'ok',
      sha256: `${i}`.repeat(64),
      error_code: null,
      error_message: null,
      colors: colors[photo_id] ?? [],
    })),
    expected_stages: ['detector', 'ocr', 'llm'],
    removed_photo_ids: [],
    ...readByFetcher({ post: fnPostsPost(photoIds) }),
    ...overrides,
  };
}

const photo = (photoId: string) => ({ post_id: POST_ID, photo_id: photoId, revision: 1, sha256: 'a'.repeat(64) });
const answered = { durationMs: 120 };

export function detections(
  photoId: string,
  objects: Array<[label: string, confidence: number]>,
  classifications: Array<[label: string, item: string | null, confidence: number]> = [],
): DetectionsRecord {
  const versions = { yolox: 'megvii/yolox-nano:0.1.1rc0', mobilenet: 'onnx/mobilenetv2-int8:12' };
  const payload = {
    objects: objects.map(([label, confidence]) => ({
      label,
      confidence,
      box: { x: 0.31, y: 0.18, width: 0.37, height: 0.57 },
      model: 'yolox-nano',
    })),
    classifications: classifications.map(([label, item, confidence]) => ({ label, item, confidence, model: 'mobilenetv2' })),
  };
  return okPart(photo(photoId), versions, payload, answered);
}

export function texts(
  photoId: string,
  lines: Array<[text: string, confidence: number]>,
  identifiers: HashedIdentifier[] = [],
  document: RecognisedDocumentRecord | null = null,
): TextsRecord {
  const payload = {
    lines: lines.map(([text, confidence]) => ({ text, confidence, box: { x: 0.45, y: 0.62, width: 0.1, height: 0.03 } })),
    text: lines.map(([t]) => t).join('\n'),
    confidence: lines.length ? Math.max(...lines.map(([, c]) => c)) : 0,
    redacted_kinds: [],
    sensitive_identifiers: [],
    rotation: 0,
    identifiers,
    document,
  };
  return okPart(photo(photoId), { tesseract: 'tesseract-model:1.0', privacy: 'privacy-rules-test' }, payload, answered);
}

export function description(photoId: string, fields: Partial<DescriptionRecord> = {}): DescriptionRecord {
  return {
    ...okPart(photo(photoId), { openai: 'openai-model:1.0' }, { ...emptyDescription(), category: 'phone', confidence: 0.9 }, answered),
    ...fields,
  };
}

/** The part as failed with `code`, its payload kept: fusion must ignore what a failed part carries. */
export function failedPart<T extends DetectionsRecord | TextsRecord | DescriptionRecord>(
  part: T,
  code: ErrorCode = 'MEDIA_AI_INFERENCE_FAILED',
): T {
  return { ...part, ...failedPartFields(part, part.model_versions, new MediaAiError(code, 'model failed')), duration_ms: part.duration_ms };
}
