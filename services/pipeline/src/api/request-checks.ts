/**
 * What the REST API refuses before anything enters the stream, each with a stable code: an analyze
 * body of the wrong shape (MEDIA_AI_BAD_REQUEST, types checked strictly: a title that is an array is
 * not coerced), more photos than a post may have (MEDIA_AI_TOO_MANY_PHOTOS), an event type media-ai
 * does not handle (MEDIA_AI_UNSUPPORTED_EVENT_TYPE), and upload:// URLs anywhere but in the multipart
 * request that uploaded them (MEDIA_AI_UPLOAD_REFUSED).
 * Must never let a client mistake through to become a processing.error later, nor read more of a
 * request than the check needs.
 */
import { isRelevantEventType, isUploadUrl, MediaAiError, RELEVANT_EVENT_TYPES, type PostEvent } from '@media-ai/contracts';
import type { AdHocPost } from '../post-events.js';

const POST_TYPES = ['lost', 'found'] as const;

/** The post fields analyze takes beside the photos (JSON body or multipart fields). */
export type AnalyzeFields = Pick<AdHocPost, 'title' | 'description' | 'type'>;

function badRequest(message: string): MediaAiError {
  return new MediaAiError('MEDIA_AI_BAD_REQUEST', message);
}

export function checkPhotoCount(count: number, maxPhotos: number): void {
  if (count > maxPhotos) {
    throw new MediaAiError('MEDIA_AI_TOO_MANY_PHOTOS', `A post has at most ${maxPhotos} photos; this one has ${count}`);
  }
}

export function refuseUploadUrls(urls: readonly string[]): void {
  if (urls.some(isUploadUrl)) throw new MediaAiError('MEDIA_AI_UPLOAD_REFUSED');
}

/** title, description and post_type as given, or a 400 naming the field. */
export function readAnalyzeFields(body: Record<string, unknown>): AnalyzeFields {
  const fields: AnalyzeFields = {};
  for (const name of ['title', 'description'] as const) {
    const value = body[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw badRequest(`${name} must be a string`);
    fields[name] = value;
  }
  const type = body['post_type'];
  if (type !== undefined) {
    if (!POST_TYPES.includes(type as (typeof POST_TYPES)[number])) throw badRequest(`post_type must be one of ${POST_TYPES.join(', ')}`);
    fields.type = type as (typeof POST_TYPES)[number];
  }
  return fields;
}

/** The JSON form of analyze: `{ photo_urls, title?, description?, post_type? }`. */
export function readAnalyzeJson(body: unknown, maxPhotos: number): AnalyzeFields & { photoUrls: string[] } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('The body must be a JSON object');
  const object = body as Record<string, unknown>;
  const urls = object['photo_urls'];
  if (!Array.isArray(urls) || urls.length === 0 || urls.some((u) => typeof u !== 'string' || u.trim().length === 0)) {
    throw badRequest('photo_urls must be a non-empty array of URLs');
  }
  checkPhotoCount(urls.length, maxPhotos);
  refuseUploadUrls(urls as string[]);
  return { photoUrls: urls as string[], ...readAnalyzeFields(object) };
}

/** A posts.events record the REST API accepts: a type media-ai handles, photos within the cap, no uploads. */
export function checkAcceptedEvent(event: PostEvent, maxPhotos: number): void {
  if (!isRelevantEventType(event.eventType)) {
    throw new MediaAiError(
      'MEDIA_AI_UNSUPPORTED_EVENT_TYPE',
      `event_type ${JSON.stringify(event.eventType.slice(0, 64))} is not handled; expected one of ${RELEVANT_EVENT_TYPES.join(', ')}`,
    );
  }
  checkPhotoCount(event.post.photos.length, maxPhotos);
  refuseUploadUrls([...event.post.photos, ...(event.photo ? [event.photo] : [])].map((p) => p.url));
}
