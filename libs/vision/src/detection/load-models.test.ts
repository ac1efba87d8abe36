import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelManager } from '../models/model-manager.js';
import { sharedModelManager } from '../test-support/shared-models.js';
import { loadDetectionModels } from './load-models.js';

describe('loadDetectionModels', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('opens both sessions when both models resolve', async () => {
    const { models, cleanup } = await sharedModelManager();
    cleanups.push(cleanup);
    const loaded = await loadDetectionModels({ models, intraOpNumThreads: 1 });
    cleanups.unshift(async () => {
      await loaded.detector?.close();
      await loaded.classifier?.close();
    });
    expect(loaded.unavailable).toEqual([]);
    expect(loaded.detector?.version).toBe('megvii/yolox-nano:0.1.1rc0+695e750a');
    expect(loaded.classifier?.executionProvider).toBe('cpu');
  });

  it('leaves a capability null, with the reason, when its model cannot be resolved', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'media-ai-empty-'));
    cleanups.push(() => rm(cacheDir, { recursive: true, force: true }));
    const models = new ModelManager({ cacheDir, source: cacheDir, downloadTimeoutMs: 1000, allowUpstream: false });
    const loaded = await loadDetectionModels({ models });
    expect(loaded.detector).toBeNull();
    expect(loaded.classifier).toBeNull();
    expect(loaded.unavailable.map((u) => u.model).sort()).toEqual(['mobilenetv2-int8', 'yolox-nano']);
    expect(loaded.unavailable[0]!.reason).toMatch(/could not be resolved/);
    expect(models.status().every((s) => s.state === 'unavailable')).toBe(true);
  });
});
