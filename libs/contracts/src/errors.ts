/**
 * The one catalogue of failure codes (MEDIA_AI_*), used alike by the fetcher, the REST API,
 * dead-letter headers and processing.error events. A failure says by its type whether a retry
 * can help; the stream runner decides retry vs dead-letter from that alone.
 *
 * `outage: true` marks a failure of shared infrastructure (Redis, the blob store, the schema
 * registry) rather than of the record: no number of attempts makes it the record's fault, so the
 * runner never dead-letters it and keeps retrying (capped backoff) until the dependency is back or
 * the stage is stopped.
 */

export const ERROR_CODES = {
  // Events
  MEDIA_AI_BAD_EVENT: { status: 400, retryable: false, message: 'The event is not a readable posts.events record' },
  MEDIA_AI_BAD_RECORD: { status: 400, retryable: false, message: 'The record cannot be decoded with its schema' },
  MEDIA_AI_UNKNOWN_SCHEMA: { status: 400, retryable: false, message: 'The record names a schema id the registry does not know' },
  MEDIA_AI_SCHEMA_REJECTED: {
    status: 409,
    retryable: false,
    message: 'The schema registry refused the schema (not valid Avro, or incompatible with earlier versions)',
  },
  MEDIA_AI_SCHEMA_NOT_REGISTERED: {
    status: 500,
    retryable: false,
    message: 'A topic schema this release writes is not registered yet; the deploy step `media-ai schemas register` must run first',
  },
  MEDIA_AI_SCHEMA_REGISTRY_UNAVAILABLE: {
    status: 503,
    retryable: true,
    outage: true,
    message: 'The schema registry failed, refused the credentials or is unreachable',
  },
  // Photo sources
  MEDIA_AI_PHOTO_URL_INVALID: { status: 400, retryable: false, message: 'The photo URL is not a supported, well-formed source' },
  MEDIA_AI_PHOTO_SOURCE_FORBIDDEN: { status: 403, retryable: false, message: 'The photo source refused access or is not allowed' },
  MEDIA_AI_PHOTO_NOT_FOUND: { status: 404, retryable: false, message: 'The photo does not exist at its source' },
  MEDIA_AI_PHOTO_TOO_LARGE: { status: 413, retryable: false, message: 'The photo exceeds the size limit' },
  MEDIA_AI_PHOTO_DOWNLOAD_FAILED: { status: 502, retryable: true, message: 'The photo source failed or timed out' },
  // Photo content
  MEDIA_AI_PHOTO_EMPTY: { status: 422, retryable: false, message: 'The photo has no bytes' },
  MEDIA_AI_PHOTO_UNSUPPORTED_TYPE: { status: 415, retryable: false, message: 'The photo is not JPEG, PNG or WebP' },
  MEDIA_AI_PHOTO_CORRUPT: { status: 422, retryable: false, message: 'The photo cannot be decoded' },
  MEDIA_AI_PHOTO_TOO_MANY_PIXELS: { status: 422, retryable: false, message: 'The photo has more pixels than allowed' },
  MEDIA_AI_PHOTO_INFECTED: {
    status: 422,
    retryable: false,
    message: 'The malware scanner found a signature in the photo; it was not decoded or stored',
  },
  // Malware scanning (clamd): a photo is never let through unscanned.
  MEDIA_AI_MALWARE_SCANNER_UNAVAILABLE: {
    status: 503,
    retryable: true,
    outage: true,
    message: 'The malware scanner (clamd) is unreachable or timed out; photos wait until it answers',
  },
  MEDIA_AI_MALWARE_SCAN_FAILED: { status: 502, retryable: true, message: 'The malware scanner could not finish scanning the photo' },
  // Models and third parties
  MEDIA_AI_MODEL_UNAVAILABLE: { status: 503, retryable: false, message: 'A model needed for this capability could not be resolved' },
  MEDIA_AI_INFERENCE_FAILED: { status: 500, retryable: true, message: 'Model inference failed' },
  MEDIA_AI_OCR_FAILED: { status: 500, retryable: true, message: 'Text recognition failed' },
  MEDIA_AI_LLM_UNAVAILABLE: { status: 503, retryable: true, message: 'The vision model API failed, timed out or rate-limited the request' },
  MEDIA_AI_LLM_BAD_ANSWER: {
    status: 502,
    retryable: false,
    message: 'The vision model answered with something that does not match the answer schema',
  },
  MEDIA_AI_LLM_REFUSED: { status: 422, retryable: false, message: 'The vision model refused to describe the photo' },
  // Not failures of the record: the llm stage publishes them as failed parts at once, without a call, so the post is not held up.
  MEDIA_AI_LLM_CIRCUIT_OPEN: {
    status: 503,
    retryable: true,
    message: 'The vision model was not asked: its circuit breaker is open after repeated failures',
  },
  MEDIA_AI_LLM_NOT_PERMITTED: {
    status: 403,
    retryable: false,
    message: "The tenant's settings do not allow its photos to be sent to a third-party AI service",
  },
  MEDIA_AI_FACES_UNCHECKED: {
    status: 403,
    retryable: false,
    message: 'Nobody looked for faces on this photo (no face model), so it may not leave the service',
  },
  MEDIA_AI_BLOB_MISSING: { status: 500, retryable: true, message: 'The normalized photo is missing from the blob store' },
  MEDIA_AI_BLOB_STORE_FAILED: { status: 503, retryable: true, outage: true, message: 'The blob store failed, refused access or timed out' },
  // Posts
  MEDIA_AI_ALL_PHOTOS_FAILED: { status: 422, retryable: false, message: 'No photo of the post could be processed' },
  MEDIA_AI_POST_NOT_FOUND: { status: 404, retryable: false, message: 'No enrichment is known for this post' },
  // Not a failure: the post was deleted or resolved and media-ai forgot its enrichment on purpose.
  MEDIA_AI_POST_GONE: { status: 410, retryable: false, message: 'The post was deleted or resolved: its enrichment is forgotten' },
  MEDIA_AI_NO_PHOTOS: { status: 422, retryable: false, message: 'The post has no photos to analyse' },
  MEDIA_AI_TOO_MANY_PHOTOS: {
    status: 400,
    retryable: false,
    message: 'The post has more photos than the platform allows (MEDIA_AI_MAX_PHOTOS_PER_POST)',
  },
  MEDIA_AI_UNSUPPORTED_EVENT_TYPE: {
    status: 422,
    retryable: false,
    message:
      'The event type is not one media-ai handles (post.created, post.photo.added, post.photo.removed, post.updated, post.resolved, post.deleted)',
  },
  MEDIA_AI_UPLOAD_REFUSED: {
    status: 403,
    retryable: false,
    message: 'An upload:// URL is valid only inside the multipart request that uploaded the photo',
  },
  // HTTP API
  MEDIA_AI_BAD_REQUEST: { status: 400, retryable: false, message: 'The request does not match the API schema' },
  MEDIA_AI_JSON_TOO_DEEP: { status: 400, retryable: false, message: 'The JSON body nests deeper than the API allows' },
  MEDIA_AI_UNAUTHORIZED: {
    status: 401,
    retryable: false,
    message: 'A valid API token is required: send it as `Authorization: Bearer <token>`',
  },
  MEDIA_AI_ROUTE_NOT_FOUND: { status: 404, retryable: false, message: 'No such route' },
  MEDIA_AI_BODY_TOO_LARGE: { status: 413, retryable: false, message: 'The request body exceeds the size limit' },
  MEDIA_AI_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    retryable: false,
    message: 'The request body has a content type the route does not accept',
  },
  MEDIA_AI_RATE_LIMITED: {
    status: 429,
    retryable: true,
    message: 'Too many requests from this client; retry after the seconds in Retry-After',
  },
  MEDIA_AI_HEADERS_TOO_LARGE: { status: 431, retryable: false, message: 'The request headers exceed the size limit' },
  // Review desk
  MEDIA_AI_REVIEW_SIGN_IN_REQUIRED: {
    status: 401,
    retryable: false,
    message: 'The review desk needs a reviewer session: sign in with a reviewer token',
  },
  MEDIA_AI_CSRF_REJECTED: {
    status: 403,
    retryable: false,
    message: "The request lacks this session's CSRF token (x-csrf-token) or comes from another site",
  },
  MEDIA_AI_TAG_NOT_REVIEWABLE: {
    status: 409,
    retryable: false,
    message: 'The tag is not waiting for review in the revision the desk shows (decided already, or the post changed)',
  },
  // Generic
  MEDIA_AI_STATE_UNAVAILABLE: {
    status: 503,
    retryable: true,
    outage: true,
    message: 'The join state store (Redis) failed or is unreachable',
  },
  MEDIA_AI_TIMEOUT: { status: 504, retryable: true, message: 'The operation timed out' },
  MEDIA_AI_INTERNAL: { status: 500, retryable: true, message: 'Unexpected internal failure' },
} as const satisfies Record<string, { status: number; retryable: boolean; outage?: true; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface MediaAiErrorOptions {
  cause?: unknown;
  /** Extra context safe to log and to put in dead-letter headers (never personal data). */
  details?: Record<string, string | number | boolean>;
}

/** Root of every failure the service reports on purpose. */
export class MediaAiError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, string | number | boolean>;

  constructor(code: ErrorCode, message?: string, options: MediaAiErrorOptions = {}) {
    super(message ?? ERROR_CODES[code].message, { cause: options.cause });
    this.name = 'MediaAiError';
    this.code = code;
    this.details = options.details ?? {};
  }

  /** Whether trying again later can succeed (timeouts, 5xx, rate limits). */
  get retryable(): boolean {
    return ERROR_CODES[this.code].retryable;
  }

  /** An infrastructure outage (implies retryable): retried without an attempt limit, never dead-lettered. */
  get outage(): boolean {
    const entry = ERROR_CODES[this.code];
    return 'outage' in entry && entry.outage;
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code].status;
  }
}

/** Anything thrown that is not a MediaAiError is unexpected: treated as retryable internal. */
export function toMediaAiError(error: unknown): MediaAiError {
  if (error instanceof MediaAiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new MediaAiError('MEDIA_AI_INTERNAL', message, { cause: error });
}

export function isRetryable(error: unknown): boolean {
  return toMediaAiError(error).retryable;
}
