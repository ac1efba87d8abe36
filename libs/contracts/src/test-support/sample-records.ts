// One fully populated record per internal topic, typed with records.ts: the compiler proves each
// sample has every field of the TS type, and encoding with noUndeclaredFields proves the Avro
// schema has no field more or less. Together they pin "the schemas mirror records.ts".
import { MediaAiError } from '../errors.js';
import { emptyDescription, failedPart } from '../part-results.js';
import { emptyPostDetails } from '../post-context.js';
import type {
  ContactPolicy,
  DescriptionRecord,
  DetectionsRecord,
  OrganizationSettings,
  PhotoRecord,
  PostManifest,
  ReviewDecisionRecord,
  TextsRecord,
} from '../records.js';

const POST_ID = '3f6c2a9e-8b1d-4e57-9a0c-5d2e7b4f1a36';
const USER_ID = '9b2e4c71-0d3a-4f8e-b6c5-2a1f7e9d8c04';
const ORG_ID = 'c47a1e2b-6f90-4d3c-8e15-b0a29d7f6e83';
const PHOTO_ID = '1e8d5b3a-7c24-4f6e-9a01-3b5c8d2e7f49';
const PHOTO_ID_2 = '6a0f2d9c-3e81-4b57-a4c6-e19b72d05f38';
const SHA = 'a'.repeat(64);

const organizationSettings: OrganizationSettings = {
  default_search_radius: 1000,
  max_posts_per_user: 50,
  auto_expire_days: 30,
  ai_enhancement_policy: { auto_enhance: true, quality_threshold: 0.8, notify_on_enhancement: true },
};
const contactPolicy: ContactPolicy = {
  auto_approve_verified: false,
  require_verification: true,
  preferred_contact_method: 'email',
  max_requests_per_day: 5,
};

/** A keyed identifier hash as the stages publish it (hex HMAC-SHA256). */
export const SAMPLE_HASH = '5b1c3f0e9a7d2c4b8e6f1a3d5c7b9e2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b';

export const manifest: PostManifest = {
  post_id: POST_ID,
  revision: 2,
  event_id: '0b7c3e52-9d14-4a6f-8e21-7f5a9c3d1b60',
  event_type: 'post.created',
  correlation_id: '5d7e9f21-4b3c-4a8d-9e6f-0c1b2a3d4e5f',
  received_at: 1_759_242_600_412,
  deadline_at: 1_759_242_660_412,
  post_title: 'Lost black iPhone 15 Pro',
  post_description: 'Black iPhone 15 Pro in a blue silicone case',
  post_type: 'lost',
  organization_id: ORG_ID,
  ai_policy: { auto_enhance: true, quality_threshold: 0.8 },
  original_post_json: JSON.stringify({ id: POST_ID, title: 'Lost black iPhone 15 Pro' }),
  post_owner_json: JSON.stringify({ user_id: USER_ID }),
  organization_json: null,
  photos: [
    {
      photo_id: PHOTO_ID,
      url: 'https://storage.googleapis.com/b/p.jpg',
      status: 'ok',
      sha256: SHA,
      error_code: null,
      error_message: null,
      colors: [
        { name: 'black', hex: '#1c1c1e', share: 0.62 },
        { name: 'blue', hex: '#2a5fa8', share: 0.21 },
      ],
    },
    {
      photo_id: PHOTO_ID_2,
      url: 'https://storage.googleapis.com/b/q.png',
      status: 'failed',
      sha256: null,
      error_code: 'MEDIA_AI_PHOTO_NOT_FOUND',
      error_message: 'The photo does not exist at its source',
      colors: [],
    },
  ],
  expected_stages: ['detector', 'ocr', 'llm'],
  removed_photo_ids: [],
  stale_before: { llm: 2 },
  post_details: {
    user_id: USER_ID,
    organization_id: ORG_ID,
    status: 'active',
    location: { latitude: 40.7291, longitude: -73.9965, address: 'Washington Square, New York, NY' },
    radius_meters: 1000,
    created_at: '2025-09-30T14:30:00.398120004Z',
    updated_at: '2025-09-30T14:30:00.398120004Z',
    photos: [
      {
        id: PHOTO_ID,
        post_id: POST_ID,
        url: 'https://storage.googleapis.com/b/p.jpg',
        thumbnail_url: 'https://storage.googleapis.com/b/p.jpg',
        filename: '',
        file_size: 2_048_576,
        mime_type: 'jpeg',
        width: 0,
        height: 0,
        order: 1,
        created_at: '2025-09-30T14:29:55.108334512Z',
      },
      {
        id: PHOTO_ID_2,
        post_id: null,
        url: 'https://storage.googleapis.com/b/q.png',
        thumbnail_url: null,
        filename: null,
        file_size: null,
        mime_type: null,
        width: null,
        height: null,
        order: 2,
        created_at: null,
      },
    ],
    photo_ids: [PHOTO_ID, PHOTO_ID_2],
  },
  post_owner: {
    user_id: USER_ID,
    display_name: 'User 9b2e4c71',
    avatar_url: 'https://cdn.example/avatars/9b2e4c71.png',
    preferences: {
      global_enabled: true,
      timezone: 'UTC',
      language: 'en',
      channel_preferences: { email: true, sms: false, whatsapp: null },
      notification_channels: ['email', 'push'],
    },
    organization: { organization_id: ORG_ID, name: 'Mock Organization', role: 'staff', settings: organizationSettings },
    reputation_score: 4.5,
    verification_level: 'email_verified',
    contact_policy: contactPolicy,
  },
  post_organization: {
    organization_id: ORG_ID,
    name: 'Mock Organization',
    description: 'Mock organization for development',
    type: 'company',
    status: 'active',
    settings: organizationSettings,
    contact_policy: contactPolicy,
    created_at: '2024-09-30T14:30:00.401233870Z',
    updated_at: '2025-09-30T14:30:00.401233870Z',
  },
  post_identifiers: [{ kind: 'serial_number', hash: SAMPLE_HASH, last4: 'GJH5' }],
};

