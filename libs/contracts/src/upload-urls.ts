/**
 * Photos uploaded to the REST API travel through the pipeline as `upload://<id>` URLs: a single-use
 * reference to bytes only the process that took the upload holds, valid only for the post of the
 * request that uploaded them. Such a URL is never published: post.enhanced and processing.error
 * name an uploaded photo `urn:media-ai:upload:<photo id>`, a name that fetches nothing.
 * Must never decide access itself (the holder of the bytes does); this module only says what is an
 * upload URL and how it is published.
 */

export const UPLOAD_URL_SCHEME = 'upload:';

/** Whether a photo URL names an upload (schemes are case-insensitive; spaces around it do not hide it). */
export function isUploadUrl(url: string): boolean {
  return url.trimStart().toLowerCase().startsWith(UPLOAD_URL_SCHEME);
}

/** The photo's URL as published: an upload becomes an inert name, anything else stays as it is. */
export function publishedPhotoUrl(url: string, photoId: string): string {
  return isUploadUrl(url) ? `urn:media-ai:upload:${photoId}` : url;
}
