import {
  MediaAiError,
  validatePostEnhanced,
  type DetectionsRecord,
  type NamedColor,
  type PostEnhancedEvent,
  type TagGrade,
} from '@media-ai/contracts';
import { loadPlatformPostEnhancedValidator, type PlatformValidator } from '@media-ai/contracts/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_THRESHOLDS,
  combineAgreeing,
  fusePost,
  gradeConfidence,
  isPublishableTag,
  overallConfidence,
  type ConfidenceThresholds,
  type FusePostInput,
} from './fuse.js';
import { enrichmentEventId } from './event-id.js';
import {
  NOW,
  PHOTO_1,
  PHOTO_2,
  POST_ID,
  USER_ID,
  description,
  detections,
  failedPart,
  fnPostsOrganization,
  fnPostsPost,
  manifest,
  readByFetcher,
  texts,
} from './test-support/fixtures.js';

let platform: PlatformValidator;
beforeAll(() => {
  platform = loadPlatformPostEnhancedValidator();
});

/** Every event a test produces must pass our schema and the platform contract. */
function fuse(input: Partial<FusePostInput> & Pick<FusePostInput, 'manifest'>): PostEnhancedEvent {
  const event = fusePost({ detections: [], texts: [], descriptions: [], thresholds: DEFAULT_THRESHOLDS, now: NOW, ...input });
  const ours = validatePostEnhanced(event);
  expect(ours.errors, 'our schema').toEqual([]);
  const theirs = platform(event);
  expect(theirs.errors, 'platform contract').toEqual([]);
  return JSON.parse(JSON.stringify(event)) as PostEnhancedEvent;
}

/** Keyed hashes as the stages publish them (hex HMAC-SHA256; fusion never sees a value). */
const HASH_IMEI = 'a'.repeat(64);
const HASH_SERIAL = 'b'.repeat(64);

const grade = (event: PostEnhancedEvent, tag: string): TagGrade | undefined => event.data.tag_grades.find((g) => g.tag === tag);

/** The detections part with measured colours on its objects, by label (what the detector stage adds since detections v2). */
function withObjectColors(part: DetectionsRecord, colors: Record<string, NamedColor[]>): DetectionsRecord {
  return { ...part, objects: part.objects.map((o) => ({ ...o, colors: colors[o.label] ?? [] })) };
}

interface Scenario {
  name: string;
  input: Omit<FusePostInput, 'thresholds' | 'now' | 'detections' | 'texts' | 'descriptions'> & Partial<FusePostInput>;
  expect: (event: PostEnhancedEvent) => void;
}

