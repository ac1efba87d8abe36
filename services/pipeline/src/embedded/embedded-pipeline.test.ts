/**
 * End to end through the embedded pipeline: real posts.events examples of the platform, real photos,
 * real ONNX models, real tesseract, every stage and codec as in production on the in-process
 * transport. One pipeline for the whole file; every post is submitted up front so the stages work on
 * them together (as they would under load) and each test waits for its own post.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HEADERS,
  validatePostEnhanced,
  validateProcessingError,
  type PostEnhancedEvent,
  type ProcessingErrorEvent,
} from '@media-ai/contracts';
import { loadPlatformPostEnhancedValidator, type PlatformValidator } from '@media-ai/contracts/test-support';
import { canonicalItem, enrichmentEventId } from '@media-ai/enrich';
import { buildPostCreatedEvent } from '../post-events.js';
import {
  contractExample,
  labelOf,
  photoPath,
  photoUrl,
  setPostId,
  testEnv,
  testRuntime,
  withPhotos,
  type TestEnv,
} from '../test-support/pipeline-env.js';
import { EmbeddedPipeline } from './embedded-pipeline.js';
import type { EnrichmentEvent } from './enrichment-observer.js';

/** The post id of post.created.json (and of its contract-envelope twin, which gets its own id here). */
const EXAMPLE_POST_ID = '3f6c2a9e-8b1d-4e57-9a0c-5d2e7b4f1a36';
const INVALID_JSON = Buffer.from('{"event_type": "post.created", "payload": {', 'utf8');
const MISSING_PHOTO = pathToFileURL(photoPath('no_such_photo.jpg')).href;

/** Every labelled cell phone of ../shared/photos/manifest.json. */
const PHONE_PHOTOS = [
  'phone_with_powerbank.jpg',
  'phone_lockscreen_in_hand.jpg',
  'hard_dark_phone_in_hand.jpg',
  'hard_alpha_phone_powerbank.png',
  'laptop_on_kitchen_table.jpg',
];
const LICENCE = 'id_driver_license_specimen_wa.jpg';

let env: TestEnv;
let pipeline: EmbeddedPipeline;
let platformValidator: PlatformValidator;

const postIds = {
  example: EXAMPLE_POST_ID,
  dataEnvelope: randomUUID(),
  mixed: randomUUID(),
  allFailed: randomUUID(),
  afterUnreadable: '',
  varta: '',
  licence: '',
  phones: new Map<string, string>(),
};

function enhanced(event: EnrichmentEvent): PostEnhancedEvent {
  expect(event.event_type, JSON.stringify((event as ProcessingErrorEvent).data)).toBe('post.enhanced');
  return event as PostEnhancedEvent;
}

function expectValidEnhanced(event: EnrichmentEvent): PostEnhancedEvent {
  const post = enhanced(event);
  expect(validatePostEnhanced(post).errors).toEqual([]);
  expect(platformValidator(post).errors).toEqual([]);
  return post;
}

/** The published objects in the fusion's vocabulary ("cell phone" and "phone" are one thing), as the eval scores them. */
function publishedItems(event: PostEnhancedEvent): string[] {
  return (event.data.enhanced_metadata.attributes.objects ?? []).map((o) => canonicalItem(o.name) ?? o.name.toLowerCase());
}

/** Every string a consumer can read as text or tag (free text, tags, objects, scene, owner-only block). */
function publishedTexts(event: PostEnhancedEvent): string[] {
  const d = event.data;
  const a = d.enhanced_metadata.attributes;
  return [
    ...(a.text_content ?? []).map((t) => t.text),
    ...d.enhanced_metadata.tags.map((t) => t.tag),
    ...(d.ai_analysis.tags ?? []).map((t) => t.tag),
    ...(d.ai_analysis.text_content ?? []).map((t) => t.text),
    ...d.tag_grades.map((g) => g.tag),
    ...(a.objects ?? []).flatMap((o) => [o.name, ...Object.values(o.attributes ?? {})]),
    a.scene?.primary_scene ?? '',
    ...(a.scene?.sub_scenes ?? []),
    d.generated_description ?? '',
    d.enhanced_metadata.enhanced_description ?? '',
    ...(d.sensitive?.identifiers ?? []).flatMap((i) => [i.kind, i.last4]),
  ];
}

