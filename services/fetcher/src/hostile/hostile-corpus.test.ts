/**
 * The hostile-input corpus (`npm run test:hostile` runs it alone): every case is a post that mixes one
 * hostile photo with a good one, run through the real fetcher stage with the production source stack
 * (strict SSRF guard, https only, no file://, the GCS client against the stand-in). Each case must end
 * with the hostile photo listed as failed under its expected code while the good photo is still
 * normalized and published, and every failure must be counted by code.
 *
 * The "public" photo origin is a local TLS server reached as https://localhost: the injected resolver
 * says localhost is 93.184.216.34 (a public address, so the strict guard accepts it) and the test
 * pins that vetted address to 127.0.0.1. Names resolving to forbidden addresses are answered by the
 * same resolver, never by DNS, and a tripwire refuses any socket to a non-loopback address, so a
 * guard regression fails a case instead of sending traffic anywhere.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS, type ErrorCode, type PhotoRecord, type PostManifest } from '@media-ai/contracts';
import { createPhotoSources, createSsrfGuard, LocalFolderBlobStore, type UrlGuard, type VettedAddress } from '@media-ai/storage';
import {
  armNetworkTripwire,
  startGcsStandIn,
  startPhotoHttpServer,
  type GcsStandIn,
  type NetworkTripwire,
  type PhotoHttpServer,
} from '@media-ai/storage/test-support';
import type { InboundRecord, Stage } from '@media-ai/stream';
import { createFetcherStage } from '../stage.js';
import { bmp, ftyp, HTML_PAGE, jpegClaiming, otherFormats, pngClaiming, SVG_WITH_EXTERNAL_REFS } from './test-support/inputs.js';

/** The HMAC key of identifier hashes (MEDIA_AI_IDENTIFIER_KEY in production). */
const IDENTIFIER_KEY = Buffer.alloc(32, 7);

const SHARED = new URL('../../../../../shared/', import.meta.url);
const photoBytes = (name: string) => readFileSync(new URL(`photos/${name}`, SHARED));
const POST_ID = '3f6c2a9e-8b1d-4e57-9a0c-5d2e7b4f1a36';
const MAX_BYTES = 10_485_760;
const PUBLIC = '93.184.216.34';
/** Short budgets so the drip, stall and endless cases cost well under two seconds each. */
const TIMEOUT_MS = 1_500;
const IDLE_MS = 250;

const RESOLVER: Record<string, string[]> = {
  localhost: [PUBLIC],
  'internal.example': ['10.0.0.1'],
  'metadata.example': ['169.254.169.254'],
  'mixed.example': [PUBLIC, '192.168.0.7'],
  'ula.example': ['fd00::7'],
  'cgnat.example': ['100.64.0.9'],
  'mapped.example': ['::ffff:a00:1'],
};
const asked: string[] = [];

