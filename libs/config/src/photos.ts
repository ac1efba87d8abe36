/**
 * What photos the fetcher accepts and how it treats them (MAX_IMAGE_SIZE, ALLOWED_IMAGE_TYPES,
 * STRIP_EXIF_DATA, MAX_IMAGE_PIXELS, PHOTO_URL_ALLOWED_HOSTS, PHOTO_URL_ALLOW_LOOPBACK, ALLOW_FILE_URLS),
 * and how many a post may have (MEDIA_AI_MAX_PHOTOS_PER_POST).
 * Must never default to a looser policy outside development: file:// URLs are off in staging and
 * production unless switched on explicitly, and loopback photo URLs are never allowed in production.
 */
import { z } from 'zod';
import type { Environment } from './app.js';
import { boolean, crossFieldIssue, integer, list } from './env-fields.js';

export interface PhotoSettings {
  /** Bytes, as downloaded. */
  maxImageBytes: number;
  allowedImageTypes: string[];
  /** Always true: STRIP_EXIF_DATA=false is refused at start-up. */
  stripExif: true;
  /** Decoded width × height; guards against decompression bombs small in bytes. */
  maxImagePixels: number;
  /** Hosts https:// photo URLs may name (exact or `*.suffix`); empty leaves it to the source's own guards. */
  urlAllowedHosts: string[];
  allowFileUrls: boolean;
  /** PHOTO_URL_ALLOW_LOOPBACK: let the SSRF guard accept 127.0.0.0/8 and ::1 (tests, development). */
  urlAllowLoopback: boolean;
  /** Photos one post (or one analyze request) may carry; the platform's limit by default. */
  maxPhotosPerPost: number;
}

/** The platform lets a post have 1 to 10 photos. */
const PLATFORM_MAX_PHOTOS = 10;

const MIME_TYPE = /^image\/[a-z0-9.+-]+$/i;
const HOST_PATTERN = /^(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/i;

export function photosSchema(context: { environment: Environment }) {
  return z
    .object({
      MAX_IMAGE_SIZE: integer(1, 1024 * 1024 * 1024),
      ALLOWED_IMAGE_TYPES: list('image MIME types (image/...)', (t) => MIME_TYPE.test(t)),
      STRIP_EXIF_DATA: boolean(),
      MAX_IMAGE_PIXELS: integer(1, 1_000_000_000),
      PHOTO_URL_ALLOWED_HOSTS: list('host names', (h) => HOST_PATTERN.test(h)),
      ALLOW_FILE_URLS: boolean(),
      PHOTO_URL_ALLOW_LOOPBACK: boolean(),
      MEDIA_AI_MAX_PHOTOS_PER_POST: integer(1, 1000),
    })
    .superRefine((env, ctx) => {
      // The normalized photo may reach a third party (the vision API): its GPS position must never
      // travel with it, so turning stripping off is refused rather than silently ignored.
      if (env.STRIP_EXIF_DATA === false) {
        crossFieldIssue(ctx, 'STRIP_EXIF_DATA', 'expected true: metadata (EXIF, GPS) is always stripped from normalized photos, got false');
      }
      // A photo URL naming 127.0.0.1 would reach the service's own admin ports and sidecars.
      if (env.PHOTO_URL_ALLOW_LOOPBACK === true && context.environment === 'production') {
        crossFieldIssue(
          ctx,
          'PHOTO_URL_ALLOW_LOOPBACK',
          'expected false in production: loopback photo URLs are for tests and development, got true',
        );
      }
    })
    .transform((env): PhotoSettings => ({
      maxImageBytes: env.MAX_IMAGE_SIZE ?? 10_485_760,
      allowedImageTypes: (env.ALLOWED_IMAGE_TYPES ?? ['image/jpeg', 'image/png', 'image/webp']).map((t) => t.toLowerCase()),
      stripExif: true,
      maxImagePixels: env.MAX_IMAGE_PIXELS ?? 50_000_000,
      urlAllowedHosts: (env.PHOTO_URL_ALLOWED_HOSTS ?? []).map((h) => h.toLowerCase()),
      allowFileUrls: env.ALLOW_FILE_URLS ?? context.environment === 'development',
      urlAllowLoopback: env.PHOTO_URL_ALLOW_LOOPBACK ?? false,
      maxPhotosPerPost: env.MEDIA_AI_MAX_PHOTOS_PER_POST ?? PLATFORM_MAX_PHOTOS,
    }));
}
