import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaAiError } from '@media-ai/contracts';
import { createHttpsPhotoSource, hostAllowed, pinnedLookup, type HttpsSourceOptions } from './https-source.js';
import { startPhotoHttpServer, type PhotoHttpServer } from './test-support/photo-http-server.js';
import { createSsrfGuard } from './url-guard.js';
import { failureOf } from '@media-ai/contracts/test-support';

/** The real guard, with the one exception the local test origin needs. */
const loopbackGuard = createSsrfGuard({ allowLoopback: true, allowInsecureHttp: true });

const PHOTO = Buffer.from('not really a jpeg, sources never look inside');

let server: PhotoHttpServer;
beforeAll(async () => {
  server = await startPhotoHttpServer();
});
afterAll(() => server.close());

function source(overrides: Partial<HttpsSourceOptions> = {}) {
  return createHttpsPhotoSource({
    maxBytes: 1024,
    allowInsecureHttp: true,
    retries: 2,
    backoffBaseMs: 5,
    backoffMaxMs: 10,
    timeoutMs: 3_000,
    guard: loopbackGuard,
    ...overrides,
  });
}

describe('https photo source', () => {
  it('downloads the bytes and reports the declared type without trusting it', async () => {
    server.serve('/ok.jpg', PHOTO, 'image/png');
    const photo = await source().fetch(`${server.origin}/ok.jpg`);
    expect(photo.bytes.equals(PHOTO)).toBe(true);
    expect(photo.declaredType).toBe('image/png');
  });

  it('maps 404 and 403 to their codes without retrying', async () => {
    server.route('/gone.jpg', (_req, res) => res.writeHead(404).end());
    server.route('/secret.jpg', (_req, res) => res.writeHead(403).end());
    const notFound = await failureOf(source().fetch(`${server.origin}/gone.jpg`));
    const forbidden = await failureOf(source().fetch(`${server.origin}/secret.jpg`));
    expect(notFound.code).toBe('MEDIA_AI_PHOTO_NOT_FOUND');
    expect(forbidden.code).toBe('MEDIA_AI_PHOTO_SOURCE_FORBIDDEN');
    expect(notFound.retryable || forbidden.retryable).toBe(false);
    expect(server.hits('/gone.jpg')).toBe(1);
    expect(server.hits('/secret.jpg')).toBe(1);
  });

  it('does not retry 429 in place but leaves it retryable for the runner', async () => {
    server.route('/busy.jpg', (_req, res) => res.writeHead(429).end());
    const error = await failureOf(source().fetch(`${server.origin}/busy.jpg`));
    expect(error.code).toBe('MEDIA_AI_PHOTO_DOWNLOAD_FAILED');
    expect(error.retryable).toBe(true);
    expect(server.hits('/busy.jpg')).toBe(1);
  });

  it('retries 5xx with backoff until the origin recovers', async () => {
    server.route('/flaky.jpg', (_req, res, hit) => {
      if (hit < 3) return void res.writeHead(503).end();
      res.writeHead(200, { 'content-length': PHOTO.length }).end(PHOTO);
    });
    const photo = await source().fetch(`${server.origin}/flaky.jpg`);
    expect(photo.bytes.equals(PHOTO)).toBe(true);
    expect(server.hits('/flaky.jpg')).toBe(3);
  });

  it('gives up after the retries with a retryable failure', async () => {
    server.route('/down.jpg', (_req, res) => res.writeHead(500).end());
    const error = await failureOf(source({ retries: 1 }).fetch(`${server.origin}/down.jpg`));
    expect(error.code).toBe('MEDIA_AI_PHOTO_DOWNLOAD_FAILED');
    expect(error.retryable).toBe(true);
    expect(server.hits('/down.jpg')).toBe(2);
  });

  it('refuses a declared Content-Length over the limit before reading the body', async () => {
    server.route('/huge.jpg', (_req, res) => {
      res.writeHead(200, { 'content-length': 5_000 });
      res.end(Buffer.alloc(5_000));
    });
    const error = await failureOf(source().fetch(`${server.origin}/huge.jpg`));
    expect(error.code).toBe('MEDIA_AI_PHOTO_TOO_LARGE');
  });

  it('enforces the limit while streaming when no length is declared (endless body)', async () => {
    let written = 0;
    server.route('/endless.jpg', (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      const timer = setInterval(() => {
        written += 256;
        res.write(Buffer.alloc(256));
      }, 1);
      res.on('close', () => clearInterval(timer));
    });
    const error = await failureOf(source().fetch(`${server.origin}/endless.jpg`));
    expect(error.code).toBe('MEDIA_AI_PHOTO_TOO_LARGE');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = written;
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The connection was closed: the origin stopped writing shortly after the limit.
    expect(written).toBe(after);
    expect(server.hits('/endless.jpg')).toBe(1);
  });

  it('times out a stalled origin and reports a retryable failure', async () => {
    server.route('/stall.jpg', (_req, res) => {
      res.writeHead(200, { 'content-length': 100 });
      res.write(Buffer.alloc(10));
    });
    const started = Date.now();
    const error = await failureOf(source({ timeoutMs: 300, retries: 5 }).fetch(`${server.origin}/stall.jpg`));
    expect(error.code).toBe('MEDIA_AI_PHOTO_DOWNLOAD_FAILED');
    expect(error.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('abandons a silent origin at the idle timeout, well inside the overall budget', async () => {
    server.route('/silent.jpg', (_req, res) => {
      res.writeHead(200, { 'content-length': 100 });
      res.write(Buffer.alloc(10));
    });
    const started = Date.now();
    const error = await failureOf(source({ timeoutMs: 5_000, idleTimeoutMs: 100, retries: 1 }).fetch(`${server.origin}/silent.jpg`));
    expect(error.code).toBe('MEDIA_AI_PHOTO_DOWNLOAD_FAILED');
    expect(error.retryable).toBe(true);
    expect(server.hits('/silent.jpg')).toBe(2);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('answers lookups with the pinned addresses only, by family when asked', () => {
    const lookup = pinnedLookup([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1::248', family: 6 },
    ]);
    const answers: unknown[] = [];
    lookup('photos.example', { all: true }, (_e, addresses) => answers.push(addresses));
    lookup('photos.example', { family: 6 }, (_e, address, family) => answers.push([address, family]));
    lookup('photos.example', { family: 4 }, (_e, address, family) => answers.push([address, family]));
    expect(answers).toEqual([
      [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:2800:220:1::248', family: 6 },
      ],
      ['2606:2800:220:1::248', 6],
      ['93.184.216.34', 4],
    ]);
  });

  it('retries an attempt that stalls when another attempt can succeed', async () => {
    server.route('/slow-once.jpg', (_req, res, hit) => {
      if (hit === 1) return void res.writeHead(200, { 'content-length': 100 }).write(Buffer.alloc(1));
      res.writeHead(200, { 'content-length': PHOTO.length }).end(PHOTO);
    });
    const photo = await source({ attemptTimeoutMs: 200 }).fetch(`${server.origin}/slow-once.jpg`);
    expect(photo.bytes.equals(PHOTO)).toBe(true);
    expect(server.hits('/slow-once.jpg')).toBe(2);
  });

  it('checks the host allow-list before connecting, and again on every redirect', async () => {
    const blocked = await failureOf(source({ allowedHosts: ['photos.example.com'] }).fetch(`${server.origin}/ok.jpg`));
    expect(blocked.code).toBe('MEDIA_AI_PHOTO_SOURCE_FORBIDDEN');

    server.route('/hop.jpg', (_req, res) => res.writeHead(302, { location: 'http://localhost:1/evil.jpg' }).end());
    const hop = await failureOf(source({ allowedHosts: ['127.0.0.1'] }).fetch(`${server.origin}/hop.jpg`));
    expect(hop.code).toBe('MEDIA_AI_PHOTO_SOURCE_FORBIDDEN');

    server.route('/moved.jpg', (_req, res) => res.writeHead(301, { location: '/ok.jpg' }).end());
    const seen: string[] = [];
    const moved = await source({ allowedHosts: ['127.0.0.1'], guard: (url) => void seen.push(url.pathname) }).fetch(
      `${server.origin}/moved.jpg`,
    );
    expect(moved.bytes.equals(PHOTO)).toBe(true);
    expect(seen).toEqual(['/moved.jpg', '/ok.jpg']);
  });

  it('lets the guard veto a request (the SSRF seam)', async () => {
    const guard = () => {
      throw new MediaAiError('MEDIA_AI_PHOTO_SOURCE_FORBIDDEN', 'private address');
    };
    const before = server.hits('/ok.jpg');
    const error = await failureOf(source({ guard }).fetch(`${server.origin}/ok.jpg`));
    expect(error.code).toBe('MEDIA_AI_PHOTO_SOURCE_FORBIDDEN');
    expect(server.hits('/ok.jpg')).toBe(before);
  });

  it('refuses plain http unless allowed, and URLs carrying credentials', async () => {
    const insecure = await failureOf(source({ allowInsecureHttp: false }).fetch(`${server.origin}/ok.jpg`));
    expect(insecure.code).toBe('MEDIA_AI_PHOTO_URL_INVALID');
    const withUser = await failureOf(source().fetch(server.origin.replace('http://', 'http://user:pw@') + '/ok.jpg'));
    expect(withUser.code).toBe('MEDIA_AI_PHOTO_SOURCE_FORBIDDEN');
    expect(withUser.details.reason).toBe('credentials');
  });

  it('downloads over real TLS with the production defaults (https only, loopback refused by the default guard)', async () => {
    const tlsOrigin = await startPhotoHttpServer({ tls: true });
    try {
      tlsOrigin.serve('/ok.jpg', PHOTO);
      const strict = createHttpsPhotoSource({ maxBytes: 1024 });
      const refused = await failureOf(strict.fetch(`${tlsOrigin.origin}/ok.jpg`));
      expect(refused.code).toBe('MEDIA_AI_PHOTO_SOURCE_FORBIDDEN');
      expect(refused.details.reason).toBe('loopback');
      expect(tlsOrigin.hits('/ok.jpg')).toBe(0);
      const photo = await createHttpsPhotoSource({ maxBytes: 1024, guard: createSsrfGuard({ allowLoopback: true }) }).fetch(
        `${tlsOrigin.origin}/ok.jpg`,
      );
      expect(photo.bytes.equals(PHOTO)).toBe(true);
      expect(strict.accepts(new URL('http://127.0.0.1/ok.jpg'))).toBe(false);
    } finally {
      await tlsOrigin.close();
    }
  });

  it('matches allow-list entries exactly, by *.suffix, and with a pinned port', () => {
    const allowed = (url: string, list: string[]) => hostAllowed(new URL(url), list);
    expect(allowed('https://storage.googleapis.com/a', ['storage.googleapis.com'])).toBe(true);
    expect(allowed('https://STORAGE.googleapis.com./a', ['storage.googleapis.com'])).toBe(true);
    expect(allowed('https://cdn.findly.example/a', ['*.findly.example'])).toBe(true);
    expect(allowed('https://findly.example/a', ['*.findly.example'])).toBe(false);
    expect(allowed('https://findly.example.evil.com/a', ['*.findly.example'])).toBe(false);
    expect(allowed('https://evilfindly.example/a', ['*.findly.example'])).toBe(false);
    expect(allowed('https://cdn.findly.example:8443/a', ['cdn.findly.example:8443'])).toBe(true);
    expect(allowed('https://cdn.findly.example/a', ['cdn.findly.example:8443'])).toBe(false);
    expect(allowed('https://cdn.findly.example/a', ['cdn.findly.example:443'])).toBe(true);
  });
});