/** The strict production guard, with the public answer for localhost pinned to the local origin. */
const strict = createSsrfGuard({
  resolve: async (hostname) => {
    asked.push(hostname);
    const answers = RESOLVER[hostname];
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return answers.map((address): VettedAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  },
});
const guard: UrlGuard = async (url) => {
  const verdict = await strict(url);
  if (!verdict) return verdict;
  return { addresses: verdict.addresses.map((a): VettedAddress => (a.address === PUBLIC ? { address: '127.0.0.1', family: 4 } : a)) };
};

let origin: PhotoHttpServer;
let gcs: GcsStandIn;
let tripwire: NetworkTripwire;
let stage: Stage<unknown>;
let port: string;
const counted = new Map<string, number>();
const good = photoBytes('hoodie_with_logo.jpg');

/** A path on the "public" origin. */
const at = (path: string) => `https://localhost:${port}${path}`;

beforeAll(async () => {
  tripwire = armNetworkTripwire();
  [origin, gcs] = await Promise.all([startPhotoHttpServer({ tls: true }), startGcsStandIn()]);
  port = new URL(origin.origin).port;
  const formats = await otherFormats();
  const coffee = photoBytes('coffee_cup_saucer.jpg');

  origin.serve('/good.jpg', good);
  // Content that is not a photo, whatever the header says.
  origin.serve('/html.jpg', Buffer.from(HTML_PAGE), 'image/jpeg');
  origin.serve('/svg-external.jpg', Buffer.from(SVG_WITH_EXTERNAL_REFS), 'image/jpeg');
  origin.serve('/svg.svg', Buffer.from(SVG_WITH_EXTERNAL_REFS), 'image/svg+xml');
  origin.serve('/empty.jpg', Buffer.alloc(0));
  origin.serve('/json.jpg', Buffer.from('{"error":{"code":403,"message":"denied"}}'), 'image/jpeg');
  origin.serve('/s3-error.jpg', Buffer.from('<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>'), 'image/jpeg');
  origin.serve('/pdf.jpg', Buffer.from('%PDF-1.7\n1 0 obj<<>>endobj\n'), 'image/jpeg');
  origin.serve('/gif.jpg', formats.gif, 'image/jpeg');
  origin.serve('/animated.gif', formats.animatedGif, 'image/gif');
  origin.serve('/tiff.jpg', formats.tiff, 'image/jpeg');
  origin.serve('/avif.jpg', formats.avif, 'image/jpeg');
  origin.serve('/heic.jpg', ftyp('heic', 'mif1', 'heic'), 'image/jpeg');
  origin.serve('/bmp.jpg', bmp(), 'image/jpeg');
  origin.serve('/random.jpg', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), 'image/jpeg');
  // Broken and oversized images.
  origin.serve('/truncated.jpg', coffee.subarray(0, Math.floor(coffee.length * 0.6)));
  origin.serve('/jpeg-magic-garbage.jpg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4000, 0x42)]));
  origin.serve('/truncated.png', pngClaiming(64, 64).subarray(0, 40), 'image/png');
  origin.serve('/webp-header-only.webp', Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00', 'latin1'), 'image/webp');
  origin.serve('/png-bomb.png', pngClaiming(50_000, 50_000), 'image/png');
  origin.serve('/jpeg-bomb.jpg', jpegClaiming(good, 65_500, 65_500));
  origin.serve('/eleven-mb.jpg', Buffer.concat([good, Buffer.alloc(11 * 1000 * 1000 - good.length)]));
  origin.route('/gzip.jpg', (_req, res) => {
    // Sent compressed although we asked for identity: never inflated by us (a bomb vector).
    const body = gzipSync(good);
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-encoding': 'gzip', 'content-length': body.length }).end(body);
  });
  // Transport tricks.
  origin.route('/drip.jpg', (_req, res) => {
    // One byte at a time, never silent long enough for the idle timeout: the overall budget stops it.
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': good.length });
    let sent = 0;
    const timer = setInterval(() => res.write(good.subarray(sent, ++sent)), 50);
    res.on('close', () => clearInterval(timer));
  });
  origin.route('/stall.jpg', (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': good.length });
    res.write(good.subarray(0, 100));
  });
  origin.route('/no-headers.jpg', () => {
    // Accepts the request and never answers.
  });
  origin.route('/endless.jpg', (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/jpeg' });
    const chunk = Buffer.alloc(64 * 1024, 0xab);
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  });
  origin.route('/lying-length.jpg', (_req, res) => {
    // Promises the whole photo, sends a fifth of it and hangs up.
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': good.length });
    res.write(good.subarray(0, Math.floor(good.length / 5)), () => res.socket?.destroy());
  });
  origin.route('/short-length.jpg', (_req, res) => {
    // Declares less than it has: only the declared bytes are read, which are not a whole photo.
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': 300 });
    res.end(good.subarray(0, 300));
  });
  origin.route('/huge-length.jpg', (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': 5 * MAX_BYTES });
    res.write(good);
  });
  for (const [path, status] of [
    ['/404.jpg', 404],
    ['/403.jpg', 403],
    ['/401.jpg', 401],
    ['/410.jpg', 410],
    ['/418.jpg', 418],
    ['/500.jpg', 500],
    ['/413.jpg', 413],
  ] as const) {
    origin.route(path, (_req, res) => res.writeHead(status, { 'content-type': 'text/html' }).end(HTML_PAGE));
  }
  // Redirects.
  const redirect = (path: string, location: () => string) =>
    origin.route(path, (_req, res) => res.writeHead(302, { location: location() }).end());
  redirect('/to-loopback.jpg', () => `https://127.0.0.1:${port}/good.jpg`);
  redirect('/to-ipv6-loopback.jpg', () => `https://[::1]:${port}/good.jpg`);
  redirect('/to-metadata.jpg', () => 'https://169.254.169.254/latest/meta-data/iam/security-credentials/');
  redirect('/to-internal-name.jpg', () => 'https://internal.example/photo.jpg');
  redirect('/to-http.jpg', () => `http://localhost:${port}/good.jpg`);
  redirect('/to-gs.jpg', () => 'gs://findly-posts-dev/ok.jpg');
  redirect('/to-file.jpg', () => 'file:///etc/passwd');
  redirect('/to-credentials.jpg', () => `https://admin:secret@localhost:${port}/good.jpg`);
  redirect('/to-malformed.jpg', () => 'https://[::1/photo.jpg');
  redirect('/loop.jpg', () => '/loop.jpg');
  for (let hop = 1; hop <= 4; hop++) redirect(`/hop${hop}.jpg`, () => `/hop${hop + 1}.jpg`);
  origin.serve('/hop5.jpg', good);

  gcs.put('findly-posts-dev', 'ok.jpg', good);
  gcs.put('findly-posts-dev', 'tenant/p\u00f8st/%41 #1?.jpg', good);
  gcs.put('findly-posts-dev', 'page.jpg', Buffer.from(HTML_PAGE), 'image/jpeg');
  gcs.put('findly-posts-dev', 'liar.jpg', Buffer.alloc(MAX_BYTES + 1024, 0xab), 'image/jpeg', 1000);
  gcs.put('findly-private', 'secret.jpg', good);
  gcs.makePrivate('findly-private');

  stage = createFetcherStage({
    identifierKey: IDENTIFIER_KEY,
    sources: createPhotoSources({
      maxBytes: MAX_BYTES,
      guard,
      https: { retries: 1, backoffBaseMs: 5, backoffMaxMs: 10, timeoutMs: TIMEOUT_MS, idleTimeoutMs: IDLE_MS },
      gcs: { apiEndpoint: gcs.endpoint, retries: 0, timeoutMs: 5_000 },
    }),
    blobs: new LocalFolderBlobStore(await mkdtemp(join(tmpdir(), 'hostile-blobs-'))),
    normalize: {
      maxSide: 1024,
      quality: 85,
      maxPixels: 50_000_000,
      allowedTypes: ['image/jpeg', 'image/png', 'image/webp'],
      stripMetadata: true,
    },
    expectedStages: ['detector', 'ocr'],
    deadlineMs: 60_000,
    concurrency: 2,
    onPhotoFailure: (code) => counted.set(code, (counted.get(code) ?? 0) + 1),
  });
});
afterAll(async () => {
  tripwire.disarm();
  await Promise.all([origin.close(), gcs.close()]);
});

interface HostileCase {
  name: string;
  url: () => string;
  code: ErrorCode;
  /** What the failure message must say (the manifest carries code and message). */
  message?: RegExp;
}

const CASES: HostileCase[] = [
  // What the bytes really are.
  { name: 'HTML served as image/jpeg', url: () => at('/html.jpg'), code: 'MEDIA_AI_PHOTO_UNSUPPORTED_TYPE', message: /html/ },
  {
    name: 'SVG with external references, declared as JPEG',
    url: () => at('/svg-external.jpg'),
    code: 'MEDIA_AI_PHOTO_UNSUPPORTED_TYPE',
    message: /svg/,
  },
  { name: 'SVG declared as SVG', url: () => at('/svg.svg'), code: 'MEDIA_AI_PHOTO_UNSUPPORTED_TYPE', message: /svg/ },
  { name: 'zero bytes', url: () => at('/empty.jpg'), code: 'MEDIA_AI_PHOTO_EMPTY' },
  { name: 'JSON error body with 200', url: () => at('/json.jpg'), code: 'MEDIA_AI_PHOTO_UNSUPPORTED_TYPE' },
  { name: 'S3-style XML error with 200', url: () => at('/s3-error.jpg'), code: 'MEDIA_AI_PHOTO_UNSUPPORTED_TYPE', message: /xml/ },
  { name: 'PDF declared as JPEG', url: () => at('/pdf.jpg'), code: 'MEDIA_AI_PHOTO_UNSUPPORTED_TYPE', message: /pdf/ },
  { name: 'GIF declared as JPEG', url: () => at('/gif.jpg'), code: 'MEDIA_AI_PHOTO_UNSUPPORTED_TYPE', message: /gif/ },
  { name: 'animated GIF', url: () => at('/animated.gif'), code: 'MEDIA_AI_PHOTO_UNSUPPORTED_TYPE', message: /gif/ },
  { name: 'TIFF declared as JPEG', url: () => at('/tiff.jpg'), code: 'MEDIA_AI_PHOTO_UNSUPPORTED_TYPE', message: /tiff/ },
  { name: 'AVIF declared as JPEG', url: () => at('/avif.jpg'), code: 'MEDIA_AI_PHOTO_UNSUPPORTED_TYPE', message: /avif/ },
  { name: 'HEIC declared as JPEG', url: () => at('/heic.jpg'), code: 'MEDIA_AI_PHOTO_UNSUPPORTED_TYPE', message: /heic/ },
  { name: 'BMP declared as JPEG', url: () => at('/bmp.jpg'), code: 'MEDIA_AI_PHOTO_UNSUPPORTED_TYPE', message: /bmp/ },
  { name: 'random bytes', url: () => at('/random.jpg'), code: 'MEDIA_AI_PHOTO_UNSUPPORTED_TYPE', message: /unknown/ },
  { name: 'gzip-encoded body despite accept-encoding: identity', url: () => at('/gzip.jpg'), code: 'MEDIA_AI_PHOTO_UNSUPPORTED_TYPE' },
  // Broken and oversized images.
  { name: 'truncated JPEG', url: () => at('/truncated.jpg'), code: 'MEDIA_AI_PHOTO_CORRUPT' },
  { name: 'JPEG magic followed by garbage', url: () => at('/jpeg-magic-garbage.jpg'), code: 'MEDIA_AI_PHOTO_CORRUPT' },
  { name: 'PNG cut inside its header', url: () => at('/truncated.png'), code: 'MEDIA_AI_PHOTO_CORRUPT' },
  { name: 'WebP with a header and no image data', url: () => at('/webp-header-only.webp'), code: 'MEDIA_AI_PHOTO_CORRUPT' },
  { name: 'PNG header claiming 50000x50000', url: () => at('/png-bomb.png'), code: 'MEDIA_AI_PHOTO_TOO_MANY_PIXELS' },
  { name: 'JPEG frame header claiming 65500x65500', url: () => at('/jpeg-bomb.jpg'), code: 'MEDIA_AI_PHOTO_TOO_MANY_PIXELS' },
  { name: '11 MB JPEG', url: () => at('/eleven-mb.jpg'), code: 'MEDIA_AI_PHOTO_TOO_LARGE' },
  { name: 'Content-Length five times the limit', url: () => at('/huge-length.jpg'), code: 'MEDIA_AI_PHOTO_TOO_LARGE' },
  // Transport.
  { name: 'endless body without a length', url: () => at('/endless.jpg'), code: 'MEDIA_AI_PHOTO_TOO_LARGE' },
  {
    name: 'server dripping one byte at a time',
    url: () => at('/drip.jpg'),
    code: 'MEDIA_AI_PHOTO_DOWNLOAD_FAILED',
    message: /within 1500 ms/,
  },
  { name: 'server stalling mid-body', url: () => at('/stall.jpg'), code: 'MEDIA_AI_PHOTO_DOWNLOAD_FAILED' },
  { name: 'server never sending headers', url: () => at('/no-headers.jpg'), code: 'MEDIA_AI_PHOTO_DOWNLOAD_FAILED' },
  { name: 'lying Content-Length (hangs up early)', url: () => at('/lying-length.jpg'), code: 'MEDIA_AI_PHOTO_DOWNLOAD_FAILED' },
  { name: 'understated Content-Length', url: () => at('/short-length.jpg'), code: 'MEDIA_AI_PHOTO_CORRUPT' },
  { name: 'HTTP 404', url: () => at('/404.jpg'), code: 'MEDIA_AI_PHOTO_NOT_FOUND' },
  { name: 'HTTP 410', url: () => at('/410.jpg'), code: 'MEDIA_AI_PHOTO_NOT_FOUND' },
  { name: 'HTTP 403', url: () => at('/403.jpg'), code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN' },
  { name: 'HTTP 401', url: () => at('/401.jpg'), code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN' },
  { name: 'HTTP 413', url: () => at('/413.jpg'), code: 'MEDIA_AI_PHOTO_TOO_LARGE' },
  { name: 'HTTP 418', url: () => at('/418.jpg'), code: 'MEDIA_AI_PHOTO_URL_INVALID', message: /418/ },
  { name: 'HTTP 500 on every attempt', url: () => at('/500.jpg'), code: 'MEDIA_AI_PHOTO_DOWNLOAD_FAILED', message: /500/ },
  // Redirects (each hop goes through the guard again).
  {
    name: 'redirect to 127.0.0.1 with loopback disallowed',
    url: () => at('/to-loopback.jpg'),
    code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN',
    message: /loopback/,
  },
  { name: 'redirect to [::1]', url: () => at('/to-ipv6-loopback.jpg'), code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN', message: /loopback/ },
  {
    name: 'redirect to 169.254.169.254',
    url: () => at('/to-metadata.jpg'),
    code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN',
    message: /link-local/,
  },
  {
    name: 'redirect to a name resolving to 10.0.0.1',
    url: () => at('/to-internal-name.jpg'),
    code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN',
    message: /private/,
  },
  { name: 'redirect to http://', url: () => at('/to-http.jpg'), code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN', message: /http:/ },
  { name: 'redirect to gs://', url: () => at('/to-gs.jpg'), code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN', message: /gs:/ },
  { name: 'redirect to file://', url: () => at('/to-file.jpg'), code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN', message: /file:/ },
  {
    name: 'redirect to a URL with credentials',
    url: () => at('/to-credentials.jpg'),
    code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN',
    message: /credentials/,
  },
  { name: 'redirect to a malformed URL', url: () => at('/to-malformed.jpg'), code: 'MEDIA_AI_PHOTO_URL_INVALID', message: /malformed/ },
  { name: 'redirect loop', url: () => at('/loop.jpg'), code: 'MEDIA_AI_PHOTO_URL_INVALID', message: /Too many redirects/ },
  { name: 'four redirects (one too many)', url: () => at('/hop1.jpg'), code: 'MEDIA_AI_PHOTO_URL_INVALID', message: /Too many redirects/ },
  // URLs the guard refuses before any connection.
  {
    name: 'name resolving to 10.0.0.1',
    url: () => 'https://internal.example/photo.jpg',
    code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN',
    message: /private/,
  },
  {
    name: 'name resolving to 169.254.169.254',
    url: () => 'https://metadata.example/latest/meta-data/',
    code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN',
    message: /link-local/,
  },
  {
    name: 'name resolving to a public and a private address',
    url: () => 'https://mixed.example/photo.jpg',
    code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN',
    message: /private/,
  },
  {
    name: 'name resolving to a unique-local IPv6 address',
    url: () => 'https://ula.example/photo.jpg',
    code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN',
    message: /unique-local/,
  },
  {
    name: 'name resolving to CGNAT space',
    url: () => 'https://cgnat.example/photo.jpg',
    code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN',
    message: /cgnat/,
  },
  {
    name: 'name resolving to an IPv4-mapped private address',
    url: () => 'https://mapped.example/photo.jpg',
    code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN',
    message: /private/,
  },
  {
    name: '169.254.169.254 literal',
    url: () => 'https://169.254.169.254/latest/meta-data/',
    code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN',
    message: /link-local/,
  },
  {
    name: 'decimal IPv4 literal for 127.0.0.1',
    url: () => `https://2130706433:${port}/good.jpg`,
    code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN',
    message: /loopback/,
  },
  {
    name: 'octal/hex IPv4 literal for 127.0.0.1',
    url: () => `https://0x7f.0.0.01:${port}/good.jpg`,
    code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN',
    message: /loopback/,
  },
  {
    name: 'IPv4-mapped IPv6 loopback literal',
    url: () => `https://[::ffff:127.0.0.1]:${port}/good.jpg`,
    code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN',
    message: /loopback/,
  },
  {
    name: 'IPv4-mapped IPv6 private literal',
    url: () => 'https://[::ffff:a00:1]/photo.jpg',
    code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN',
    message: /private/,
  },
  {
    name: 'URL with credentials',
    url: () => `https://user:pass@localhost:${port}/good.jpg`,
    code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN',
    message: /credentials/,
  },
  {
    name: 'name that does not resolve',
    url: () => 'https://nowhere.example/photo.jpg',
    code: 'MEDIA_AI_PHOTO_DOWNLOAD_FAILED',
    message: /resolved/,
  },
  { name: 'plain http:// URL', url: () => `http://localhost:${port}/good.jpg`, code: 'MEDIA_AI_PHOTO_URL_INVALID' },
  { name: 'file:// URL in a networked deployment', url: () => 'file:///etc/passwd', code: 'MEDIA_AI_PHOTO_URL_INVALID' },
  { name: 'ftp:// URL', url: () => 'ftp://localhost/photo.jpg', code: 'MEDIA_AI_PHOTO_URL_INVALID' },
  { name: 'data: URL', url: () => `data:image/jpeg;base64,${good.subarray(0, 64).toString('base64')}`, code: 'MEDIA_AI_PHOTO_URL_INVALID' },
  { name: 'javascript: URL', url: () => 'javascript:alert(1)', code: 'MEDIA_AI_PHOTO_URL_INVALID' },
  { name: 'not a URL at all', url: () => 'photo.jpg', code: 'MEDIA_AI_PHOTO_URL_INVALID' },
  // GCS (the real client against the stand-in).
  { name: 'gs:// 403 (private bucket)', url: () => 'gs://findly-private/secret.jpg', code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN' },
  { name: 'gs:// 404', url: () => 'gs://findly-posts-dev/missing.jpg', code: 'MEDIA_AI_PHOTO_NOT_FOUND' },
  { name: 'gs:// HTML object labelled image/jpeg', url: () => 'gs://findly-posts-dev/page.jpg', code: 'MEDIA_AI_PHOTO_UNSUPPORTED_TYPE' },
  { name: 'gs:// metadata understating the size', url: () => 'gs://findly-posts-dev/liar.jpg', code: 'MEDIA_AI_PHOTO_TOO_LARGE' },
  {
    name: 'gs:// malformed percent-encoding in the object name',
    url: () => 'gs://findly-posts-dev/a%E0%A4%A.jpg',
    code: 'MEDIA_AI_PHOTO_URL_INVALID',
  },
  {
    name: 'gs:// encoded CR/LF in the object name',
    url: () => 'gs://findly-posts-dev/a%0D%0AHost:%20evil.jpg',
    code: 'MEDIA_AI_PHOTO_URL_INVALID',
  },
  { name: 'gs:// encoded slash in the bucket name', url: () => 'gs://findly%2Fposts/a.jpg', code: 'MEDIA_AI_PHOTO_URL_INVALID' },
  {
    name: 'storage.googleapis.com URL with credentials',
    url: () => 'https://u:p@storage.googleapis.com/findly-posts-dev/ok.jpg',
    code: 'MEDIA_AI_PHOTO_SOURCE_FORBIDDEN',
    message: /credentials/,
  },
];

function postWith(urls: string[]) {
  const event = JSON.parse(readFileSync(new URL('contracts/examples/post.created.json', SHARED), 'utf8')) as {
    payload: { post: { photos: Array<Record<string, unknown>> } };
  };
  const template = event.payload.post.photos[0];
  event.payload.post.photos = urls.map((url, i) => ({
    ...template,
    id: `photo-${i + 1}`,
    original_url: url,
    thumbnail_url: url,
    order: i + 1,
  }));
  return event;
}

function inbound(value: unknown): InboundRecord<unknown> {
  return { topic: TOPICS.postsEvents, partition: 0, offset: '0', key: POST_ID, value, headers: {}, timestamp: Date.now() };
}

async function runPost(urls: string[]) {
  const out = await stage.handle(inbound(postWith(urls)), { signal: new AbortController().signal });
  const manifest = out.find((r) => r.topic === TOPICS.posts)?.value as PostManifest;
  const photos = out.filter((r) => r.topic === TOPICS.photos).map((r) => r.value as PhotoRecord);
  return { manifest, photos };
}

describe('hostile-input corpus', () => {
  it('has at least 30 distinct cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES)('$name -> $code, and the good photo of the same post is still enriched', async ({ url, code, message }) => {
    const started = Date.now();
    const { manifest, photos } = await runPost([at('/good.jpg'), url()]);
    expect(manifest.photos.map((p) => [p.photo_id, p.status, p.error_code])).toEqual([
      ['photo-1', 'ok', null],
      ['photo-2', 'failed', code],
    ]);
    if (message) expect(manifest.photos[1]?.error_message).toMatch(message);
    expect(manifest.photos[1]?.sha256).toBeNull();
    expect(photos.map((p) => p.photo_id)).toEqual(['photo-1']);
    expect(photos[0]).toMatchObject({ width: 299, height: 213, content_type: 'image/jpeg' });
    // Every case is bounded by the short test budgets, retries included.
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 2_000);
  });

  it('stops a stalled origin at the idle timeout, long before the overall budget', async () => {
    const started = Date.now();
    const { manifest } = await runPost([at('/stall.jpg')].concat(at('/good.jpg')));
    expect(manifest.photos[0]?.error_code).toBe('MEDIA_AI_PHOTO_DOWNLOAD_FAILED');
    // Two attempts of IDLE_MS each (plus a few ms of backoff), not TIMEOUT_MS.
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
  });

  it('follows up to three redirects, and odd but valid GCS object names, to the photo', async () => {
    const name = encodeURIComponent('tenant/p\u00f8st/%41 #1?.jpg').replaceAll('%2F', '/');
    const { manifest } = await runPost([at('/hop2.jpg'), `gs://findly-posts-dev/${name}`]);
    expect(manifest.photos.map((p) => p.status)).toEqual(['ok', 'ok']);
  });

  it('counted every failure by its code', () => {
    const expected = new Map<string, number>();
    for (const c of CASES) expected.set(c.code, (expected.get(c.code) ?? 0) + 1);
    // The idle-timeout case above adds one download failure.
    expected.set('MEDIA_AI_PHOTO_DOWNLOAD_FAILED', (expected.get('MEDIA_AI_PHOTO_DOWNLOAD_FAILED') ?? 0) + 1);
    expect(Object.fromEntries(counted)).toEqual(Object.fromEntries(expected));
  });

  it('resolved names only through the injected resolver and never opened a socket beyond loopback', () => {
    expect(asked).toContain('internal.example');
    expect(asked).toContain('metadata.example');
    expect(tripwire.refused).toEqual([]);
  });
});
