import { describe, expect, it } from 'vitest';
import { enrichmentEventId, uuidV5 } from './event-id.js';

describe('uuidV5', () => {
  it('matches the RFC 4122 reference (www.example.com in the DNS namespace)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('is stable per post revision and differs across revisions and posts', () => {
    const a = enrichmentEventId('3f6c2a9e-8b1d-4e57-9a0c-5d2e7b4f1a36', 1);
    expect(enrichmentEventId('3f6c2a9e-8b1d-4e57-9a0c-5d2e7b4f1a36', 1)).toBe(a);
    expect(enrichmentEventId('3f6c2a9e-8b1d-4e57-9a0c-5d2e7b4f1a36', 2)).not.toBe(a);
    expect(enrichmentEventId('00000000-8b1d-4e57-9a0c-5d2e7b4f1a36', 1)).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