beforeAll(async () => {
  env = testEnv();
  platformValidator = loadPlatformPostEnhancedValidator();
  pipeline = await EmbeddedPipeline.start(testRuntime(env.env));

  // The platform's own examples, photos pointed at real files.
  await pipeline.submit(withPhotos(contractExample('post.created.json'), [photoUrl('phone_with_powerbank.jpg')]));
  await pipeline.submit(
    setPostId(
      withPhotos(contractExample('post.created.contract-data-envelope.json'), [photoUrl('coffee_cup_saucer.jpg')]),
      postIds.dataEnvelope,
    ),
  );
  await pipeline.submit(
    setPostId(withPhotos(contractExample('post.created.json'), [photoUrl('hard_alpha_phone_powerbank.png'), MISSING_PHOTO]), postIds.mixed),
  );
  await pipeline.submit(
    setPostId(
      withPhotos(contractExample('post.created.json'), [MISSING_PHOTO, pathToFileURL(photoPath('nor_this_one.jpg')).href]),
      postIds.allFailed,
    ),
  );

  // Unreadable records, then a good one behind them: the bytes are keyed by the good post's id so
  // they sit in its partition, ahead of it.
  const after = buildPostCreatedEvent({ photoUrls: [photoUrl('toy_astronaut_on_desk.jpg')] });
  postIds.afterUnreadable = after.postId;
  await pipeline.submit({ hello: 1 });
  await pipeline.submitBytes(INVALID_JSON, after.postId);
  await pipeline.submit(after.event);

  for (const [file, key] of [
    ['batteries_varta.jpg', 'varta'],
    [LICENCE, 'licence'],
  ] as const) {
    const post = buildPostCreatedEvent({ photoUrls: [photoUrl(file)] });
    postIds[key] = post.postId;
    await pipeline.submit(post.event);
  }
  for (const file of PHONE_PHOTOS.slice(1)) {
    const post = buildPostCreatedEvent({ photoUrls: [photoUrl(file)] });
    postIds.phones.set(file, post.postId);
    await pipeline.submit(post.event);
  }
  postIds.phones.set(PHONE_PHOTOS[0]!, EXAMPLE_POST_ID);
});

afterAll(async () => {
  await pipeline?.stop();
  env?.cleanup();
});

