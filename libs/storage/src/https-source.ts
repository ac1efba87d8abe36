/**
 * Downloads photos over HTTPS with node:https: host allow-list, the SSRF guard on the first URL and
 * every redirect hop (at most 3), each connection pinned to the addresses the guard vetted, the size
 * limit enforced while streaming, an overall timeout plus an idle timeout, and retries with backoff
 * and full jitter (@media-ai/retry) on 5xx, network errors and timeouts only. Status codes map to
 * the error catalogue.
 * node:https rather than fetch because only a per-request `lookup` can pin the connection to the
 * checked address (fetch would resolve the name again, which is what DNS rebinding exploits).
 * Must never retry a 4xx (the answer will not change), never follow a redirect to a scheme or host
 * it would not fetch directly, never connect without the guard's say, and never send credentials
 * or cookies.
 */
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { MediaAiError } from '@media-ai/contracts';
import { backoffDelayMs, sleep } from '@media-ai/retry';
import { readLimited, tooLarge } from './limited-read.js';
import { parsePhotoUrl, type FetchedPhoto, type RoutedPhotoSource, type UrlGuard, type VettedAddress } from './photo-source.js';
import { createSsrfGuard } from './url-guard.js';

export interface HttpsSourceOptions {
  /** MAX_IMAGE_SIZE in bytes. */
  maxBytes: number;
  /**
   * Hosts that may be fetched: exact names, or `*.example.com` for any subdomain. Undefined or empty
   * allows every host, as PHOTO_URL_ALLOWED_HOSTS does: the SSRF guard then carries the whole burden.
   */
  allowedHosts?: readonly string[];
  /** Whole download budget, retries and backoff included (GCS_DOWNLOAD_TIMEOUT). Default 30 s. */
  timeoutMs?: number;
  /** Budget of one attempt; a slow attempt is abandoned and retried. Default: timeoutMs. */
  attemptTimeoutMs?: number;
  /**
   * Longest silence on the connection (waiting for the answer or between body chunks) before the
   * attempt is abandoned: a stalled origin costs this much, not the whole budget. Default
   * min(10 s, attemptTimeoutMs). A drip-feeding origin is stopped by the overall timeout.
   */
  idleTimeoutMs?: number;
  /** Extra attempts after the first on retryable failures. Default 2. */
  retries?: number;
  /** Ceiling of the first wait between attempts (full jitter, see @media-ai/retry); doubles per retry. Default 200. */
  backoffBaseMs?: number;
  /** Cap of a wait's ceiling. Default 5 s. */
  backoffMaxMs?: number;
  /** Jitter source (tests pin it). */
  random?: () => number;
  /** Default 3. */
  maxRedirects?: number;
  /** Also accept plain http:// (tests and local dev servers only; photos may carry personal data). */
  allowInsecureHttp?: boolean;
  /**
   * The SSRF seam. Default: `createSsrfGuard()` with loopback refused, so a source built without one
   * is still safe; tests pass one that allows loopback.
   */
  guard?: UrlGuard;
}

/** Failure of one attempt that another attempt may cure. */
class RetryableAttemptError extends Error {}

