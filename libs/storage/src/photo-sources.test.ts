import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaAiError } from '@media-ai/contracts';
import { createPhotoSources, type PhotoDownloadEvent } from './photo-sources.js';
import { startGcsStandIn, type GcsStandIn } from './test-support/gcs-stand-in.js';

const PHOTO = Buffer.alloc(3_000, 5);

let gcs: GcsStandIn;
let photoUrl: string;
beforeAll(async () => {
  gcs = await startGcsStandIn();
  gcs.put('findly-posts-dev', 'a.jpg', PHOTO);
  const dir = await mkdtemp(join(tmpdir(), 'sources-'));
  await writeFile(join(dir, 'a.jpg'), PHOTO);
  photoUrl = pathToFileURL(join(dir, 'a.jpg')).href;
});
afterAll(() => gcs.close());

function sources(events: PhotoDownloadEvent[], onDownload: (e: PhotoDownloadEvent) => void = (e) => events.push(e)) {
  return createPhotoSources({
    maxBytes: 2_000_000,
    https: false,
    gcs: { apiEndpoint: gcs.endpoint, timeoutMs: 5_000 },
    file: {},
    onDownload,
  });
}

describe('createPhotoSources onDownload', () => {
  it('reports each download with its source, duration and outcome', async () => {
    const events: PhotoDownloadEvent[] = [];
    const photos = sources(events);
    // The stand-in holds the answer for a moment, so the duration has something to measure.
    gcs.beforeHandle = () => {
      const until = Date.now() + 30;
      while (Date.now() < until) {
        /* busy-wait: the stand-in answers late */
      }
    };
    try {
      await photos.fetch('gs://findly-posts-dev/a.jpg');
    } finally {
      gcs.beforeHandle = undefined;
    }
    await photos.fetch(photoUrl);
    expect(events).toEqual([
      { source: 'gcs', durationMs: expect.any(Number), outcome: 'ok', bytes: PHOTO.length },
      { source: 'file', durationMs: expect.any(Number), outcome: 'ok', bytes: PHOTO.length },
    ]);
    expect(events[0]?.durationMs).toBeGreaterThanOrEqual(50);
  });

  it('reports failures with their catalogue code and still throws them', async () => {
    const events: PhotoDownloadEvent[] = [];
    const error = await sources(events)
      .fetch('gs://findly-posts-dev/missing.jpg')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaAiError);
    expect(events).toEqual([{ source: 'gcs', durationMs: expect.any(Number), outcome: 'error', code: 'MEDIA_AI_PHOTO_NOT_FOUND' }]);
  });

  it('reports nothing for a URL no source accepts (nothing was downloaded)', async () => {
    const events: PhotoDownloadEvent[] = [];
    await expect(sources(events).fetch('ftp://example.test/a.jpg')).rejects.toMatchObject({ code: 'MEDIA_AI_PHOTO_URL_INVALID' });
    expect(events).toEqual([]);
  });

  it('never lets a throwing hook fail a good download', async () => {
    const photo = await sources([], () => {
      throw new Error('metrics broke');
    }).fetch(photoUrl);
    expect(photo.bytes.equals(PHOTO)).toBe(true);
  });
});
