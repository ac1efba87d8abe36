/**
 * Photo sources: how the fetcher gets a post's original photo bytes from wherever fn-posts put them
 * (gs://, https://storage.googleapis.com/, other https hosts, file:// in embedded/dev mode).
 * Every source enforces the size limit while it reads, so a lying Content-Length or an endless body
 * never fills memory. A source must never decode or trust the bytes (the normalizer checks magic
 * bytes), never read a scheme it was not configured for, and never log URLs' query strings
 * (signed URLs carry credentials).
 */
import { MediaAiError } from '@media-ai/contracts';

export interface FetchedPhoto {
  bytes: Buffer;
  /** Content type the source claimed (HTTP header, GCS metadata). Informational only: never trusted. */
  declaredType?: string;
}

export interface PhotoSource {
  fetch(url: string, signal?: AbortSignal): Promise<FetchedPhoto>;
}

/** An address a guard checked, in the shape `dns.lookup` returns. */
export interface VettedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * What a guard may hand back: the addresses it vetted for the URL's host. A source that gets them
 * must connect to those addresses only (never resolve the name again), so a DNS answer that changes
 * between the check and the connect (rebinding) cannot steer the request elsewhere.
 */
export interface UrlVerdict {
  addresses: readonly VettedAddress[];
}

/**
 * The SSRF seam: called with every URL a network source is about to request, the first one and
 * every redirect hop. Throw MediaAiError MEDIA_AI_PHOTO_SOURCE_FORBIDDEN to refuse; return a verdict
 * to pin the connection to the checked addresses. `createSsrfGuard` (url-guard.ts) is the real one.
 */
export type UrlGuard = (url: URL) => void | UrlVerdict | Promise<void | UrlVerdict>;

/** A scheme-specific source plus the URLs it claims. */
export interface RoutedPhotoSource extends PhotoSource {
  /** Short name for logs and errors: file, https, gcs. */
  readonly kind: string;
  accepts(url: URL): boolean;
}

export function parsePhotoUrl(url: string): URL {
  try {
    return new URL(url);
  } catch (error) {
    throw new MediaAiError('MEDIA_AI_PHOTO_URL_INVALID', 'The photo URL is not a well-formed URL', { cause: error });
  }
}

/** Dispatches to the first source that accepts the URL; order matters (GCS before generic https). */
export function routePhotoSources(sources: readonly RoutedPhotoSource[]): PhotoSource {
  return {
    async fetch(url, signal) {
      const parsed = parsePhotoUrl(url);
      const source = sources.find((candidate) => candidate.accepts(parsed));
      if (!source) {
        throw new MediaAiError('MEDIA_AI_PHOTO_URL_INVALID', `No photo source is configured for ${parsed.protocol} URLs`, {
          details: { scheme: parsed.protocol },
        });
      }
      return source.fetch(url, signal);
    },
  };
}
