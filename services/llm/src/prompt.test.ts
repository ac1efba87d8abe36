import { describe, expect, it } from 'vitest';
import { contextText, redactContextText, systemPrompt } from './prompt.js';
import { checkItemDescription } from './item-description.js';

describe('redactContextText', () => {
  it.each([
    ['mail me: jane.doe+lost@example.co.uk', 'mail me: [EMAIL]'],
    ['call +44 20 7946 0958 today', 'call [PHONE] today'],
    ['call (415) 555-0134', 'call [PHONE]'],
    ['card 4111-1111-1111-1111 inside', 'card [CARD] inside'],
    ['see https://maps.example.com/?q=40.78,-73.96', 'see [LINK]'],
    ['dm @jane_doe', 'dm [HANDLE]'],
    ['the owner, Maria Garcia, left it on the bench', 'the owner, [NAME], left it on the bench'],
    ['IMEI: 35-209900-176148-1', 'IMEI: [IMEI]'],
  ])('%s', (input, expected) => {
    expect(redactContextText(input)).toBe(expected);
  });

  it('keeps item words and short numbers', () => {
    const text = 'Black iPhone 13 Pro, 256 GB, lost at gate 42';
    expect(redactContextText(text)).toBe(text);
  });
});

describe('contextText', () => {
  it('clips long text to one line and says when there is no context', () => {
    expect(contextText({ title: null, description: null, postType: null })).toContain('(none)');
    const long = contextText({ title: 't', description: 'word\n'.repeat(1000), postType: 'found' });
    expect(long.length).toBeLessThan(1300);
    expect(long).not.toContain('word\nword');
  });
});

describe('checkItemDescription', () => {
  const valid = {
    category: 'wallet',
    brand: null,
    model: '',
    colors: ['brown'],
    material: ' leather ',
    condition: 'worn',
    distinguishing_marks: ['', 'initials J.D. embossed', 'initials J.D. embossed'],
    visible_text: ['  '],
    scene: null,
    description: 'A brown leather bifold wallet.',
    confidence: { category: 0.6, brand: 0, model: 0, colors: 0.8, material: 0.7, condition: 0.5, scene: 0 },
  };

  it('accepts and tidies a valid answer', () => {
    const checked = checkItemDescription(valid);
    expect(checked).toEqual({
      ok: true,
      value: { ...valid, model: null, material: 'leather', distinguishing_marks: ['initials J.D. embossed'], visible_text: [] },
    });
  });

  it('drops properties outside the schema instead of passing them on', () => {
    const checked = checkItemDescription({ ...valid, owner: 'Jane' });
    expect(checked.ok && 'owner' in checked.value).toBe(false);
  });

  it.each([
    ['unknown colour', { ...valid, colors: ['teal'] }],
    ['a condition outside the list', { ...valid, condition: 'like new' }],
    ['a place for a scene', { ...valid, scene: 'Central Park' }],
    ['a single confidence instead of one per field', { ...valid, confidence: 0.6 }],
    ['confidence below 0', { ...valid, confidence: { ...valid.confidence, category: -0.1 } }],
    ['not an object', 'wallet'],
  ])('rejects %s', (_name, answer) => {
    expect(checkItemDescription(answer).ok).toBe(false);
  });
});

describe('systemPrompt', () => {
  it('carries the schema only for servers that cannot take it as response_format, and asks for JSON then', () => {
    expect(systemPrompt()).not.toContain('"properties"');
    const withSchema = systemPrompt({ schemaInPrompt: true });
    expect(withSchema).toContain('JSON');
    expect(withSchema).toContain('"visible_text"');
    // No URL may reach the model, not even the JSON-schema dialect's.
    expect(withSchema).not.toMatch(/https?:/);
  });
});
