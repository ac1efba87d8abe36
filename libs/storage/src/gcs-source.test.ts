import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaAiError } from '@media-ai/contracts';
import { Storage } from '@google-cloud/storage';
import { storageOptions } from './gcs-client.js';
import { createGcsPhotoSource, parseGcsUrl } from './gcs-source.js';
import { startGcsStandIn, type GcsStandIn } from './test-support/gcs-stand-in.js';
import { failureOf } from '@media-ai/contracts/test-support';

const PHOTO = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 251));

let gcs: GcsStandIn;
beforeAll(async () => {
  gcs = await startGcsStandIn();
  gcs.put('findly-posts-dev', 'tenant/post/original/a b.jpg', PHOTO, 'image/jpeg');
  gcs.put('findly-posts-dev', 'tenant/post/original/big.jpg', Buffer.alloc(10_000), 'image/jpeg');
  gcs.put('findly-private', 'x.jpg', PHOTO);
  gcs.makePrivate('findly-private');
});
afterAll(() => gcs.close());

const source = (maxBytes = 8_192) => createGcsPhotoSource({ maxBytes, apiEndpoint: gcs.endpoint, retries: 2, timeoutMs: 10_000 });

describe('GCS photo source (real @google-cloud/storage client against the stand-in)', () => {
  it('downloads gs:// objects with checksum validation and the stored content type', async () => {
    gcs.requests.length = 0;
    const photo = await source().fetch('gs://findly-posts-dev/tenant/post/original/a b.jpg');
    expect(photo.bytes.equals(PHOTO)).toBe(true);
    expect(photo.declaredType).toBe('image/jpeg');
    // One metadata read, one media read pinned to the measured generation.
    expect(gcs.requests).toHaveLength(2);
    expect(gcs.requests[1]).toMatch(/alt=media/);
    expect(gcs.requests[1]).toMatch(/generation=/);
  });

  it('reads https://storage.googleapis.com/bucket/object through the client too', async () => {
    const photo = await source().fetch('https://storage.googleapis.com/findly-posts-dev/tenant/post/original/a%20b.jpg');
    expect(photo.bytes.equals(PHOTO)).toBe(true);
  });

  it('maps GCS 404 and 403 answers to the catalogue', async () => {
    const missing = await failureOf(source().fetch('gs://findly-posts-dev/nope.jpg'));
    expect(missing.code).toBe('MEDIA_AI_PHOTO_NOT_FOUND');
    const denied = await failureOf(source().fetch('gs://findly-private/x.jpg'));
    expect(denied.code).toBe('MEDIA_AI_PHOTO_SOURCE_FORBIDDEN');
  });

  it('refuses an object over the limit from its metadata, without downloading it', async () => {
    gcs.requests.length = 0;
    const error = await failureOf(source().fetch('gs://findly-posts-dev/tenant/post/original/big.jpg'));
    expect(error.code).toBe('MEDIA_AI_PHOTO_TOO_LARGE');
    expect(gcs.requests.some((r) => r.includes('alt=media'))).toBe(false);
  });

  it('enforces the limit while streaming when the metadata understates the size', async () => {
    gcs.put('findly-posts-dev', 'liar.jpg', Buffer.alloc(50_000, 1), 'image/jpeg', 100);
    const error = await failureOf(source().fetch('gs://findly-posts-dev/liar.jpg'));
    expect(error.code).toBe('MEDIA_AI_PHOTO_TOO_LARGE');
  });

  it('retries a transient 503 through the client retry policy', async () => {
    gcs.failNext(1, 503);
    const photo = await source().fetch('gs://findly-posts-dev/tenant/post/original/a b.jpg');
    expect(photo.bytes.equals(PHOTO)).toBe(true);
  });

  it('reports a persistent 5xx as a retryable download failure', async () => {
    gcs.failNext(100, 503);
    const error = await failureOf(
      createGcsPhotoSource({ maxBytes: 8_192, apiEndpoint: gcs.endpoint, retries: 1, timeoutMs: 5_000 }).fetch(
        'gs://findly-posts-dev/tenant/post/original/a b.jpg',
      ),
    );
    gcs.failNext(0, 503);
    expect(error.code).toBe('MEDIA_AI_PHOTO_DOWNLOAD_FAILED');
    expect(error.retryable).toBe(true);
  });

  it('reads public buckets on the real endpoint anonymously, and authenticates when given a key', () => {
    // Guards the client behaviour the anonymous mode relies on (a "custom" endpoint skips auth).
    const anonymous = new Storage(storageOptions({})) as Storage & { customEndpoint: boolean };
    expect(anonymous.apiEndpoint).toBe('https://storage.googleapis.com');
    expect(anonymous.customEndpoint).toBe(true);
    const keyed = storageOptions({ keyJson: '{"client_email":"a@b.iam.gserviceaccount.com"}', apiEndpoint: gcs.endpoint });
    expect(keyed.credentials).toEqual({ client_email: 'a@b.iam.gserviceaccount.com' });
    expect(keyed.useAuthWithCustomEndpoint).toBe(true);
    expect(storageOptions({ keyFilename: '/secrets/key.json' })).toMatchObject({ keyFilename: '/secrets/key.json' });
  });

  it('parses both URL forms and rejects URLs without an object', () => {
    expect(parseGcsUrl(new URL('gs://b/a/b%20c.jpg'))).toEqual({ bucket: 'b', object: 'a/b c.jpg' });
    expect(parseGcsUrl(new URL('https://storage.googleapis.com/b/a/b%20c.jpg'))).toEqual({ bucket: 'b', object: 'a/b c.jpg' });
    expect(() => parseGcsUrl(new URL('gs://b/'))).toThrow(MediaAiError);
  });

  it.each([
    ['malformed percent-encoding', 'gs://findly-posts-dev/a%E0%A4%A.jpg'],
    ['a lone percent sign', 'https://storage.googleapis.com/findly-posts-dev/100%.jpg'],
    ['an encoded newline', 'gs://findly-posts-dev/a%0D%0Ab.jpg'],
    ['a NUL byte', 'gs://findly-posts-dev/a%00.jpg'],
    ['an upper-case bucket', 'gs://Findly-Posts/a.jpg'],
    ['an encoded bucket', 'gs://findly%2Fposts/a.jpg'],
    ['a dot-dot object', 'gs://findly-posts-dev/%2E%2E'],
  ])('refuses %s as an invalid URL before any request', async (_name, url) => {
    gcs.requests.length = 0;
    const error = await failureOf(source().fetch(url));
    expect(error.code).toBe('MEDIA_AI_PHOTO_URL_INVALID');
    expect(gcs.requests).toEqual([]);
  });

  it('passes unusual but valid object names through, encoded exactly once', async () => {
    const name = 'tenant/p\u00f8st/%41 #1?.jpg';
    gcs.put('findly-posts-dev', name, PHOTO);
    const photo = await source().fetch(`gs://findly-posts-dev/${name.split('/').map(encodeURIComponent).join('/')}`);
    expect(photo.bytes.equals(PHOTO)).toBe(true);
  });
});