describe('the platform example post.created (fn-posts payload form)', () => {
  it('yields one post.enhanced valid against our schema and the platform contract, with the phone found', async () => {
    const event = expectValidEnhanced(await pipeline.waitForEnrichment(EXAMPLE_POST_ID));

    expect(event.data.post_id).toBe(EXAMPLE_POST_ID);
    expect(event.data.original_post.id).toBe(EXAMPLE_POST_ID);
    expect(event.correlation_id).toBe('5d7e9f21-4b3c-4a8d-9e6f-0c1b2a3d4e5f');
    expect(pipeline.enrichmentsOf(EXAMPLE_POST_ID)).toHaveLength(1);
    expect(event.data.failed_photos).toEqual([]);

    const objects = event.data.enhanced_metadata.attributes.objects ?? [];
    const phone = objects.find((o) => canonicalItem(o.name) === 'phone');
    expect(phone, JSON.stringify(objects)).toBeDefined();
    expect(phone!.bounding_box).toMatchObject({
      x: expect.any(Number),
      y: expect.any(Number),
      width: expect.any(Number),
      height: expect.any(Number),
    });
    expect(event.data.enhanced_metadata.tags.map((t) => t.tag)).toContain('phone');
  });

  it('is honest about the llm being off: not expected, not reported missing, no llm version claimed', async () => {
    expect(pipeline.capabilities.find((c) => c.stage === 'llm')).toMatchObject({
      enabled: false,
      reason: expect.stringContaining('OPENAI_API_KEY'),
    });
    const event = enhanced(await pipeline.waitForEnrichment(EXAMPLE_POST_ID));

    // Off by configuration is not a failure: the post did not wait for it and does not list it.
    expect(event.data.missing_stages).not.toContain('llm');
    expect(event.data.missing_stages).toEqual([]);
    expect(event.data.failed_photos.map((f) => f.stage)).not.toContain('llm');
    // Nor does it claim an llm's work: no llm source, no OpenAI model version.
    expect(event.data.tag_grades.flatMap((g) => g.sources)).not.toContain('llm');
    expect(Object.keys(event.data.model_versions).join(' ')).not.toMatch(/openai|gpt|llm/i);
    expect(Object.keys(event.data.ai_analysis.processing_metrics?.stage_timings ?? {}).join(' ')).not.toMatch(/llm|description/i);
    expect(event.data.generated_description ?? '').not.toMatch(/llm|openai/i);
    // What did run is named.
    expect(Object.keys(event.data.model_versions)).toEqual(expect.arrayContaining(['yolox-nano', 'mobilenetv2-int8']));
    expect(event.data.model_versions).toHaveProperty('tesseract.js');
  });

  it('republishes the same event, same id, when the same event is submitted again', async () => {
    const first = await pipeline.waitForEnrichment(EXAMPLE_POST_ID);
    await pipeline.submit(withPhotos(contractExample('post.created.json'), [photoUrl('phone_with_powerbank.jpg')]));

    const replayed = await pipeline.waitForEnrichment(EXAMPLE_POST_ID, undefined, 2);

    // Deterministic: post id + revision (1 for post.created), not random and not the clock.
    expect(first.id).toBe(enrichmentEventId(EXAMPLE_POST_ID, 1));
    expect(replayed.id).toBe(first.id);
    expect(replayed).toEqual(first);
    expect(new Set(pipeline.enrichmentsOf(EXAMPLE_POST_ID).map((e) => e.id)).size).toBe(1);
  });
});

describe('the contract data-envelope example', () => {
  it('enriches too, valid against both schemas', async () => {
    const event = expectValidEnhanced(await pipeline.waitForEnrichment(postIds.dataEnvelope));

    expect(event.data.post_id).toBe(postIds.dataEnvelope);
    expect(event.data.original_post.location.address).toBe('Washington Square, New York, NY');
    expect(event.data.failed_photos).toEqual([]);
    const labelled = labelOf('coffee_cup_saucer.jpg').objects.map((o) => canonicalItem(o) ?? o);
    expect(labelled).toHaveLength(1);
    expect(publishedItems(event)).toEqual(expect.arrayContaining(labelled));
  });
});

describe('photos that cannot be fetched', () => {
  it('a post with one good photo and one missing file is enriched, listing the failed photo', async () => {
    const event = expectValidEnhanced(await pipeline.waitForEnrichment(postIds.mixed));

    expect(event.data.failed_photos).toHaveLength(1);
    expect(event.data.failed_photos[0]).toMatchObject({ stage: 'fetcher', error_code: 'MEDIA_AI_PHOTO_NOT_FOUND' });
    const photos = event.data.original_post.photos;
    expect(event.data.failed_photos[0]!.photo_id).toBe(photos.find((p) => p.original_url === MISSING_PHOTO)!.id);
    // The good photo still counts.
    expect((event.data.enhanced_metadata.attributes.objects ?? []).map((o) => canonicalItem(o.name))).toContain('phone');
  });

  it('a post whose photos all fail gets a processing.error valid against its schema', async () => {
    const event = await pipeline.waitForEnrichment(postIds.allFailed);

    expect(event.event_type).toBe('processing.error');
    const error = event as ProcessingErrorEvent;
    expect(validateProcessingError(error).errors).toEqual([]);
    expect(error.data.post_id).toBe(postIds.allFailed);
    expect(error.data.error_code).toBe('MEDIA_AI_ALL_PHOTOS_FAILED');
    expect(error.data.retryable).toBe(false);
    expect(error.data.failed_photos).toHaveLength(2);
    expect(error.data.failed_photos.map((p) => p.error_code)).toEqual(['MEDIA_AI_PHOTO_NOT_FOUND', 'MEDIA_AI_PHOTO_NOT_FOUND']);
  });
});