const scenarios: Scenario[] = [
  {
    name: 'synonyms from three sources merge into one tag whose confidence rises with agreement',
    input: {
      manifest: manifest(),
      detections: [detections(PHOTO_1, [['cell phone', 0.8]], [['cellular telephone, cellular phone', 'phone', 0.6]])],
      descriptions: [description(PHOTO_1, { category: 'phone', confidence: 0.9 })],
      texts: [texts(PHOTO_1, [])],
    },
    expect: (e) => {
      const phone = grade(e, 'phone')!;
      expect(e.data.tag_grades.map((g) => g.tag)).toEqual(['phone']);
      expect(phone.confidence).toBeGreaterThan(0.9);
      expect(phone.confidence).toBeLessThan(1);
      expect(phone.sources).toEqual(['llm', 'detector', 'classifier']);
      // Who said what, in each model's own words, before the taxonomy made it 'phone'.
      expect(phone.evidence.map((x) => [x.source, x.label, x.confidence])).toEqual([
        ['llm', 'phone', 0.9],
        ['detector', 'cell phone', 0.8],
        ['classifier', 'cellular telephone, cellular phone', 0.6],
      ]);
      expect(phone.tier).toBe('auto_apply');
      expect(e.data.enhanced_metadata.tags).toEqual([
        { tag: 'phone', confidence: phone.confidence, source: 'object_detection', category: 'object' },
      ]);
    },
  },
  {
    name: 'a single source keeps its own confidence',
    input: {
      manifest: manifest(),
      detections: [detections(PHOTO_1, [['backpack', 0.77]])],
      texts: [texts(PHOTO_1, [])],
      descriptions: [description(PHOTO_1, { category: 'other' })],
    },
    expect: (e) => {
      expect(grade(e, 'backpack')).toMatchObject({ confidence: 0.77, tier: 'suggest', sources: ['detector'] });
      expect(e.data.enhanced_metadata.tags).toEqual([]);
    },
  },
  {
    name: 'contradiction: the llm says wallet, the classifier says phone; both are lowered',
    input: {
      manifest: manifest(),
      detections: [detections(PHOTO_1, [], [['cellular telephone', 'phone', 0.7]])],
      descriptions: [description(PHOTO_1, { category: 'wallet', confidence: 0.8 })],
      texts: [texts(PHOTO_1, [])],
    },
    expect: (e) => {
      expect(grade(e, 'wallet')!.confidence).toBeCloseTo(0.8 * (1 - 0.5 * 0.7), 3);
      expect(grade(e, 'phone')!.confidence).toBeCloseTo(0.7 * (1 - 0.5 * 0.8), 3);
      expect(e.data.enhanced_metadata.tags).toEqual([]);
    },
  },
  {
    name: 'secondary objects seen only by the detector are not contradicted by the main item',
    input: {
      manifest: manifest(),
      detections: [
        detections(PHOTO_1, [
          ['cell phone', 0.88],
          ['keys', 0.72],
        ]),
      ],
      descriptions: [description(PHOTO_1, { category: 'phone', confidence: 0.9 })],
      texts: [texts(PHOTO_1, [])],
    },
    expect: (e) => expect(grade(e, 'keys')).toMatchObject({ confidence: 0.72, tier: 'suggest' }),
  },
  {
    name: 'OCR brand words become brand tags and agree with the llm brand; iPhone supports phone',
    input: {
      manifest: manifest(),
      detections: [detections(PHOTO_1, [['cell phone', 0.7]])],
      texts: [
        texts(PHOTO_1, [
          ['iPhone', 0.8],
          ['designed by Apple in California', 0.75],
        ]),
      ],
      descriptions: [description(PHOTO_1, { category: 'phone', brand: 'Apple', confidence: 0.85 })],
    },
    expect: (e) => {
      const apple = grade(e, 'apple')!;
      expect(apple.category).toBe('brand');
      expect(apple.sources).toEqual(['ocr', 'llm']);
      // OCR 0.8 (best line) and llm 0.85 x 0.9 agree: 1 - 0.2 x (1 - 0.6 x 0.765)
      expect(apple.confidence).toBeCloseTo(0.892, 3);
      expect(grade(e, 'phone')!.sources).toContain('ocr');
      expect(e.data.ai_analysis.tags!.find((t) => t.tag === 'apple')!.source).toBe('text_extraction');
    },
  },
  {
    name: 'brand contradiction: OCR reads Samsung, the llm says Apple',
    input: {
      manifest: manifest(),
      texts: [texts(PHOTO_1, [['SAMSUNG', 0.8]])],
      descriptions: [description(PHOTO_1, { category: 'phone', brand: 'Apple', confidence: 0.9 })],
      detections: [detections(PHOTO_1, [])],
    },
    expect: (e) => {
      expect(grade(e, 'samsung')!.confidence).toBeCloseTo(0.8 * (1 - 0.5 * 0.81), 3);
      expect(grade(e, 'apple')!.confidence).toBeCloseTo(0.81 * (1 - 0.5 * 0.8), 3);
    },
  },
  {
    name: 'tenant auto_enhance false: nothing is auto-applied, strong tags become suggestions',
    input: {
      manifest: manifest({ ai_policy: { auto_enhance: false, quality_threshold: 0 } }),
      detections: [detections(PHOTO_1, [['cell phone', 0.95]])],
      descriptions: [description(PHOTO_1, { category: 'phone', confidence: 0.95, description: 'A black phone.' })],
      texts: [texts(PHOTO_1, [])],
    },
    expect: (e) => {
      expect(grade(e, 'phone')!.tier).toBe('suggest');
      expect(e.data.enhanced_metadata.tags).toEqual([]);
      expect(e.data.enhanced_metadata.enhanced_description).toBeNull();
      expect(e.data.generated_description).toBe('A black phone.');
      expect(e.data.enhancement_level).toBe('suggest_tags');
      expect(e.data.downstream_actions.notification_policy!.notify_user).toBe(false);
    },
  },
  {
    name: 'tenant quality_threshold raises the auto bar (0.9 tag stays a suggestion under 0.95)',
    input: {
      manifest: manifest({
        post_organization: readByFetcher({ organization: fnPostsOrganization({ auto_enhance: true, quality_threshold: 0.95 }) })
          .post_organization,
      }),
      detections: [detections(PHOTO_1, [['cell phone', 0.9]])],
      descriptions: [description(PHOTO_1, { category: 'other' })],
      texts: [texts(PHOTO_1, [])],
    },
    expect: (e) => expect(grade(e, 'phone')!.tier).toBe('suggest'),
  },
  {
    name: 'tiers: below discard dropped, between discard and review kept as low; a person is an object, never a tag',
    input: {
      manifest: manifest(),
      detections: [
        detections(PHOTO_1, [
          ['umbrella', 0.2],
          ['bottle', 0.4],
          ['backpack', 0.55],
          ['person', 0.99],
        ]),
      ],
      descriptions: [description(PHOTO_1, { category: 'other' })],
      texts: [texts(PHOTO_1, [])],
    },
    expect: (e) => {
      expect(grade(e, 'umbrella')).toBeUndefined();
      expect(grade(e, 'bottle')!.tier).toBe('low');
      expect(grade(e, 'backpack')!.tier).toBe('human_review');
      expect(e.data.tag_grades.map((g) => g.tag)).not.toContain('person');
      expect(e.data.ai_analysis.tags!.map((t) => t.tag)).not.toContain('person');
      expect(e.data.enhanced_metadata.tags.map((t) => t.tag)).not.toContain('person');
      expect(e.data.ai_analysis.objects!.map((o) => o.name)).toEqual(['person', 'backpack', 'bottle']);
      // Context only: where the detector saw someone, with no identity attached.
      expect(e.data.enhanced_metadata.attributes.objects![0]).toEqual({
        name: 'person',
        confidence: 0.99,
        bounding_box: { x: 0.31, y: 0.18, width: 0.37, height: 0.57 },
        attributes: { photo_id: PHOTO_1, label: 'person', model: 'yolox-nano', source: 'detector', frame_share: '0.211' },
      });
    },
  },
  {
    name: 'classifier: breeds add up to one dog, listed as an object without a box when the detector missed it',
    input: {
      manifest: manifest({ expected_stages: ['detector'] }),
      detections: [
        detections(
          PHOTO_1,
          [
            ['person', 0.81],
            ['person', 0.73],
          ],
          [
            ['Rhodesian ridgeback', 'dog', 0.46],
            ['Saluki', 'dog', 0.21],
            ['Great Dane', 'dog', 0.09],
            ['Ibizan hound', 'dog', 0.08],
            ['vizsla', 'dog', 0.03],
          ],
        ),
      ],
    },
    expect: (e) => {
      // Softmax classes are exclusive: P(dog) is the sum over breeds, not the top breed's 0.46.
      expect(grade(e, 'pet')).toMatchObject({ confidence: 0.87, tier: 'auto_apply', sources: ['classifier'] });
      expect(e.data.ai_analysis.objects!.map((o) => [o.name, o.confidence, o.bounding_box])).toEqual([
        ['dog', 0.87, null],
        ['person', 0.81, { x: 0.31, y: 0.18, width: 0.37, height: 0.57 }],
        ['person', 0.73, { x: 0.31, y: 0.18, width: 0.37, height: 0.57 }],
      ]);
      expect(e.data.ai_analysis.objects![0]!.attributes).toMatchObject({
        source: 'classifier',
        label: 'Rhodesian ridgeback; Saluki; Great Dane; Ibizan hound; vizsla',
      });
    },
  },
  {
    name: 'classifier: no second object when the detector already boxed it; weak classes stay tags only',
    input: {
      manifest: manifest({ expected_stages: ['detector'] }),
      detections: [
        detections(
          PHOTO_1,
          [
            ['dog', 0.81],
            ['bicycle', 0.8],
          ],
          [
            ['malamute', 'dog', 0.68],
            ['lighter', 'lighter', 0.44],
            ['sweatshirt', 'clothing', 0.15],
          ],
        ),
      ],
    },
    expect: (e) => {
      expect(e.data.ai_analysis.objects!.map((o) => o.name)).toEqual(['dog', 'bicycle']);
      expect(grade(e, 'pet')).toMatchObject({ confidence: 0.888, sources: ['detector', 'classifier'] });
      expect(grade(e, 'lighter')!.tier).toBe('low');
      expect(grade(e, 'clothing')).toBeUndefined();
    },
  },
  {
    name: 'classifier: ballpoint and fountain pen are one pen; espresso is a cup',
    input: {
      manifest: manifest({ expected_stages: ['detector'] }, [PHOTO_1, PHOTO_2]),
      detections: [
        detections(
          PHOTO_1,
          [['airplane', 0.46]],
          [
            ['ballpoint', 'pen', 0.5],
            ['pole', null, 0.12],
            ['fountain pen', 'pen', 0.09],
          ],
        ),
        detections(PHOTO_2, [], [['espresso', 'cup', 0.99]]),
      ],
    },
    expect: (e) => {
      expect(grade(e, 'pen')).toMatchObject({ confidence: 0.59, tier: 'human_review' });
      // One source naming two items on two photos is not a contradiction (README: only another source contradicts).
      expect(grade(e, 'cup')!.confidence).toBe(0.99);
      expect(e.data.ai_analysis.objects!.map((o) => o.name)).toEqual(['cup', 'pen', 'airplane']);
    },
  },
  {
    name: 'OCR: a battery brand implies batteries, a document names itself, an ID layout is a card',
    input: {
      manifest: manifest({ expected_stages: ['ocr'] }, [PHOTO_1, PHOTO_2]),
      texts: [
        texts(PHOTO_1, [
          ['VARTA', 0.9],
          ['HIGH ENERGY', 0.85],
        ]),
        texts(PHOTO_2, [
          ['PASSPORT CANADA', 0.9],
          ['16 HGT', 0.9],
          ['12 RESTRICTIONS 9a END L', 0.9],
          ['15 SEX M 18 EYESBLU', 0.9],
          ['scLass B', 0.9],
        ]),
      ],
    },
    expect: (e) => {
      expect(grade(e, 'varta')).toMatchObject({ category: 'brand', confidence: 0.9 });
      expect(grade(e, 'batteries')).toMatchObject({ category: 'object', confidence: 0.63, sources: ['ocr'] });
      expect(grade(e, 'document')).toMatchObject({ confidence: 0.81, tier: 'suggest' });
      // Four licence fields (HGT, RESTRICTIONS, SEX M, EYES; the misread "scLass" is no word "class"):
      // weight 0.5 + 0.1 x 1 = 0.6 of the reading's 0.9.
      expect(grade(e, 'card')).toMatchObject({ confidence: 0.54, tier: 'human_review' });
    },
  },
  {
    name: "OCR: a brand read inside an item's box names that item in its evidence; one read elsewhere names itself",
    input: {
      manifest: manifest({ expected_stages: ['detector', 'ocr'] }, [PHOTO_1, PHOTO_2]),
      // The fixture's line box lies inside the fixture's object box; on PHOTO_2 nothing has a box.
      detections: [detections(PHOTO_1, [['cell phone', 0.8]]), detections(PHOTO_2, [['person', 0.9]])],
      texts: [texts(PHOTO_1, [['SAMSUNG', 0.9]]), texts(PHOTO_2, [['VARTA', 0.9]])],
    },
    expect: (e) => {
      expect(grade(e, 'samsung')!.evidence).toEqual([{ source: 'ocr', label: 'phone', model: null, confidence: 0.9 }]);
      // A person is never the item a brand belongs to.
      expect(grade(e, 'varta')!.evidence).toEqual([{ source: 'ocr', label: 'varta', model: null, confidence: 0.9 }]);
    },
  },
  {
    name: 'OCR: insurance and business card layouts are cards; the same labels on a page of prose are not',
    input: {
      manifest: manifest({ expected_stages: ['ocr'] }, [PHOTO_1, PHOTO_2]),
      texts: [
        texts(PHOTO_1, [
          ['Member Medical Network HERITAGE', 0.8],
          ['Prefix Identification Suffix Premera Vision YES', 0.8],
          ['BCAAXYZ Deductible $1,500', 0.8],
        ]),
        texts(PHOTO_2, [
          ['Dear Sir, thank you for your letter', 0.9],
          ...Array.from({ length: 30 }, (_, i): [string, number] => [`line ${i} of the letter body`, 0.9]),
          ['tel: [PHONE] fax: [PHONE]', 0.9],
        ]),
      ],
    },
    expect: (e) => {
      // member, network, identification, vision, deductible: 5 labels, minimum 3 -> 0.7 of 0.8.
      expect(grade(e, 'card')).toMatchObject({ confidence: 0.56, sources: ['ocr'] });
    },
  },
  {
    name: 'OCR: a short text with two contact labels is a business card',
    input: {
      manifest: manifest({ expected_stages: ['ocr'] }),
      texts: [
        texts(PHOTO_1, [
          ['[NAME]', 0.7],
          ['Senior Researcher', 0.7],
          ['y mob: [PHONE]', 0.7],
          ['y fax: 0) 20', 0.7],
        ]),
      ],
    },
    expect: (e) => expect(grade(e, 'card')).toMatchObject({ confidence: 0.35, tier: 'low' }),
  },
  {
    name: 'OCR: a lone field word is weak evidence and a single ID-like word is none',
    input: {
      manifest: manifest({ expected_stages: ['ocr'] }),
      texts: [
        texts(PHOTO_1, [
          ['Member of the month', 0.9],
          ['Restrictions apply', 0.9],
        ]),
      ],
    },
    expect: (e) => {
      expect(grade(e, 'card')).toMatchObject({ confidence: 0.36, tier: 'low' });
    },
  },
  {
    name: 'PII: identifiers reach only the sensitive block, as keyed hashes; written ones are masked in text and prose, never tags',
    input: {
      manifest: manifest({ post_identifiers: [{ kind: 'serial_number', hash: HASH_SERIAL, last4: 'GJH5' }] }),
      detections: [detections(PHOTO_1, [['cell phone', 0.9]])],
      texts: [
        // The ocr stage masks what it finds; a line it let through still meets fusion's guard.
        texts(
          PHOTO_1,
          [
            ['IMEI 356938035643809', 0.9],
            ['[EMAIL]', 0.8],
          ],
          [{ kind: 'imei', hash: HASH_IMEI, last4: '3809' }],
        ),
        texts(PHOTO_2, [['S/N: [SERIAL]', 0.9]], [{ kind: 'imei', hash: HASH_IMEI, last4: '3809' }]),
      ],
      descriptions: [
        description(PHOTO_1, {
          category: 'phone',
          brand: 'SN 12345678',
          model: 'C02XK0ABJGH5',
          material: 'IMEI 356938035643809',
          description: 'Phone, IMEI 356938035643809 on the back.',
        }),
      ],
    },
    expect: (e) => {
      expect(e.data.sensitive).toEqual({
        classification: 'owner_only',
        identifiers: [
          { kind: 'serial_number', hash: HASH_SERIAL, last4: 'GJH5', photo_id: null, source: 'post_text' },
          { kind: 'imei', hash: HASH_IMEI, last4: '3809', photo_id: PHOTO_1, source: 'photo' },
        ],
      });
      // Not anywhere, the sensitive block included: it holds hashes and last fours only.
      const json = JSON.stringify(e);
      for (const value of ['356938035643809', '3569380356', 'C02XK0ABJGH5', '12345678']) expect(json).not.toContain(value);
      expect(e.data.ai_analysis.text_content!.map((t) => t.text)).toContain('IMEI [IMEI]');
      expect(e.data.generated_description).toBe('Phone, IMEI [IMEI] on the back.');
      expect(e.data.tag_grades.map((g) => g.tag)).toEqual(['phone']);
    },
  },
  {
    name: 'a document type the ocr stage recognised is an item tag of the taxonomy, with its coarser item',
    input: {
      manifest: manifest({ expected_stages: ['ocr'] }),
      texts: [
        texts(PHOTO_1, [['PASSPORT', 0.9]], [{ kind: 'document_number', hash: HASH_SERIAL, last4: '0509' }], {
          type: 'passport',
          confidence: 0.99,
          evidence: ['mrz:TD3 P check digits valid', 'phrase:passport'],
        }),
      ],
    },
    expect: (e) => {
      expect(grade(e, 'passport')).toMatchObject({ confidence: 0.891, tier: 'auto_apply', category: 'object', sources: ['ocr'] });
      expect(grade(e, 'passport')!.evidence).toEqual([
        { source: 'ocr', label: 'passport', model: 'privacy-rules-test', confidence: 0.891 },
      ]);
      expect(grade(e, 'document')!.confidence).toBeGreaterThanOrEqual(0.891);
      expect(e.data.sensitive!.identifiers).toEqual([
        { kind: 'document_number', hash: HASH_SERIAL, last4: '0509', photo_id: PHOTO_1, source: 'photo' },
      ]);
    },
  },
  {
    name: 'overall confidence is not diluted by many weak parts',
    input: {
      manifest: manifest(),
      detections: [
        detections(PHOTO_1, [
          ['cell phone', 0.95],
          ['bottle', 0.35],
          ['cup', 0.35],
          ['book', 0.35],
          ['umbrella', 0.35],
        ]),
      ],
      descriptions: [description(PHOTO_1, { category: 'phone', confidence: 0.93, colors: ['black'] })],
      texts: [
        texts(PHOTO_1, [
          ['a', 0.31],
          ['b', 0.32],
          ['c', 0.33],
        ]),
      ],
    },
    expect: (e) => {
      const top3 = e.data.tag_grades.slice(0, 3).map((g) => g.confidence);
      expect(e.data.ai_confidence).toBeCloseTo(top3.reduce((a, b) => a + b, 0) / 3, 3);
      expect(e.data.ai_confidence).toBeGreaterThan(0.6);
    },
  },
  {
    name: 'missing stage and failed photos are listed; the post still publishes',
    input: {
      manifest: manifest(
        {
          photos: [
            {
              photo_id: PHOTO_1,
              url: 'https://x.test/1.jpg',
              status: 'ok',
              sha256: 'a'.repeat(64),
              error_code: null,
              error_message: null,
              colors: [],
            },
            {
              photo_id: PHOTO_2,
              url: 'https://x.test/2.jpg',
              status: 'failed',
              sha256: null,
              error_code: 'MEDIA_AI_PHOTO_NOT_FOUND',
              error_message: '404',
              colors: [],
            },
          ],
        },
        [PHOTO_1, PHOTO_2],
      ),
      detections: [detections(PHOTO_1, [['cell phone', 0.9]])],
      texts: [failedPart(texts(PHOTO_1, []), 'MEDIA_AI_OCR_FAILED')],
    },
    expect: (e) => {
      expect(e.data.missing_stages).toEqual(['llm']);
      expect(e.data.failed_photos).toEqual([
        { photo_id: PHOTO_2, stage: 'fetcher', error_code: 'MEDIA_AI_PHOTO_NOT_FOUND', error_message: '404' },
        { photo_id: PHOTO_1, stage: 'ocr', error_code: 'MEDIA_AI_OCR_FAILED', error_message: 'model failed' },
      ]);
      expect(e.data.enhanced_metadata.enhancement_summary.quality_score).toBeCloseTo(e.data.ai_confidence * (2 / 3), 3);
    },
  },
  {
    name: 'without an llm the description is built from sure tags only',
    input: {
      manifest: manifest({ expected_stages: ['detector', 'ocr'] }),
      detections: [
        detections(
          PHOTO_1,
          [
            ['cell phone', 0.92],
            ['keys', 0.75],
            ['bottle', 0.45],
          ],
          [['library', null, 0.4]],
        ),
      ],
      texts: [texts(PHOTO_1, [['Apple', 0.88]])],
    },
    expect: (e) => {
      expect(e.data.generated_description).toBe('Apple phone. Also visible: keys.');
      expect(e.data.missing_stages).toEqual([]);
      expect(e.data.ai_analysis.scene).toEqual({ primary_scene: 'indoor_library', confidence: 0.4, sub_scenes: ['library'] });
    },
  },
  {
    name: "fingerprints: each ok photo's, as the detector made it, in data.fingerprints (photo order); none for a failed part",
    input: {
      manifest: manifest(),
      detections: [
        failedPart(detections(PHOTO_2, [['cell phone', 0.9]]), 'MEDIA_AI_INFERENCE_FAILED'),
        {
          ...detections(PHOTO_1, [['cell phone', 0.9]]),
          fingerprint: {
            model: 'mobilenetv2-int8/global-average-pool:1',
            perceptual_hash: '0f0f0f0f0f0f0f0f',
            items: [
              { label: 'cell phone', box: { x: 0.1, y: 0.2, width: 0.3, height: 0.4 }, embedding: 'AH8BAP8A' },
              { label: null, box: null, embedding: 'AQJ/AAAA' },
            ],
          },
        },
      ],
    },
    expect: (e) => {
      expect(e.data.fingerprints).toEqual([
        {
          photo_id: PHOTO_1,
          model: 'mobilenetv2-int8/global-average-pool:1',
          perceptual_hash: '0f0f0f0f0f0f0f0f',
          items: [
            { label: 'cell phone', box: { x: 0.1, y: 0.2, width: 0.3, height: 0.4 }, embedding: 'AH8BAP8A' },
            { label: null, box: null, embedding: 'AQJ/AAAA' },
          ],
        },
      ]);
    },
  },
  {
    name: 'colours: measured hex and share are published; the llm agreeing raises the colour tag',
    input: {
      manifest: manifest({}, [PHOTO_1], {
        [PHOTO_1]: [
          { name: 'black', hex: '#1C1C1E', share: 0.62 },
          { name: 'blue', hex: '#2a5fa8', share: 0.21 },
          { name: 'white', hex: '#eeeeee', share: 0.1 },
        ],
      }),
      detections: [detections(PHOTO_1, [])],
      texts: [texts(PHOTO_1, [])],
      descriptions: [description(PHOTO_1, { colors: ['black', 'grey'], confidence: 0.95 })],
    },
    expect: (e) => {
      expect(e.data.enhanced_metadata.attributes.colors).toEqual([
        { color_name: 'black', hex_code: '#1c1c1e', confidence: 0.62, dominant: true },
        { color_name: 'blue', hex_code: '#2a5fa8', confidence: 0.21, dominant: false },
        { color_name: 'white', hex_code: '#eeeeee', confidence: 0.1, dominant: false },
      ]);
      expect(e.data.ai_analysis.colors).toEqual(e.data.enhanced_metadata.attributes.colors);
      // The photo's 0.62 (x PHOTO_PALETTE_WEIGHT 0.6 = 0.372) and llm 0.855 agree: 1 - 0.145 x (1 - 0.6 x 0.372).
      expect(grade(e, 'black')).toMatchObject({ confidence: 0.887, tier: 'auto_apply', sources: ['llm', 'color_analysis'] });
      // An llm colour nobody measured stays a tag (grey is gray) but is not published as a measurement.
      expect(grade(e, 'gray')).toMatchObject({ confidence: 0.76, sources: ['llm'] });
      // A 10 % colour is listed as measured, but is no claim about the item.
      expect(grade(e, 'white')).toBeUndefined();
      expect(grade(e, 'blue')).toBeUndefined();
    },
  },
  {
    name: 'colours without an llm: tags from the measurement alone; dominant per photo; strongest photo wins',
    input: {
      manifest: manifest({ expected_stages: ['detector'] }, [PHOTO_1, PHOTO_2], {
        [PHOTO_1]: [
          { name: 'black', hex: '#1c1c1e', share: 0.62 },
          { name: 'gray', hex: '#707070', share: 0.38 },
        ],
        [PHOTO_2]: [
          { name: 'red', hex: '#b02020', share: 0.5 },
          { name: 'black', hex: '#101010', share: 0.4 },
        ],
      }),
      detections: [detections(PHOTO_1, []), detections(PHOTO_2, [])],
    },
    expect: (e) => {
      expect(e.data.ai_analysis.colors).toEqual([
        { color_name: 'black', hex_code: '#1c1c1e', confidence: 0.62, dominant: true },
        { color_name: 'red', hex_code: '#b02020', confidence: 0.5, dominant: true },
        { color_name: 'gray', hex_code: '#707070', confidence: 0.38, dominant: false },
      ]);
      // The same measurement on two photos is one source: the stronger share counts, no agreement bonus;
      // a photo's palette is a weak claim on its own (x PHOTO_PALETTE_WEIGHT 0.6): nothing says it is the item's.
      expect(grade(e, 'black')).toMatchObject({ confidence: 0.372, tier: 'low' });
      expect(grade(e, 'red')).toMatchObject({ confidence: 0.3, tier: 'low' });
      expect(e.data.ai_analysis.tags!.find((t) => t.tag === 'black')!.source).toBe('color_analysis');
    },
  },
  {
    name: "item colours: the item's own colours lead, their tags name the item; the photo's palette is a weaker claim",
    input: {
      manifest: manifest({ expected_stages: ['detector'] }, [PHOTO_1], {
        // The whole photo reads brown: the wooden table the phone lies on.
        [PHOTO_1]: [
          { name: 'brown', hex: '#7b5b3a', share: 0.7 },
          { name: 'black', hex: '#1c1c1e', share: 0.2 },
        ],
      }),
      detections: [
        withObjectColors(
          detections(PHOTO_1, [
            ['cell phone', 0.8],
            ['person', 0.9],
          ]),
          {
            'cell phone': [
              { name: 'black', hex: '#18181a', share: 0.85 },
              { name: 'silver', hex: '#b0b0b4', share: 0.15 },
            ],
            // A person's box holds clothes and skin, never the item's colour.
            person: [{ name: 'pink', hex: '#e0a0a0', share: 1 }],
          },
        ),
      ],
    },
    expect: (e) => {
      expect(e.data.ai_analysis.colors).toEqual([
        { color_name: 'black', hex_code: '#18181a', confidence: 0.85, dominant: true },
        { color_name: 'silver', hex_code: '#b0b0b4', confidence: 0.15, dominant: false },
        { color_name: 'brown', hex_code: '#7b5b3a', confidence: 0.7, dominant: true },
      ]);
      // 0.85 x ITEM_COLOR_WEIGHT 0.9; the evidence says whose colour it is.
      expect(grade(e, 'black')).toMatchObject({ confidence: 0.765, tier: 'suggest' });
      expect(grade(e, 'black')!.evidence[0]).toEqual({ source: 'color_analysis', label: 'phone', model: 'yolox-nano', confidence: 0.765 });
      // The table's brown: 0.7 x PHOTO_PALETTE_WEIGHT 0.6, no item behind it.
      expect(grade(e, 'brown')).toMatchObject({ confidence: 0.42, tier: 'low' });
      expect(grade(e, 'brown')!.evidence).toEqual([{ source: 'color_analysis', label: 'brown', model: null, confidence: 0.42 }]);
      expect(grade(e, 'pink')).toBeUndefined();
      // The phone's object says how big it is, that it is with the person (its box inside theirs), and its colours.
      expect(e.data.enhanced_metadata.attributes.objects!.find((o) => o.name === 'phone')!.attributes).toMatchObject({
        frame_share: '0.211',
        placement: 'with_person',
        colors: 'black,silver',
      });
      expect(e.data.enhanced_metadata.attributes.objects!.find((o) => o.name === 'person')!.attributes).not.toHaveProperty('placement');
    },
  },
  {
    name: "an item only the classifier names takes the colours of the photo's salient object, its tag naming the item",
    input: {
      manifest: manifest({ expected_stages: ['detector'] }, [PHOTO_1], {
        // The whole photo reads white: the lined paper the pen lies on.
        [PHOTO_1]: [{ name: 'white', hex: '#f0f0f0', share: 0.8 }],
      }),
      detections: [
        {
          ...detections(PHOTO_1, [], [['ballpoint, ballpoint pen, ballpen, Biro', 'pen', 0.6]]),
          salient_object: { box: { x: 0.3, y: 0.2, width: 0.2, height: 0.6 }, colors: [{ name: 'blue', hex: '#2040a0', share: 0.9 }] },
        },
      ],
    },
    expect: (e) => {
      expect(e.data.ai_analysis.colors!.map((c) => c.color_name)).toEqual(['blue', 'white']);
      // 0.9 x SALIENT_OBJECT_COLOR_WEIGHT 0.8, above the paper's 0.8 x PHOTO_PALETTE_WEIGHT 0.6.
      expect(grade(e, 'blue')).toMatchObject({ confidence: 0.72 });
      expect(grade(e, 'blue')!.evidence[0]).toMatchObject({ source: 'color_analysis', label: 'pen', model: 'mobilenetv2' });
      expect(grade(e, 'white')).toMatchObject({ confidence: 0.48 });
    },
  },
  {
    name: "a recognised document whose text spans the frame is the item: its colours are the whole photo's, not its portrait's",
    input: {
      manifest: manifest({ expected_stages: ['detector', 'ocr'] }, [PHOTO_1], {
        // The passport's page fills the frame: the photo reads its colours.
        [PHOTO_1]: [
          { name: 'green', hex: '#3c7a4a', share: 0.7 },
          { name: 'white', hex: '#f0f0f0', share: 0.2 },
        ],
      }),
      detections: [
        {
          ...detections(PHOTO_1, [], [['envelope', 'document', 0.4]]),
          // The salient object is the portrait printed on the page.
          salient_object: { box: { x: 0.1, y: 0.3, width: 0.25, height: 0.4 }, colors: [{ name: 'beige', hex: '#d8c0a0', share: 0.9 }] },
        },
      ],
      texts: [
        {
          ...texts(PHOTO_1, [], [], { type: 'passport', confidence: 0.95, evidence: ['phrase:passport'] }),
          lines: [
            { text: 'PASSPORT', confidence: 0.9, box: { x: 0.4, y: 0.1, width: 0.3, height: 0.06 } },
            { text: '[NAME]', confidence: 0.9, box: { x: 0.4, y: 0.3, width: 0.4, height: 0.05 } },
            { text: 'P<UTO<<[NAME]', confidence: 0.9, box: { x: 0.05, y: 0.82, width: 0.9, height: 0.06 } },
          ],
        },
      ],
    },
    expect: (e) => {
      expect(e.data.ai_analysis.colors!.map((c) => c.color_name)).toEqual(['green', 'white']);
      // 0.7 x ITEM_COLOR_WEIGHT 0.9, named by the recognised document.
      expect(grade(e, 'green')!.confidence).toBeCloseTo(0.63);
      expect(grade(e, 'green')!.evidence[0]).toMatchObject({ source: 'color_analysis', label: 'passport', model: 'privacy-rules-test' });
      expect(grade(e, 'beige')).toBeUndefined();
    },
  },
  {
    name: 'a recognised document whose text covers a small part of the photo keeps the salient object: it does not fill the frame',
    input: {
      manifest: manifest({ expected_stages: ['detector', 'ocr'] }, [PHOTO_1], {
        [PHOTO_1]: [{ name: 'brown', hex: '#7b5b3a', share: 0.8 }],
      }),
      detections: [
        {
          ...detections(PHOTO_1, [], [['envelope', 'document', 0.4]]),
          salient_object: { box: { x: 0.3, y: 0.3, width: 0.3, height: 0.2 }, colors: [{ name: 'navy', hex: '#1a2550', share: 0.9 }] },
        },
      ],
      // A passport on a wooden table: its lines lie inside the passport, a third of the frame.
      texts: [texts(PHOTO_1, [['PASSPORT', 0.9]], [], { type: 'passport', confidence: 0.95, evidence: ['phrase:passport'] })],
    },
    expect: (e) => {
      expect(e.data.ai_analysis.colors!.map((c) => c.color_name)).toEqual(['navy', 'brown']);
      expect(grade(e, 'navy')!.evidence[0]).toMatchObject({ source: 'color_analysis', label: 'document' });
    },
  },
  {
    name: "the salient object is not used when a detected object is the classifier's item: its box is better",
    input: {
      manifest: manifest({ expected_stages: ['detector'] }, [PHOTO_1]),
      detections: [
        {
          ...withObjectColors(detections(PHOTO_1, [['cup', 0.8]], [['espresso', 'cup', 0.7]]), {
            cup: [{ name: 'black', hex: '#181818', share: 0.9 }],
          }),
          salient_object: { box: { x: 0, y: 0, width: 1, height: 1 }, colors: [{ name: 'brown', hex: '#7b5b3a', share: 1 }] },
        },
      ],
    },
    expect: (e) => {
      expect(e.data.ai_analysis.colors!.map((c) => c.color_name)).toEqual(['black']);
      expect(grade(e, 'brown')).toBeUndefined();
    },
  },
  {
    name: 'colours of a photo that failed later stages still count; a failed fetch has none',
    input: {
      manifest: manifest(
        {
          photos: [
            {
              photo_id: PHOTO_1,
              url: 'https://x.test/1.jpg',
              status: 'ok',
              sha256: 'a'.repeat(64),
              error_code: null,
              error_message: null,
              colors: [{ name: 'navy', hex: '#1a2550', share: 0.7 }],
            },
            {
              photo_id: PHOTO_2,
              url: 'https://x.test/2.jpg',
              status: 'failed',
              sha256: null,
              error_code: 'MEDIA_AI_PHOTO_NOT_FOUND',
              error_message: '404',
              colors: [{ name: 'pink', hex: '#ff69b4', share: 0.9 }],
            },
          ],
          expected_stages: ['detector'],
        },
        [PHOTO_1, PHOTO_2],
      ),
      detections: [failedPart(detections(PHOTO_1, []))],
    },
    expect: (e) => {
      expect(e.data.ai_analysis.colors!.map((c) => c.color_name)).toEqual(['navy']);
      expect(grade(e, 'pink')).toBeUndefined();
    },
  },
];

