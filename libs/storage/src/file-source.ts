/**
 * file:// photos for the embedded/dev mode and tests. Off unless configured; when a root folder is
 * given, only files under it (after resolving symlinks) can be read. Must never be enabled in a
 * networked deployment: a file URL in an event would otherwise read the service's own disk.
 */
import { open, realpath } from 'node:fs/promises';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MediaAiError } from '@media-ai/contracts';
import { readLimited, tooLarge } from './limited-read.js';
import { parsePhotoUrl, type RoutedPhotoSource } from './photo-source.js';

export interface FileSourceOptions {
  maxBytes: number;
  /** Only files under this folder may be read. Undefined: any readable file (dev only). */
  root?: string;
}

export function createFilePhotoSource(options: FileSourceOptions): RoutedPhotoSource {
  const rootPromise = options.root === undefined ? undefined : realpath(options.root);
  return {
    kind: 'file',
    accepts: (url) => url.protocol === 'file:',
    async fetch(rawUrl, signal) {
      const url = parsePhotoUrl(rawUrl);
      let path: string;
      try {
        path = fileURLToPath(url);
      } catch (error) {
        throw new MediaAiError('MEDIA_AI_PHOTO_URL_INVALID', 'The file URL is not a local path', { cause: error });
      }
      let real: string;
      try {
        real = await realpath(path);
      } catch (error) {
        throw new MediaAiError('MEDIA_AI_PHOTO_NOT_FOUND', undefined, { cause: error });
      }
      if (rootPromise) {
        const root = await rootPromise;
        if (real !== root && !real.startsWith(root + sep)) {
          throw new MediaAiError('MEDIA_AI_PHOTO_SOURCE_FORBIDDEN', 'The file is outside the allowed photo folder');
        }
      }
      const handle = await open(real, 'r').catch((error: unknown) => {
        throw new MediaAiError('MEDIA_AI_PHOTO_NOT_FOUND', undefined, { cause: error });
      });
      try {
        const stats = await handle.stat();
        if (!stats.isFile()) throw new MediaAiError('MEDIA_AI_PHOTO_NOT_FOUND', 'The file URL does not name a regular file');
        if (stats.size > options.maxBytes) throw tooLarge(options.maxBytes, stats.size);
        // A stream created with an already-aborted signal emits its AbortError after the reader has
        // stopped listening, and Node ends the process on it (a stage stopping mid-download did).
        signal?.throwIfAborted();
        // Still counted while reading: the file may grow between stat and read.
        const bytes = await readLimited(handle.createReadStream({ autoClose: false, signal }), options.maxBytes);
        return { bytes };
      } finally {
        await handle.close();
      }
    },
  };
}
