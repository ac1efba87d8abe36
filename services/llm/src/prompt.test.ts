import { describe, expect, it } from 'vitest';
import { contextText, redactContextText } from './prompt.js';
import { checkItemDescription } from './item-description.js';

describe('redactContextText', () => {
  it.each([
    ['mail me: jane.doe+lost@example.co.uk', 'mail me: [email]'],
    ['call +44 20 7946 0958 today', 'call [phone] today'],
    ['call (415) 555-0134', 'call [phone]'],
    ['card 4111-1111-1111-1111 inside', 'card [number] inside'],
    ['see https://maps.example.com/?q=40.78,-73.96', 'see [link]'],
    ['dm @jane_doe', 'dm [handle]'],
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
    distinguishing_marks: ['', 'initials J.D. embossed', 'initials J.D. embossed'],
    description: 'A brown leather bifold wallet.',
    confidence: 0.6,
  };

  it('accepts and tidies a valid answer', () => {
    const checked = checkItemDescription(valid);
    expect(checked).toEqual({
      ok: true,
      value: { ...valid, model: null, material: 'leather', distinguishing_marks: ['initials J.D. embossed'] },
    });
  });

  it('drops properties outside the schema instead of passing them on', () => {
    const checked = checkItemDescription({ ...valid, owner: 'Jane' });
    expect(checked.ok && 'owner' in checked.value).toBe(false);
  });

  it.each([
    ['unknown colour', { ...valid, colors: ['teal'] }],
    ['confidence below 0', { ...valid, confidence: -0.1 }],
    ['not an object', 'wallet'],
  ])('rejects %s', (_name, answer) => {
    expect(checkItemDescription(answer).ok).toBe(false);
  });
});