export function createHttpsPhotoSource(options: HttpsSourceOptions): RoutedPhotoSource {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? timeoutMs;
  const retries = options.retries ?? 2;
  const maxRedirects = options.maxRedirects ?? 3;
  const idleTimeoutMs = options.idleTimeoutMs ?? Math.min(10_000, attemptTimeoutMs);
  const guard = options.guard ?? createSsrfGuard({ allowInsecureHttp: options.allowInsecureHttp });
  const backoff = { initialDelayMs: options.backoffBaseMs ?? 200, maxDelayMs: options.backoffMaxMs ?? 5_000 };

  const schemeAllowed = (url: URL) => url.protocol === 'https:' || (options.allowInsecureHttp === true && url.protocol === 'http:');

  /** Vets one hop; returns the addresses to connect to when the guard pinned them. */
  async function check(url: URL, hop: number): Promise<readonly VettedAddress[] | undefined> {
    if (!schemeAllowed(url)) {
      // The first URL simply is not ours to fetch; a redirect to another scheme is a downgrade.
      if (hop === 0) throw new MediaAiError('MEDIA_AI_PHOTO_URL_INVALID', `Scheme ${url.protocol} is not allowed for photos`);
      throw new MediaAiError('MEDIA_AI_PHOTO_SOURCE_FORBIDDEN', `The photo source redirected to a ${url.protocol} URL`, {
        details: { reason: 'scheme', scheme: url.protocol },
      });
    }
    if (url.username || url.password) {
      // Credentials in a URL would be sent to whoever the URL names; refuse rather than leak them.
      throw new MediaAiError('MEDIA_AI_PHOTO_SOURCE_FORBIDDEN', 'Photo URLs must not carry credentials', {
        details: { reason: 'credentials' },
      });
    }
    if (options.allowedHosts?.length && !hostAllowed(url, options.allowedHosts)) {
      throw new MediaAiError('MEDIA_AI_PHOTO_SOURCE_FORBIDDEN', 'The photo host is not on the allow-list', {
        details: { reason: 'allow-list', host: url.hostname },
      });
    }
    const verdict = await guard(url);
    return verdict ? verdict.addresses : undefined;
  }

  async function attempt(first: URL, signal: AbortSignal): Promise<FetchedPhoto> {
    let url = first;
    for (let hop = 0; ; hop++) {
      const pinned = await check(url, hop);
      let response: IncomingMessage;
      try {
        response = await get(url, pinned, signal, idleTimeoutMs);
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        // DNS failures, refused or reset connections, a silent origin: it may be back in a moment.
        throw new RetryableAttemptError('The photo source could not be reached', { cause: error });
      }
      const status = response.statusCode ?? 0;
      const header = (name: string) => {
        const value = response.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      if (status >= 300 && status < 400 && header('location') !== undefined) {
        response.destroy();
        if (hop >= maxRedirects) {
          throw new MediaAiError('MEDIA_AI_PHOTO_URL_INVALID', 'Too many redirects', { details: { reason: 'redirects', maxRedirects } });
        }
        try {
          url = new URL(header('location') ?? '', url);
        } catch (error) {
          throw new MediaAiError('MEDIA_AI_PHOTO_URL_INVALID', 'The photo source redirected to a malformed URL', { cause: error });
        }
        continue;
      }
      if (status < 200 || status >= 300) {
        response.destroy();
        throw statusError(status);
      }
      const declared = Number(header('content-length'));
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        response.destroy();
        throw tooLarge(options.maxBytes, declared);
      }
      let bytes: Buffer;
      try {
        bytes = await readLimited(response, options.maxBytes);
      } catch (error) {
        if (error instanceof MediaAiError) throw error;
        if (signal.aborted) throw signal.reason;
        // The connection dropped or went silent mid-body: a new attempt may get the whole photo.
        throw new RetryableAttemptError('The photo download was interrupted', { cause: error });
      } finally {
        response.destroy();
      }
      return { bytes, declaredType: header('content-type') };
    }
  }

  return {
    kind: 'https',
    accepts: (url) => schemeAllowed(url),
    async fetch(rawUrl, callerSignal) {
      const url = parsePhotoUrl(rawUrl);
      const overall = AbortSignal.timeout(timeoutMs);
      const deadline = Date.now() + timeoutMs;
      const signals = callerSignal ? [callerSignal, overall] : [overall];
      let lastError: unknown;
      for (let n = 0; n <= retries; n++) {
        const attemptSignal = AbortSignal.any([...signals, AbortSignal.timeout(attemptTimeoutMs)]);
        try {
          return await attempt(url, attemptSignal);
        } catch (error) {
          if (callerSignal?.aborted) throw downloadFailed('The download was cancelled', error);
          if (overall.aborted) throw timedOut(timeoutMs, error);
          if (!retryableAttempt(error)) throw error;
          lastError = error;
        }
        if (n === retries) break;
        const delay = backoffDelayMs(n + 1, backoff, options.random);
        if (Date.now() + delay >= deadline) throw timedOut(timeoutMs, lastError);
        if (!(await sleep(delay, AbortSignal.any(signals)))) {
          throw callerSignal?.aborted
            ? downloadFailed('The download was cancelled', callerSignal.reason)
            : timedOut(timeoutMs, overall.reason);
        }
      }
      if (lastError instanceof MediaAiError) throw lastError;
      throw downloadFailed(lastError instanceof Error ? lastError.message : 'The photo source failed', lastError);
    },
  };
}

