import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from './errors.js';
import { loadJsonSchema, validatePostEnhanced, validateProcessingError, PROCESSING_ERROR_SCHEMA_FILE } from './enrichment.js';
import { loadPlatformPostEnhancedValidator, sharedDir, type PlatformValidator } from './test-support/platform-contract.js';
import { SAMPLE_HASH } from './test-support/sample-records.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- free-form fixtures

/** The contract-shaped example plus media-ai's own fields: what our schema requires on top. */
function ourEvent(): Json {
  const e = JSON.parse(readFileSync(path.join(sharedDir(), 'contracts/examples/post.enhanced.contract-schema.json'), 'utf8')) as Json;
  e.data.revision = 1;
  e.data.enhancement_level = 'auto_enhance';
  e.data.missing_stages = [];
  e.data.failed_photos = [];
  e.data.tag_grades = e.data.ai_analysis.tags.map((t: Json) => ({
    tag: t.tag,
    category: t.category,
    confidence: t.confidence,
    tier: 'auto_apply',
    sources: ['detector'],
    evidence: [{ source: 'detector', label: 'cell phone', model: 'yolox-nano+nanodet-g', confidence: t.confidence }],
  }));
  e.data.generated_description = e.data.enhanced_metadata.enhanced_description;
  e.data.sensitive = {
    classification: 'owner_only',
    identifiers: [
      { kind: 'imei', hash: SAMPLE_HASH, last4: '3809', photo_id: 'p1', source: 'photo' },
      { kind: 'serial_number', hash: SAMPLE_HASH, last4: 'GJH5', photo_id: null, source: 'post_text' },
    ],
  };
  e.data.fingerprints = [
    {
      photo_id: 'p1',
      model: 'mobilenetv2-int8/global-average-pool:1',
      perceptual_hash: 'c3d1e0f0b0a09080',
      items: [
        { label: 'cell phone', box: { x: 0.1, y: 0.2, width: 0.3, height: 0.5 }, embedding: 'AH8BAP8A' },
        { label: null, box: null, embedding: 'AQJ/AAAA' },
      ],
    },
  ];
  return e;
}

describe('post.enhanced.v1 schema', () => {
  let platform: PlatformValidator;
  beforeAll(() => {
    platform = loadPlatformPostEnhancedValidator();
  });

  it('accepts a full event, which the platform contract accepts too', () => {
    const event = ourEvent();
    expect(validatePostEnhanced(event).errors).toEqual([]);
    expect(platform(event).errors).toEqual([]);
  });

  it('rejects the bare platform example: our flat fields are required', () => {
    const bare = JSON.parse(readFileSync(path.join(sharedDir(), 'contracts/examples/post.enhanced.contract-schema.json'), 'utf8'));
    const result = validatePostEnhanced(bare);
    expect(result.valid).toBe(false);
    expect(result.errors.join('\n')).toMatch(/missing_stages/);
  });

  const breakages: Array<[string, (e: Json) => void, RegExp, boolean]> = [
    // [name, break, expected message, does the platform also reject it?]
    ['string tags', (e) => (e.data.enhanced_metadata.tags = ['apple']), /tags\/0/, true],
    ['tag without category (platform allows)', (e) => delete e.data.ai_analysis.tags[0].category, /category/, false],
    ['colour without hex (platform allows)', (e) => delete e.data.ai_analysis.colors[0].hex_code, /hex_code/, false],
    ['pixel box (platform allows)', (e) => (e.data.ai_analysis.objects[1].bounding_box.width = 366), /width/, false],
    ['undeclared data field', (e) => (e.data.debug = true), /additional/, false],
    ['unknown tier', (e) => (e.data.tag_grades[0].tier = 'maybe'), /tier/, false],
    ['tag grade without evidence', (e) => delete e.data.tag_grades[0].evidence, /evidence/, false],
    ['evidence from an unknown source', (e) => (e.data.tag_grades[0].evidence[0].source = 'guess'), /source/, false],
    ['sensitive block not marked owner_only', (e) => (e.data.sensitive.classification = 'public'), /sensitive/, false],
    [
      'a readable identifier value in the sensitive block',
      (e) => (e.data.sensitive.identifiers[0].value = '356938035643809'),
      /sensitive/,
      false,
    ],
    ['an identifier hash that is not one', (e) => (e.data.sensitive.identifiers[0].hash = '356938035643809'), /sensitive/, false],
    ['more than the last four characters', (e) => (e.data.sensitive.identifiers[0].last4 = '35643809'), /sensitive/, false],
    ['version 2', (e) => (e.version = 2), /version/, false],
    ['extra AIMetadata field', (e) => (e.data.ai_analysis.overall_confidence = 0.8), /additional/, true],
  ];
  it.each(breakages)('rejects %s', (_name, breakIt, message, platformRejects) => {
    const event = ourEvent();
    breakIt(event);
    const result = validatePostEnhanced(event);
    expect(result.valid).toBe(false);
    expect(result.errors.join('\n')).toMatch(message);
    expect(platform(event).valid).toBe(!platformRejects);
  });
});

describe('processing.error.v1 schema', () => {
  it('accepts every error catalogue code and nothing outside the MEDIA_AI_ namespace', () => {
    const schema = loadJsonSchema(PROCESSING_ERROR_SCHEMA_FILE) as Json;
    const pattern = new RegExp(schema.properties.data.properties.error_code.pattern);
    for (const code of Object.keys(ERROR_CODES)) expect(code).toMatch(pattern);
    expect('GCS_ACCESS_DENIED').not.toMatch(pattern);
  });

  it('accepts the documented shape on the platform envelope and rejects a broken copy', () => {
    const event = {
      id: 'b1f1e1a2-6c1d-5a3e-8f00-1234567890ab',
      event_type: 'processing.error',
      timestamp: '2025-09-30T14:30:07.318Z',
      version: 1,
      correlation_id: null,
      data: {
        post_id: '3f6c2a9e-8b1d-4e57-9a0c-5d2e7b4f1a36',
        revision: 1,
        error_code: 'MEDIA_AI_NO_PHOTOS',
        error_type: 'no_photos',
        error_message: 'The post has no photos to analyse',
        retryable: false,
        will_retry: false,
        retry_count: 0,
        max_retries: 0,
        next_retry_at: null,
        failed_photos: [],
      },
    };
    expect(validateProcessingError(event).errors).toEqual([]);
    expect(validateProcessingError({ ...event, version: '1.0' }).valid).toBe(false);
    expect(validateProcessingError({ ...event, data: { ...event.data, error_type: 'No Photos' } }).valid).toBe(false);
  });
});
