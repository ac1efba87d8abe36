import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaAiError } from '@media-ai/contracts';
import { createHttpsPhotoSource } from './https-source.js';
import type { VettedAddress } from './photo-source.js';
import { armNetworkTripwire, type NetworkTripwire } from './test-support/network-tripwire.js';
import { startPhotoHttpServer, type PhotoHttpServer } from './test-support/photo-http-server.js';
import { classifyAddress, createSsrfGuard, type HostResolver } from './url-guard.js';

const PHOTO = Buffer.from('bytes the source never looks at');

/** A resolver answering from a table, never from DNS; records what it was asked. */
function table(entries: Record<string, string[]>): HostResolver & { asked: string[] } {
  const asked: string[] = [];
  const resolver = async (hostname: string): Promise<VettedAddress[]> => {
    asked.push(hostname);
    const answers = entries[hostname];
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolver, { asked });
}

async function refusal(promise: unknown): Promise<MediaAiError> {
  const error = await Promise.resolve(promise).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MediaAiError);
  return error as MediaAiError;
}

let tripwire: NetworkTripwire;
let tls: PhotoHttpServer;
beforeAll(async () => {
  tripwire = armNetworkTripwire();
  tls = await startPhotoHttpServer({ tls: true });
  tls.serve('/ok.jpg', PHOTO);
});
afterAll(async () => {
  tripwire.disarm();
  await tls.close();
});

describe('classifyAddress', () => {
  it.each([
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.254', 'cgnat'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a00:1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::a00:1', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['2002:a00:1::', 'private'],
    ['2001:db8::1', 'reserved'],
    ['2001::1', 'reserved'],
    ['100::1', 'reserved'],
    ['not an address', 'reserved'],
  ])('refuses %s as %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it.each([
    '8.8.8.8',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '169.253.0.1',
    '2606:4700::1111',
    '2a00:1450:4001::200e',
    '::ffff:8.8.8.8',
    '2002:808:808::',
  ])('lets public %s through', (address) => {
    expect(classifyAddress(address)).toBeUndefined();
  });
});

describe('createSsrfGuard', () => {
  const resolver = table({
    'photos.example': ['93.184.216.34', '2606:2800:220:1::248'],
    'internal.example': ['10.0.0.1'],
    'metadata.example': ['169.254.169.254'],
    'mixed.example': ['93.184.216.34', '192.168.0.7'],
    'mapped.example': ['::ffff:127.0.0.1'],
    'loop.example': ['127.0.0.1'],
  });
  const guard = createSsrfGuard({ resolve: resolver });

  it('returns the vetted addresses of a public name', async () => {
    expect(await guard(new URL('https://photos.example/a.jpg'))).toEqual({
      addresses: [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:2800:220:1::248', family: 6 },
      ],
    });
  });

  it.each([
    ['https://internal.example/a.jpg', 'private'],
    ['https://metadata.example/computeMetadata/v1/', 'link-local'],
    ['https://mixed.example/a.jpg', 'private'],
    ['https://mapped.example/a.jpg', 'loopback'],
    ['https://loop.example/a.jpg', 'loopback'],
    // Literal spellings of loopback and private addresses, canonicalised by the URL parser.
    ['https://2130706433/a.jpg', 'loopback'],
    ['https://0x7f.1/a.jpg', 'loopback'],
    ['https://0177.0.0.1/a.jpg', 'loopback'],
    ['https://017700000001/a.jpg', 'loopback'],
    ['https://167772161/a.jpg', 'private'],
    ['https://[::ffff:127.0.0.1]/a.jpg', 'loopback'],
    ['https://[::ffff:a00:1]/a.jpg', 'private'],
    ['https://[::1]/a.jpg', 'loopback'],
    ['https://[fe80::1]/a.jpg', 'link-local'],
    ['https://169.254.169.254/latest/meta-data/', 'link-local'],
    ['https://0.0.0.0/a.jpg', 'unspecified'],
    ['https://user:pass@photos.example/a.jpg', 'credentials'],
    ['http://photos.example/a.jpg', 'scheme'],
    ['ftp://photos.example/a.jpg', 'scheme'],
    ['file:///etc/passwd', 'scheme'],
  ])('refuses %s (%s)', async (url, reason) => {
    const error = await refusal(guard(new URL(url)));
    expect(error.code).toBe('MEDIA_AI_PHOTO_SOURCE_FORBIDDEN');
    expect(error.details.reason).toBe(reason);
    expect(error.retryable).toBe(false);
  });

  it('resolves no literal address, and nothing after refusing credentials or a scheme', async () => {
    resolver.asked.length = 0;
    await refusal(guard(new URL('https://2130706433/a.jpg')));
    await refusal(guard(new URL('https://u:p@photos.example/a.jpg')));
    await refusal(guard(new URL('http://photos.example/a.jpg')));
    expect(resolver.asked).toEqual([]);
  });

  it('allows loopback, and only loopback, when configured to', async () => {
    const dev = createSsrfGuard({ resolve: resolver, allowLoopback: true });
    expect(await dev(new URL('https://loop.example/a.jpg'))).toEqual({ addresses: [{ address: '127.0.0.1', family: 4 }] });
    expect(await dev(new URL('https://[::1]/a.jpg'))).toEqual({ addresses: [{ address: '::1', family: 6 }] });
    expect((await refusal(dev(new URL('https://internal.example/a.jpg')))).details.reason).toBe('private');
    expect((await refusal(dev(new URL('https://0.0.0.0/a.jpg')))).details.reason).toBe('unspecified');
  });

  it('lets gs:// through without resolving (the GCS endpoint is configuration), but not with credentials', async () => {
    expect(await guard(new URL('gs://findly-posts/a.jpg'))).toBeUndefined();
    expect((await refusal(guard(new URL('gs://u:p@findly-posts/a.jpg')))).details.reason).toBe('credentials');
  });

  it('reports a name that does not resolve as a retryable download failure', async () => {
    const error = await refusal(guard(new URL('https://nowhere.example/a.jpg')));
    expect(error.code).toBe('MEDIA_AI_PHOTO_DOWNLOAD_FAILED');
    expect(error.details).toMatchObject({ reason: 'dns', dnsCode: 'ENOTFOUND' });
    expect(error.retryable).toBe(true);
  });
});

