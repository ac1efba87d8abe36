import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@media-ai/config';
import { startGcsStandIn, type GcsStandIn } from '@media-ai/storage/test-support';
import { createLogger } from '@media-ai/telemetry';
import { buildBlobStorage } from './blob-storage.js';

const logger = createLogger({ service: 'test', level: 'silent' });
const SHA = 'ab'.repeat(32);

let gcs: GcsStandIn;
beforeAll(async () => {
  gcs = await startGcsStandIn();
});
afterAll(() => gcs.close());

describe('buildBlobStorage', () => {
  it('keeps normalized photos under the configured bucket prefix when MEDIA_AI_BLOB_STORE=gcs', async () => {
    const config = loadConfig({
      MEDIA_AI_BLOB_STORE: 'gcs',
      GCS_BUCKET_NAME: 'findly-media',
      MEDIA_AI_BLOB_PREFIX: 'media-ai/normalized/',
      GCS_API_ENDPOINT: gcs.endpoint,
      MEDIA_AI_BLOB_SWEEP_INTERVAL_MINUTES: '0',
    });
    const { blobs, sweeper } = buildBlobStorage(config, logger);
    expect(sweeper).toBeNull();
    await blobs.put(SHA, Buffer.from('jpeg bytes'), 'image/jpeg');
    expect(gcs.names('findly-media')).toEqual([`media-ai/normalized/${SHA}`]);
    expect((await blobs.get(SHA)).toString()).toBe('jpeg bytes');
  });

  it('uses a local folder by default and sweeps it on an interval until stopped', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'blobs-'));
    const config = loadConfig({ MEDIA_AI_BLOB_DIR: dir, MEDIA_AI_BLOB_SWEEP_INTERVAL_MINUTES: '5' });
    const { blobs, sweeper } = buildBlobStorage(config, logger);
    expect(blobs.describe()).toContain(dir);
    expect(sweeper).not.toBeNull();
    await sweeper!.stop();
    await sweeper!.stop();
  });
});
