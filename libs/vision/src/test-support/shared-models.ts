// Test helpers: resolve the real models from ../shared/models through the real ModelManager, into a
// throw-away cache dir (the model files are never copied into the repository).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelManager } from '../models/model-manager.js';

export const SHARED_MODELS = fileURLToPath(new URL('../../../../../shared/models/', import.meta.url));
export const SHARED_PHOTOS = fileURLToPath(new URL('../../../../../shared/photos/', import.meta.url));

export async function sharedModelManager(): Promise<{ models: ModelManager; cleanup: () => Promise<void> }> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'media-ai-vision-test-'));
  const models = new ModelManager({ cacheDir, source: SHARED_MODELS, downloadTimeoutMs: 5000, allowUpstream: false });
  return { models, cleanup: () => rm(cacheDir, { recursive: true, force: true }) };
}
