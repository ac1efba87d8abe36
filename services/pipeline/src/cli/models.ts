/**
 * `media-ai models`: resolves every model of the manifest into AI_MODEL_CACHE_DIR (cache, then
 * AI_MODEL_SOURCE, then upstream) and verifies each sha256 — what a Kubernetes init container runs
 * so pods start warm and never download at request time. Exits 1 if any model is missing.
 */
import { modelManagerFromConfig } from '@media-ai/detector-service';
import { MODEL_MANIFEST, type ModelName } from '@media-ai/vision';
import type { Runtime } from '@media-ai/runtime';

export async function pullModels({ config }: Runtime): Promise<number> {
  const manager = modelManagerFromConfig(config);
  let failures = 0;
  for (const name of Object.keys(MODEL_MANIFEST) as ModelName[]) {
    try {
      const resolved = await manager.resolveModel(name);
      process.stdout.write(`ok       ${name} ${resolved.spec.version} (${resolved.spec.licence}) -> ${resolved.modelPath}\n`);
    } catch (error) {
      failures += 1;
      process.stdout.write(`missing  ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  return failures === 0 ? 0 : 1;
}