describe('fusePost', () => {
  it.each(scenarios)('$name', ({ input, expect: check }) => {
    check(fuse(input));
  });

  it('carries the platform envelope: fn-posts quirks fixed, owner and organization contract-shaped', () => {
    const e = fuse({ manifest: manifest(), detections: [detections(PHOTO_1, [['cell phone', 0.9]])] });
    expect(e.id).toBe(enrichmentEventId(POST_ID, 1));
    expect(e.data.original_post.photos[0]).toMatchObject({ mime_type: 'image/jpeg' });
    expect(e.data.original_post.photos[0]).not.toHaveProperty('filename');
    expect(e.data.original_post.photos[0]).not.toHaveProperty('width');
    expect(e.data.post_owner).toMatchObject({
      user_id: USER_ID,
      verification_level: 'unverified',
      preferences: { channel_preferences: { email: { enabled: true } }, global_enabled: true },
    });
    expect(e.data.organization).not.toHaveProperty('settings.contact_exchange_policy');
    expect(e.data.processing_time_ms).toBe(6842);
    expect(e.data.missing_stages).toEqual(['ocr', 'llm']);
  });

  it('names an uploaded photo urn:media-ai:upload:<photo id>, never by its upload:// reference', () => {
    const post = fnPostsPost();
    (post['photos'] as Array<Record<string, unknown>>)[0]!['original_url'] = 'upload://4f1d0b2e-secret-reference';
    const m = manifest(readByFetcher({ post }));
    m.photos[0]!.url = 'upload://4f1d0b2e-secret-reference';
    const e = fuse({ manifest: m, detections: [detections(PHOTO_1, [['cell phone', 0.9]])] });
    expect(e.data.original_post.photos[0]!.original_url).toBe(`urn:media-ai:upload:${PHOTO_1}`);
    expect(JSON.stringify(e)).not.toContain('secret-reference');
  });

  it('is deterministic: a replay gives the same event id; a new revision a new one', () => {
    const input = { manifest: manifest(), detections: [detections(PHOTO_1, [['cell phone', 0.9]])] };
    const a = fuse(input);
    const b = fuse({ ...input, now: NOW + 5_000 });
    expect(b.id).toBe(a.id);
    expect(b.data.tag_grades).toEqual(a.data.tag_grades);
    const c = fuse({ manifest: manifest({ revision: 2 }), detections: [{ ...detections(PHOTO_1, [['cell phone', 0.9]]), revision: 2 }] });
    expect(c.id).not.toBe(a.id);
    expect(c.data.tag_grades).toEqual(a.data.tag_grades);
  });

  it('ignores parts of another revision or of photos the manifest does not list as ok', () => {
    const e = fuse({
      manifest: manifest(),
      detections: [{ ...detections(PHOTO_1, [['backpack', 0.9]]), revision: 0 }, detections(PHOTO_2, [['umbrella', 0.9]])],
    });
    expect(e.data.tag_grades).toEqual([]);
    expect(e.data.ai_confidence).toBe(0);
    expect(e.data.enhancement_level).toBe('discard');
  });

  it.each([
    ['no location', (p: Record<string, unknown>) => delete p['location']],
    ['no title', (p: Record<string, unknown>) => (p['title'] = '')],
    ['unknown type', (p: Record<string, unknown>) => (p['type'] = 'stolen')],
  ])('refuses a post the contract cannot carry (%s) with MEDIA_AI_BAD_EVENT', (_name, breakIt) => {
    const post = fnPostsPost();
    breakIt(post);
    // The fetcher read the title and type from the broken post as null.
    const m = manifest({ ...readByFetcher({ post }), post_title: null, post_type: null });
    let thrown: unknown;
    try {
      fusePost({ manifest: m, detections: [], texts: [], descriptions: [], thresholds: DEFAULT_THRESHOLDS, now: NOW });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MediaAiError);
    expect((thrown as MediaAiError).code).toBe('MEDIA_AI_BAD_EVENT');
  });
});