/** The same manifest with every nullable field null and every list empty. */
export const sparseManifest: PostManifest = {
  ...manifest,
  correlation_id: null,
  post_title: null,
  post_description: null,
  post_type: null,
  organization_id: null,
  ai_policy: null,
  post_owner_json: null,
  organization_json: null,
  photos: [],
  expected_stages: [],
  removed_photo_ids: [],
  stale_before: {},
  post_details: emptyPostDetails(),
  post_owner: null,
  post_organization: null,
  post_identifiers: [],
};

export const photo: PhotoRecord = {
  post_id: POST_ID,
  photo_id: PHOTO_ID,
  revision: 2,
  sha256: SHA,
  blob_key: `photos/${SHA}.webp`,
  content_type: 'image/webp',
  width: 1024,
  height: 768,
  original_width: 4032,
  original_height: 3024,
  byte_length: 183_412,
  colors: [
    { name: 'black', hex: '#101010', share: 0.61 },
    { name: 'blue', hex: '#2a4bd7', share: 0.22 },
  ],
  post_title: 'Lost black iPhone 15 Pro',
  post_description: null,
  post_type: 'lost',
  correlation_id: null,
  third_party_ai: true,
  reasked_stages: ['llm'],
  faces: [
    {
      confidence: 0.87,
      box: { x: 0.62, y: 0.08, width: 0.09, height: 0.12 },
      keypoints: [
        { x: 0.645, y: 0.11 },
        { x: 0.685, y: 0.11 },
        { x: 0.665, y: 0.14 },
        { x: 0.665, y: 0.17 },
        { x: 0.625, y: 0.12 },
        { x: 0.705, y: 0.12 },
      ],
    },
    { confidence: 0.61, box: { x: 0.1, y: 0.5, width: 0.05, height: 0.06 }, keypoints: null },
  ],
};

const partBase = {
  post_id: POST_ID,
  photo_id: PHOTO_ID,
  revision: 2,
  sha256: SHA,
  status: 'ok' as const,
  error_code: null,
  error_message: null,
  duration_ms: 412,
};

