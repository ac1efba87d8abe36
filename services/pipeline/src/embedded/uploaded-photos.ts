/**
 * Photos uploaded to the REST API, held in memory until the fetcher reads them through the
 * `upload://<id>` scheme, so an upload takes the same path as any photo URL (type check by magic
 * bytes, normalisation, metadata stripped) without opening file:// to the API.
 *
 * An upload belongs to the post of the request that uploaded it: its id is random (unguessable),
 * an event naming it for any other post is refused (assertHeldFor), and the fetcher's read consumes
 * it, so a URL seen once is worth nothing after. The request releases whatever was not read when it
 * ends. Bounded by bytes and by count (a flood of tiny uploads must not grow the map either): past
 * either bound the oldest uploads are dropped first, and their fetch answers MEDIA_AI_PHOTO_NOT_FOUND.
 * Must never hand the same bytes out twice, nor to an event of another post.
 */
import { randomUUID } from 'node:crypto';
import { isUploadUrl, MediaAiError, UPLOAD_URL_SCHEME } from '@media-ai/contracts';
import type { FetchedPhoto, PhotoSource } from '@media-ai/storage';

const PREFIX = `${UPLOAD_URL_SCHEME}//`;

interface HeldUpload extends FetchedPhoto {
  postId: string;
}

export interface UploadedPhotosBounds {
  /** Bytes held at most (default 256 MiB). */
  maxHeldBytes?: number;
  /** Uploads held at most (default 1,000): each is read within one request, so more means abandoned ones. */
  maxHeldCount?: number;
}

export class UploadedPhotos {
  private readonly photos = new Map<string, HeldUpload>();
  private heldBytes = 0;
  private readonly maxHeldBytes: number;
  private readonly maxHeldCount: number;

  constructor(bounds: UploadedPhotosBounds = {}) {
    this.maxHeldBytes = bounds.maxHeldBytes ?? 256 * 1024 * 1024;
    this.maxHeldCount = bounds.maxHeldCount ?? 1_000;
  }

  /** Keeps the bytes for the post's event and returns the URL the fetcher will read them from, once. */
  add(postId: string, bytes: Buffer, declaredType?: string): string {
    const id = randomUUID();
    this.photos.set(id, { postId, bytes, declaredType });
    this.heldBytes += bytes.length;
    for (const oldest of this.photos.keys()) {
      if ((this.heldBytes <= this.maxHeldBytes && this.photos.size <= this.maxHeldCount) || oldest === id) break;
      this.drop(oldest);
    }
    return `${PREFIX}${id}`;
  }

  /** Refuses (MEDIA_AI_UPLOAD_REFUSED) any upload URL among `urls` that is not held for this post. */
  assertHeldFor(postId: string, urls: readonly string[]): void {
    for (const url of urls) {
      if (!isUploadUrl(url)) continue;
      const held = url.startsWith(PREFIX) ? this.photos.get(url.slice(PREFIX.length)) : undefined;
      if (held?.postId !== postId) throw new MediaAiError('MEDIA_AI_UPLOAD_REFUSED');
    }
  }

  /** Forgets every upload of the post that the fetcher has not read (the request is over). */
  release(postId: string): void {
    for (const [id, photo] of this.photos) if (photo.postId === postId) this.drop(id);
  }

  /** Wraps another source: upload:// URLs are answered here (and consumed), everything else goes through. */
  sourceBefore(next: PhotoSource): PhotoSource {
    return {
      fetch: async (url, signal) => {
        if (!url.startsWith(PREFIX)) return next.fetch(url, signal);
        const id = url.slice(PREFIX.length);
        const photo = this.photos.get(id);
        if (!photo) throw new MediaAiError('MEDIA_AI_PHOTO_NOT_FOUND', 'The uploaded photo is no longer held (an upload is read once)');
        this.drop(id);
        return { bytes: photo.bytes, declaredType: photo.declaredType };
      },
    };
  }

  /** Uploads held now, not yet read nor released. */
  get size(): number {
    return this.photos.size;
  }

  /** Bytes of the uploads held now. */
  get bytes(): number {
    return this.heldBytes;
  }

  private drop(id: string): void {
    const photo = this.photos.get(id);
    if (!photo) return;
    this.photos.delete(id);
    this.heldBytes -= photo.bytes.length;
  }
}
