/**
 * Photos uploaded to the REST API, held in memory until the fetcher reads them through the
 * `upload://<id>` scheme, so an upload takes the same path as any photo URL (type check by magic
 * bytes, normalisation, metadata stripped) without opening file:// to the API. Bounded: the oldest
 * uploads are dropped first, and each is read at most once per revision window. A deleted or resolved
 * post's uploads are dropped at once (see EnrichmentObserver).
 */
import { randomUUID } from 'node:crypto';
import { MediaAiError } from '@media-ai/contracts';
import type { FetchedPhoto, PhotoSource } from '@media-ai/storage';

export const UPLOAD_SCHEME = 'upload:';

export class UploadedPhotos {
  private readonly photos = new Map<string, FetchedPhoto>();
  private heldBytes = 0;

  constructor(private readonly maxHeldBytes = 256 * 1024 * 1024) {}

  /** Keeps the bytes and returns the URL the fetcher will read them from. */
  add(bytes: Buffer, declaredType?: string): string {
    const id = randomUUID();
    this.photos.set(id, { bytes, declaredType });
    this.heldBytes += bytes.length;
    for (const [oldest, photo] of this.photos) {
      if (this.heldBytes <= this.maxHeldBytes || oldest === id) break;
      this.photos.delete(oldest);
      this.heldBytes -= photo.bytes.length;
    }
    return `upload://${id}`;
  }

  /** Drops an upload (its post was forgotten); an unknown URL is ignored. */
  drop(url: string): void {
    const id = url.slice(`${UPLOAD_SCHEME}//`.length);
    const photo = url.startsWith(`${UPLOAD_SCHEME}//`) ? this.photos.get(id) : undefined;
    if (!photo) return;
    this.photos.delete(id);
    this.heldBytes -= photo.bytes.length;
  }

  /** Uploads held now. */
  get size(): number {
    return this.photos.size;
  }

  /** Wraps another source: upload:// URLs are answered here, everything else goes through. */
  sourceBefore(next: PhotoSource): PhotoSource {
    return {
      fetch: async (url, signal) => {
        if (!url.startsWith(`${UPLOAD_SCHEME}//`)) return next.fetch(url, signal);
        const photo = this.photos.get(url.slice(`${UPLOAD_SCHEME}//`.length));
        if (!photo) throw new MediaAiError('MEDIA_AI_PHOTO_NOT_FOUND', 'The uploaded photo is no longer held');
        return photo;
      },
    };
  }
}
