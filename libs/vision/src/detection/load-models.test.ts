import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelManager } from '../models/model-manager.js';
import { sharedModelManager } from '../test-support/shared-models.js';
import { loadDetectionModels, NANODET_MODEL_PATH } from './load-models.js';
import { NANODET_MODEL } from './nanodet-model.js';

describe('loadDetectionModels', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('opens every session when the models resolve: YOLOX first, then the package-local NanoDet', async () => {
    const { models, cleanup } = await sharedModelManager();
    cleanups.push(cleanup);
    const loaded = await loadDetectionModels({ models, intraOpNumThreads: 1, scoreThreshold: 0.25 });
    cleanups.unshift(async () => {
      for (const d of loaded.detectors) await d.close();
      await loaded.classifier?.close();
    });
    expect(loaded.unavailable).toEqual([]);
    // Each runs at its ensemble floor; the ensemble applies the solo thresholds (YOLOX's is the option).
    expect(loaded.detectors.map((d) => [d.name, d.family, d.scoreThreshold])).toEqual([
      ['yolox-nano', 'yolox', 0.15],
      ['nanodet-g', 'nanodet', 0.3],
    ]);
    expect(loaded.detector?.thresholds.map((m) => [m.name, m.soloThreshold])).toEqual([
      ['yolox-nano', 0.25],
      ['nanodet-g', 0.5],
    ]);
    expect(loaded.detector?.versions).toEqual({ 'yolox-nano': 'megvii/yolox-nano:0.1.1rc0+695e750a', 'nanodet-g': NANODET_MODEL.version });
    expect(loaded.classifier?.executionProvider).toBe('cpu');
  });

  it('leaves a capability null, with the reason, when its model cannot be resolved', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'media-ai-empty-'));
    cleanups.push(() => rm(cacheDir, { recursive: true, force: true }));
    const models = new ModelManager({ cacheDir, source: cacheDir, downloadTimeoutMs: 1000, allowUpstream: false });
    const loaded = await loadDetectionModels({ models });
    cleanups.unshift(async () => {
      for (const d of loaded.detectors) await d.close();
    });
    // NanoDet needs no model manager: it is built into the package.
    expect(loaded.detectors.map((d) => d.name)).toEqual(['nanodet-g']);
    expect(loaded.detector?.name).toBe('nanodet-g');
    expect(loaded.detector?.thresholds).toEqual([{ name: 'nanodet-g', soloThreshold: 0.3, agreeThreshold: 0.3 }]);
    expect(loaded.classifier).toBeNull();
    expect(loaded.unavailable.map((u) => u.model)).toEqual(['mobilenetv2-int8', 'yolox-nano']);
    expect(loaded.unavailable[0]!.reason).toMatch(/could not be resolved/);
    expect(models.status().every((s) => s.state === 'unavailable')).toBe(true);
  });

  it('lists a missing or altered NanoDet file as unavailable with the build command, never throws', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'media-ai-nanodet-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const models = new ModelManager({ cacheDir: dir, source: dir, downloadTimeoutMs: 1000, allowUpstream: false });
    const missing = await loadDetectionModels({ models, nanodetModelPath: join(dir, 'nanodet-g-416.onnx') });
    expect(missing.detectors).toEqual([]);
    expect(missing.detector).toBeNull();
    const reason = missing.unavailable.find((u) => u.model === 'nanodet-g')!.reason;
    expect(reason).toContain('npm run build:models -w @media-ai/vision');
    expect(reason).toContain('npm run build -w @media-ai/vision');

    await writeFile(join(dir, 'altered.onnx'), 'not the model');
    const altered = await loadDetectionModels({ models, nanodetModelPath: join(dir, 'altered.onnx') });
    expect(altered.unavailable.find((u) => u.model === 'nanodet-g')!.reason).toMatch(/sha256 .* not the pinned/);
  });

  it('runs only the detectors asked for (AI_DETECTOR_MODELS)', async () => {
    const { models, cleanup } = await sharedModelManager();
    cleanups.push(cleanup);
    const loaded = await loadDetectionModels({ models, intraOpNumThreads: 1, detectorModels: ['yolox-nano'] });
    cleanups.unshift(async () => {
      await loaded.detector?.close();
      await loaded.classifier?.close();
    });
    expect(loaded.detectors.map((d) => [d.name, d.scoreThreshold])).toEqual([['yolox-nano', 0.15]]);
    expect(loaded.detector?.thresholds).toEqual([{ name: 'yolox-nano', soloThreshold: 0.3, agreeThreshold: 0.3 }]);
  });

  it('finds the package-local NanoDet file where the build writes it', () => {
    expect(NANODET_MODEL_PATH).toBe(fileURLToPath(new URL('../../models/nanodet-g-416.onnx', import.meta.url)));
  });
});
