import { describe, expect, it } from 'vitest';
import { ERROR_CODES, MediaAiError, toMediaAiError, type ErrorCode } from './errors.js';

describe('error catalogue: outages', () => {
  const codes = Object.keys(ERROR_CODES) as ErrorCode[];

  it('marks exactly the infrastructure outages (Redis, blob store, schema registry, malware scanner), and only retryable codes', () => {
    const outages = codes.filter((code) => new MediaAiError(code).outage);
    expect(outages.sort()).toEqual([
      'MEDIA_AI_BLOB_STORE_FAILED',
      'MEDIA_AI_MALWARE_SCANNER_UNAVAILABLE',
      'MEDIA_AI_SCHEMA_REGISTRY_UNAVAILABLE',
      'MEDIA_AI_STATE_UNAVAILABLE',
    ]);
    // The runner retries an outage forever: a permanent failure flagged as one would block its partition.
    for (const code of outages) expect(new MediaAiError(code).retryable).toBe(true);
  });

  it('an unexpected error is not an outage (it keeps the attempt limit)', () => {
    expect(toMediaAiError(new Error('boom')).outage).toBe(false);
  });
});
