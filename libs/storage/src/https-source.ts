/**
 * Downloads photos over HTTPS with Node's fetch: host allow-list, redirects followed by hand (each
 * hop re-checked), the size limit enforced while streaming, one overall timeout, and retries with
 * backoff + jitter on 5xx, network errors and timeouts only. Status codes map to the error catalogue.
 * Must never retry a 4xx (the answer will not change), never follow a redirect to a scheme or host
 * it would not fetch directly, and never send credentials or cookies.
 */
import { MediaAiError } from '@media-ai/contracts';
import { backoffDelay, sleep } from './backoff.js';
import { readLimited, tooLarge } from './limited-read.js';
import { parsePhotoUrl, type FetchedPhoto, type RoutedPhotoSource, type UrlGuard } from './photo-source.js';

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
  /** Extra attempts after the first on retryable failures. Default 2. */
  retries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  random?: () => number;
  /** Default 3. */
  maxRedirects?: number;
  /** Also accept plain http:// (tests and local dev servers only; photos may carry personal data). */
  allowInsecureHttp?: boolean;
  guard?: UrlGuard;
}

/** Failure of one attempt that another attempt may cure. */
class RetryableAttemptError extends Error {}

export function createHttpsPhotoSource(options: HttpsSourceOptions): RoutedPhotoSource {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? timeoutMs;
  const retries = options.retries ?? 2;
  const maxRedirects = options.maxRedirects ?? 3;
  const backoff = { baseMs: options.backoffBaseMs ?? 200, maxMs: options.backoffMaxMs ?? 5_000, random: options.random };

  const schemeAllowed = (url: URL) => url.protocol === 'https:' || (options.allowInsecureHttp === true && url.protocol === 'http:');

  async function check(url: URL): Promise<void> {
    if (!schemeAllowed(url)) {
      throw new MediaAiError('MEDIA_AI_PHOTO_URL_INVALID', `Scheme ${url.protocol} is not allowed for photos`);
    }
    if (url.username || url.password) {
      // Credentials in a URL would be sent to whoever the URL names; refuse rather than leak them.
      throw new MediaAiError('MEDIA_AI_PHOTO_URL_INVALID', 'Photo URLs must not carry credentials');
    }
    if (options.allowedHosts?.length && !hostAllowed(url, options.allowedHosts)) {
      throw new MediaAiError('MEDIA_AI_PHOTO_SOURCE_FORBIDDEN', 'The photo host is not on the allow-list', {
        details: { host: url.hostname },
      });
    }
    await options.guard?.(url);
  }

  async function attempt(first: URL, signal: AbortSignal): Promise<FetchedPhoto> {
    let url = first;
    for (let hop = 0; ; hop++) {
      await check(url);
      let response: Response;
      try {
        response = await fetch(url, {
          redirect: 'manual',
          credentials: 'omit',
          headers: { accept: 'image/*' },
          signal,
        });
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        // DNS failures, refused or reset connections: the origin may be back in a moment.
        throw new RetryableAttemptError('The photo source could not be reached', { cause: error });
      }
      if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
        await response.body?.cancel();
        if (hop >= maxRedirects) throw new MediaAiError('MEDIA_AI_PHOTO_URL_INVALID', 'Too many redirects');
        try {
          url = new URL(response.headers.get('location') ?? '', url);
        } catch (error) {
          throw new MediaAiError('MEDIA_AI_PHOTO_URL_INVALID', 'The photo source redirected to a malformed URL', { cause: error });
        }
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw statusError(response.status);
      }
      const declared = Number(response.headers.get('content-length'));
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        await response.body?.cancel();
        throw tooLarge(options.maxBytes, declared);
      }
      if (!response.body) return { bytes: Buffer.alloc(0), declaredType: response.headers.get('content-type') ?? undefined };
      let bytes: Buffer;
      try {
        bytes = await readLimited(response.body, options.maxBytes);
      } catch (error) {
        if (error instanceof MediaAiError) throw error;
        if (signal.aborted) throw signal.reason;
        // The connection dropped mid-body: a new attempt may get the whole photo.
        throw new RetryableAttemptError('The photo download was interrupted', { cause: error });
      }
      return { bytes, declaredType: response.headers.get('content-type') ?? undefined };
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
        const delay = backoffDelay(n, backoff);
        if (Date.now() + delay >= deadline) throw timedOut(timeoutMs, lastError);
        try {
          await sleep(delay, AbortSignal.any(signals));
        } catch (error) {
          throw callerSignal?.aborted ? downloadFailed('The download was cancelled', error) : timedOut(timeoutMs, error);
        }
      }
      if (lastError instanceof MediaAiError) throw lastError;
      throw downloadFailed(lastError instanceof Error ? lastError.message : 'The photo source failed', lastError);
    },
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
