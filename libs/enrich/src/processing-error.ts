/**
 * processing.error: the event for a post that cannot be enriched (no photos, every photo failed, a
 * post the platform contract cannot carry). Pure, deterministic id per post revision. It must never
 * carry personal data or credentials: only codes, our own messages, photo ids and URLs without their
 * query string (signed URLs hold tokens there), never an upload:// reference (publishedPhotoUrl).
 */
import { ERROR_CODES, publishedPhotoUrl, type ErrorCode, type PostManifest, type ProcessingErrorEvent } from '@media-ai/contracts';
import { processingErrorEventId } from './event-id.js';

export interface BuildProcessingErrorInput {
  manifest: PostManifest;
  code: ErrorCode;
  /** Defaults to the catalogue message of the code. */
  message?: string;
  now: number;
  /** The aggregator does not retry a post itself: an error event is final unless said otherwise. */
  retryCount?: number;
  maxRetries?: number;
  nextRetryAt?: number | null;
  eventId?: string;
}

/** Drops query and fragment: a signed URL's credentials must not travel in an error event. */
export function publicUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    u.search = '';
    u.hash = '';
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return null;
  }
}

export function buildProcessingError(input: BuildProcessingErrorInput): ProcessingErrorEvent {
  const { manifest, code, now } = input;
  const nextRetryAt = input.nextRetryAt ?? null;
  return {
    id: input.eventId ?? processingErrorEventId(manifest.post_id, manifest.revision),
    event_type: 'processing.error',
    timestamp: new Date(now).toISOString(),
    version: 1,
    correlation_id: manifest.correlation_id,
    data: {
      post_id: manifest.post_id,
      revision: manifest.revision,
      error_code: code,
      error_type: code.replace(/^MEDIA_AI_/, '').toLowerCase(),
      error_message: input.message?.trim() || ERROR_CODES[code].message,
      retryable: ERROR_CODES[code].retryable,
      will_retry: nextRetryAt !== null,
      retry_count: input.retryCount ?? 0,
      max_retries: input.maxRetries ?? 0,
      next_retry_at: nextRetryAt === null ? null : new Date(nextRetryAt).toISOString(),
      failed_photos: manifest.photos
        .filter((p) => p.status !== 'ok')
        .map((p) => ({
          photo_id: p.photo_id,
          url: publicUrl(publishedPhotoUrl(p.url, p.photo_id)),
          error_code: p.error_code,
          error: p.error_message,
        })),
    },
  };
}

/**
 * Why a manifest cannot be enriched at all, or null when at least one photo can be analysed:
 * no photos -> MEDIA_AI_NO_PHOTOS, every photo failed at the fetcher -> MEDIA_AI_ALL_PHOTOS_FAILED.
 */
export function unenrichableReason(manifest: PostManifest): ErrorCode | null {
  if (manifest.photos.length === 0) return 'MEDIA_AI_NO_PHOTOS';
  if (manifest.photos.every((p) => p.status !== 'ok')) return 'MEDIA_AI_ALL_PHOTOS_FAILED';
  return null;
}