describe('fusion rules', () => {
  const t: ConfidenceThresholds = DEFAULT_THRESHOLDS;
  const open = { autoEnhance: true, qualityThreshold: null, notifyOnEnhancement: true };
  it.each([
    [0.95, 'auto_apply'],
    [0.85, 'auto_apply'],
    [0.84, 'suggest'],
    [0.7, 'suggest'],
    [0.6, 'human_review'],
    [0.4, 'low'],
    [0.29, null],
  ] as const)('grades %s as %s', (confidence, tier) => {
    expect(gradeConfidence(confidence, t, open)).toBe(tier);
  });

  it.each([
    [[0.9], 0.9],
    [[0.9, 0.8], 1 - 0.1 * (1 - 0.6 * 0.8)],
    [[0.99, 0.99, 0.99], 0.99],
    [[], 0],
  ])('combines agreeing confidences %j to %s (capped below 1)', (input, out) => {
    expect(combineAgreeing(input)).toBeCloseTo(out, 6);
  });

  it('overall = mean of the three strongest tags', () => {
    expect(overallConfidence([{ confidence: 0.9 }, { confidence: 0.3 }, { confidence: 0.8 }, { confidence: 0.7 }])).toBeCloseTo(0.8, 6);
  });

  it.each([
    ['leather', true],
    ['apple', true],
    ['john@example.com', false],
    ['sn 12345678', false],
    ['[redacted]', false],
    ['x'.repeat(51), false],
  ])('isPublishableTag(%s) = %s', (tag, ok) => {
    expect(isPublishableTag(tag)).toBe(ok);
  });

  it('isPublishableTag refuses identifier-shaped words (serials, document numbers), not product models', () => {
    for (const tag of ['c02xk0abjgh5', 'C02X-K0AB-JGH5', 'model WDLABCD456DG', 'ze000509x1'])
      expect(isPublishableTag(tag), tag).toBe(false);
    for (const tag of ['sm-g991b', 'kx-200', 'leather', 'iphone 12 pro', 'xps 13']) expect(isPublishableTag(tag), tag).toBe(true);
  });
});