export const detections: DetectionsRecord = {
  ...partBase,
  model_versions: { yolox: 'megvii/yolox-nano:0.1.1rc0', mobilenet: 'onnx/mobilenetv2-12-int8:1.0' },
  objects: [
    {
      label: 'cell phone',
      confidence: 0.91,
      box: { x: 0.1, y: 0.2, width: 0.3, height: 0.5 },
      model: 'yolox',
      colors: [{ name: 'black', hex: '#1c1c1e', share: 0.82 }],
    },
  ],
  classifications: [
    { label: 'cellular telephone', item: 'phone', confidence: 0.77, model: 'mobilenet' },
    { label: 'velvet', item: null, confidence: 0.05, model: 'mobilenet' },
  ],
  salient_object: { box: { x: 0.12, y: 0.22, width: 0.26, height: 0.46 }, colors: [{ name: 'black', hex: '#1c1c1e', share: 0.9 }] },
  fingerprint: {
    model: 'mobilenetv2-int8/global-average-pool:1',
    perceptual_hash: 'c3d1e0f0b0a09080',
    items: [
      {
        label: 'cell phone',
        box: { x: 0.1, y: 0.2, width: 0.3, height: 0.5 },
        embedding: 'AH8BAP8A',
        color_histogram: '3c1e0a05000000000000000000000000000000000000000000000000',
      },
      { label: null, box: null, embedding: 'AQJ/AAAA', color_histogram: null },
    ],
  },
};

export const texts: TextsRecord = {
  ...partBase,
  model_versions: { tesseract: 'tesseract.js:7.0.0' },
  lines: [
    { text: 'Call [phone]', confidence: 0.88, box: { x: 0, y: 0.9, width: 0.5, height: 0.05 } },
    { text: 'APPLE', confidence: 0.93, box: null },
  ],
  text: 'Call [phone]\nAPPLE',
  confidence: 0.9,
  redacted_kinds: ['phone'],
  sensitive_identifiers: [],
  rotation: 90,
  identifiers: [{ kind: 'imei', hash: SAMPLE_HASH, last4: '3809' }],
  document: { type: 'payment card', confidence: 0.91, evidence: ['card number (luhn)'] },
};

export const description: DescriptionRecord = failedPart(
  partBase,
  {},
  new MediaAiError('MEDIA_AI_LLM_UNAVAILABLE', 'rate limited'),
  emptyDescription(),
  partBase.duration_ms,
);

export const fullDescription: DescriptionRecord = {
  ...partBase,
  model_versions: { openai: 'openai/gpt-4o-mini:2024-07-18' },
  category: 'phone',
  brand: 'Apple',
  model: 'iPhone 15 Pro',
  colors: ['black', 'blue'],
  material: 'silicone',
  distinguishing_marks: ['cracked corner'],
  description: 'A black iPhone in a blue silicone case.',
  confidence: 0.86,
};

const decision: ReviewDecisionRecord = {
  decision_id: '5b0e2c1d-8a7f-4e3b-9c6d-1f2a3b4c5d6e',
  post_id: '3f6c2a9e-8b1d-4e57-9a0c-5d2e7b4f1a36',
  revision: 1727706601,
  tenant: 'c47a1e2b-6f90-4d3c-8e15-b0a29d7f6e83',
  reviewer: 'moderator-1',
  decided_at: 1759243200476,
  tag: 'backpack',
  tier: 'human_review',
  confidence: 0.55,
  action: 'accept',
  corrected_to: null,
};
const correction: ReviewDecisionRecord = { ...decision, action: 'correct', corrected_to: 'bag' };

/** Topic -> samples that must round-trip unchanged. */
export const SAMPLES: Record<string, readonly object[]> = {
  'media-ai.posts': [manifest, sparseManifest],
  'media-ai.photos': [photo],
  'media-ai.detections': [detections],
  'media-ai.texts': [texts],
  'media-ai.descriptions': [description, fullDescription],
  'media-ai.reviews': [decision, correction],
};