/**
 * One GET with Node's http(s) client. With `pinned` addresses the socket connects to those only
 * (the name is still sent as Host and SNI and checked against the certificate). A fresh agent per
 * request: a pooled socket could have been opened for an earlier, differently vetted answer.
 */
function get(url: URL, pinned: readonly VettedAddress[] | undefined, signal: AbortSignal, idleTimeoutMs: number): Promise<IncomingMessage> {
  const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
  const options: RequestOptions = {
    method: 'GET',
    agent: false,
    signal,
    // Compressed bodies would be decompressed by nobody and are a bomb vector: ask for identity.
    headers: { accept: 'image/*', 'accept-encoding': 'identity' },
    ...(pinned && pinned.length > 0 ? { lookup: pinnedLookup(pinned) } : {}),
  };
  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(url, options, (response) => {
      // The socket timeout keeps running through the body: a stall mid-body destroys the response.
      resolve(response);
    });
    req.setTimeout(idleTimeoutMs, () => {
      req.destroy(new Error(`The photo source was silent for ${idleTimeoutMs} ms`));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A `lookup` that answers with the vetted addresses only, whatever DNS would say now. */
export function pinnedLookup(addresses: readonly VettedAddress[]): LookupFunction {
  return (_hostname, lookupOptions, callback) => {
    const wanted =
      lookupOptions.family === 4 || lookupOptions.family === 6 ? addresses.filter((a) => a.family === lookupOptions.family) : addresses;
    const answer = wanted.length > 0 ? wanted : addresses;
    if (lookupOptions.all) {
      (callback as (err: null, addresses: VettedAddress[]) => void)(null, [...answer]);
    } else {
      const [one] = answer as [VettedAddress];
      callback(null, one.address, one.family);
    }
  };
}

/**
 * Whether a URL's host is on the allow-list: `host`, `*.suffix` (any subdomain, not the apex), and
 * either form with `:port` to pin the port as well (PHOTO_URL_ALLOWED_HOSTS accepts all of these).
 */
export function hostAllowed(url: URL, allowed: readonly string[]): boolean {
  const name = url.hostname.toLowerCase().replace(/\.$/, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return allowed.some((entry) => {
    const [rule = '', rulePort] = entry.toLowerCase().split(':');
    if (rulePort !== undefined && rulePort !== port) return false;
    return rule.startsWith('*.') ? name.endsWith(rule.slice(1)) : name === rule;
  });
}

/** 5xx answers, dropped connections and a timed-out attempt may succeed on the next attempt. */
function retryableAttempt(error: unknown): boolean {
  if (error instanceof RetryableAttemptError) return true;
  if (error instanceof MediaAiError) {
    return error.code === 'MEDIA_AI_PHOTO_DOWNLOAD_FAILED' && typeof error.details.status === 'number' && error.details.status >= 500;
  }
  // The per-attempt AbortSignal.timeout fired (the overall and caller signals were checked before).
  return error instanceof DOMException && error.name === 'TimeoutError';
}

function statusError(status: number): MediaAiError {
  const details = { status };
  if (status === 401 || status === 403) return new MediaAiError('MEDIA_AI_PHOTO_SOURCE_FORBIDDEN', undefined, { details });
  if (status === 404 || status === 410) return new MediaAiError('MEDIA_AI_PHOTO_NOT_FOUND', undefined, { details });
  if (status === 413) return new MediaAiError('MEDIA_AI_PHOTO_TOO_LARGE', undefined, { details });
  // 429 is a rate limit: not retried in place (no 4xx is), but retryable later by the runner.
  if (status === 429 || status >= 500) {
    return new MediaAiError('MEDIA_AI_PHOTO_DOWNLOAD_FAILED', `The photo source answered HTTP ${status}`, { details });
  }
  return new MediaAiError('MEDIA_AI_PHOTO_URL_INVALID', `The photo source answered HTTP ${status}`, { details });
}

function timedOut(timeoutMs: number, cause: unknown): MediaAiError {
  return new MediaAiError('MEDIA_AI_PHOTO_DOWNLOAD_FAILED', `The photo download did not finish within ${timeoutMs} ms`, {
    cause,
    details: { timeoutMs },
  });
}

function downloadFailed(message: string, cause: unknown): MediaAiError {
  return new MediaAiError('MEDIA_AI_PHOTO_DOWNLOAD_FAILED', message, { cause });
}