describe('https source with the guard', () => {
  it('refuses a name resolving to a private address before any socket opens', async () => {
    const resolve = table({ 'cdn.example': ['10.0.0.1'], 'meta.example': ['169.254.169.254'] });
    const source = createHttpsPhotoSource({ maxBytes: 1024, retries: 0, guard: createSsrfGuard({ resolve }) });
    const before = tripwire.refused.length;
    for (const host of ['cdn.example', 'meta.example']) {
      const error = await refusal(source.fetch(`https://${host}/photo.jpg`));
      expect(error.code).toBe('MEDIA_AI_PHOTO_SOURCE_FORBIDDEN');
    }
    expect(resolve.asked).toEqual(['cdn.example', 'meta.example']);
    // Not even an attempt reached the socket layer.
    expect(tripwire.refused.length).toBe(before);
  });

  it('connects to the vetted address only, whatever the system resolver would answer (no rebinding)', async () => {
    const port = new URL(tls.origin).port;
    // The system knows localhost as 127.0.0.1, where the origin listens. Vetting it as ::1 (nothing
    // listens there) must make the download fail: the connection follows the check, not a new lookup.
    let answers = ['::1'];
    const resolve: HostResolver = async () => answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    const source = createHttpsPhotoSource({
      maxBytes: 1024,
      retries: 0,
      timeoutMs: 2_000,
      guard: createSsrfGuard({ resolve, allowLoopback: true }),
    });
    const pinnedElsewhere = await refusal(source.fetch(`https://localhost:${port}/ok.jpg`));
    expect(pinnedElsewhere.code).toBe('MEDIA_AI_PHOTO_DOWNLOAD_FAILED');
    expect(tls.hits('/ok.jpg')).toBe(0);

    answers = ['127.0.0.1'];
    // TLS still verifies the certificate for the name (localhost), not for the pinned address.
    const photo = await source.fetch(`https://localhost:${port}/ok.jpg`);
    expect(photo.bytes.equals(PHOTO)).toBe(true);
  });

  it('re-checks every redirect hop and refuses a hop to loopback when loopback is not allowed', async () => {
    // Plain http so a made-up name can reach the local origin without a certificate for it.
    const plain = await startPhotoHttpServer();
    try {
      const port = new URL(plain.origin).port;
      plain.serve('/ok.jpg', PHOTO);
      plain.route('/to-loopback.jpg', (_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${port}/ok.jpg` }).end());
      const strict = createSsrfGuard({ resolve: table({ 'photos.example': ['93.184.216.34'] }), allowInsecureHttp: true });
      const seen: string[] = [];
      const guard = async (url: URL) => {
        seen.push(url.href);
        const verdict = await strict(url);
        // Stand in for the public origin: the vetted public name is served by the local test origin.
        return url.hostname === 'photos.example' ? { addresses: [{ address: '127.0.0.1', family: 4 as const }] } : verdict;
      };
      const source = createHttpsPhotoSource({ maxBytes: 1024, retries: 0, allowInsecureHttp: true, guard });
      const error = await refusal(source.fetch(`http://photos.example:${port}/to-loopback.jpg`));
      expect(error.code).toBe('MEDIA_AI_PHOTO_SOURCE_FORBIDDEN');
      expect(error.details.reason).toBe('loopback');
      expect(seen).toEqual([`http://photos.example:${port}/to-loopback.jpg`, `http://127.0.0.1:${port}/ok.jpg`]);
      expect(plain.hits('/to-loopback.jpg')).toBe(1);
      expect(plain.hits('/ok.jpg')).toBe(0);
    } finally {
      await plain.close();
    }
  });
});