describe('an unreadable event', () => {
  it('lands in the dead-letter topic with the error code, and the stream moves on', async () => {
    // The good post submitted after it is enriched...
    expectValidEnhanced(await pipeline.waitForEnrichment(postIds.afterUnreadable));

    // ...and by then the unreadable ones were dead-lettered with the reason, bytes and key untouched.
    const dead = pipeline.deadLetters();
    expect(dead).toHaveLength(2);
    for (const record of dead) {
      expect(record.headers[HEADERS.dlqErrorCode]).toBe('MEDIA_AI_BAD_EVENT');
      expect(record.headers[HEADERS.dlqStage]).toBe('fetcher');
      expect(record.headers[HEADERS.dlqSourceTopic]).toBe('posts.events');
    }
    const json = dead.find((r) => r.key === null)!;
    expect(JSON.parse(json.value!.toString('utf8'))).toEqual({ hello: 1 });
    const bytes = dead.find((r) => r.key === postIds.afterUnreadable)!;
    expect(bytes.value).toEqual(INVALID_JSON);
  });
});

describe('quality floors on labelled photos', () => {
  // The hard floor. Measured 2026-11-26: fails. TesseractTextReader reads "VARTA" (sideways) from the
  // original file and from the photo normalized at JPEG quality 90 or 95, but not at the default
  // AI_IMAGE_QUALITY 85 the fetcher stores and the OCR stage reads: text is then "HIGH ENERGY" only.
  it('reads the VARTA label on batteries_varta.jpg', async () => {
    const event = enhanced(await pipeline.waitForEnrichment(postIds.varta));
    const text = (event.data.enhanced_metadata.attributes.text_content ?? []).map((t) => t.text).join('\n');
    expect(text).toMatch(/VARTA/i);
  });

  async function expectPhoneFound(file: string): Promise<void> {
    const event = expectValidEnhanced(await pipeline.waitForEnrichment(postIds.phones.get(file)!));
    const objects = (event.data.enhanced_metadata.attributes.objects ?? []).map((o) => `${o.name} ${o.confidence}`);
    expect(labelOf(file).objects.map((o) => canonicalItem(o))).toContain('phone');
    expect(publishedItems(event), `objects: ${objects.join(', ')}`).toContain('phone');
  }

  // The phone beside the laptop was the known failing floor with YOLOX-Nano alone (0.165, under its
  // 0.3 cut-off). The detector ensemble finds it: YOLOX at 0.165 and NanoDet-g at 0.35 agree on the
  // same box, which fusion admits (both above their agree thresholds) at 0.49.
  it.each(PHONE_PHOTOS)('finds the labelled cell phone in %s', expectPhoneFound);
});

describe('personal data', () => {
  it('publishes no date of birth, licence number or name from the driver licence specimen', async () => {
    const event = expectValidEnhanced(await pipeline.waitForEnrichment(postIds.licence));
    const published = publishedTexts(event).join('\n');
    const label = labelOf(LICENCE);
    // The labelled personal values: licence number (and the barcode line that starts with it), the
    // holder's names, the date of birth.
    for (const value of ['WDLABCD456DG', 'TALBOT', 'LIAM', '01/06/1958']) {
      expect(label.text.join('\n')).toContain(value); // the label still says what to look for
      expect(published.toUpperCase()).not.toContain(value);
    }
    // Looser readings OCR could produce: digits of the birth date, the licence number without noise.
    expect(published.replace(/\D/g, '')).not.toContain('01061958');
    expect(published.toUpperCase().replace(/[^A-Z0-9]/g, '')).not.toMatch(/ABCD456|TALBOT/);
  });
});
