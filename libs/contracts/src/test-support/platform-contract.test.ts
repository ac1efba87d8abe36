import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPlatformPostEnhancedValidator, normalizeNullable, sharedDir, type PlatformValidator } from './platform-contract.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form fixture
const example = (): Record<string, any> =>
  JSON.parse(readFileSync(path.join(sharedDir(), 'contracts/examples/post.enhanced.contract-schema.json'), 'utf8'));

describe('platform PostEnhanced validator', () => {
  let validate: PlatformValidator;
  beforeAll(() => {
    validate = loadPlatformPostEnhancedValidator();
  });

  it('accepts the contract-shaped example', () => {
    const result = validate(example());
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('accepts null where the contract says nullable (organization, enhanced_description)', () => {
    const event = example();
    event.data.organization = null;
    event.data.enhanced_metadata.enhanced_description = null;
    event.data.ai_analysis.scene = null;
    expect(validate(event).valid).toBe(true);
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form fixture
  const breakages: Array<[string, (e: Record<string, any>) => void, RegExp]> = [
    ['string tags', (e) => (e.data.enhanced_metadata.tags = ['apple']), /tags\/0/],
    ['wrong event_type', (e) => (e.event_type = 'post.enhancedx'), /event_type/],
    ['missing original_post', (e) => delete e.data.original_post, /original_post/],
    ['extra property in AIMetadata', (e) => (e.data.ai_analysis.overall = 1), /additional/],
    ['bad uuid', (e) => (e.id = 'evt-1'), /format/],
    ['unknown tag source', (e) => (e.data.ai_analysis.tags[0].source = 'llm'), /allowed values/],
    ['bad hex', (e) => (e.data.ai_analysis.colors[0].hex_code = 'black'), /pattern/],
    ['PII field on the owner', (e) => (e.data.post_owner.email = 'a@b.c'), /additional/],
  ];
  it.each(breakages)('rejects a broken copy: %s', (_name, breakIt, message) => {
    const event = example();
    breakIt(event);
    const result = validate(event);
    expect(result.valid).toBe(false);
    expect(result.errors.join('\n')).toMatch(message);
  });
});

describe('normalizeNullable', () => {
  it('adds null to typed nodes and wraps untyped ones', () => {
    expect(normalizeNullable({ type: 'string', enum: ['a'], nullable: true })).toEqual({ type: ['string', 'null'], enum: ['a', null] });
    expect(normalizeNullable({ $ref: '#/x', nullable: true })).toEqual({ anyOf: [{ $ref: '#/x' }, { type: 'null' }] });
    expect(normalizeNullable({ properties: { a: { type: 'number', nullable: true } } })).toEqual({
      properties: { a: { type: ['number', 'null'] } },
    });
  });
});
