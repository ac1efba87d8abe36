import { describe, expect, it } from 'vitest';
import type { DecodedImage } from './decoded-image.js';
import { DetectorEnsemble, ensembleFloor, ensembleMembers } from './detector-ensemble.js';
import type { DetectedObject } from './object-detector.js';

describe('ensemble thresholds', () => {
  it('uses the measured fusion thresholds when both detectors run, YOLOX solo from AI_DETECTOR_SCORE_THRESHOLD', () => {
    expect(ensembleMembers(['yolox-nano', 'nanodet-g'], 0.35)).toEqual([
      { name: 'yolox-nano', soloThreshold: 0.35, agreeThreshold: 0.15 },
      { name: 'nanodet-g', soloThreshold: 0.5, agreeThreshold: 0.3 },
    ]);
  });

  it('lets a detector that runs alone keep its own solo threshold (NanoDet 0.30 without a model mirror)', () => {
    expect(ensembleMembers(['nanodet-g'])).toEqual([{ name: 'nanodet-g', soloThreshold: 0.3, agreeThreshold: 0.3 }]);
    expect(ensembleMembers(['yolox-nano'], 0.25)).toEqual([{ name: 'yolox-nano', soloThreshold: 0.25, agreeThreshold: 0.25 }]);
  });

  it('runs each detector at the lowest score either setting can use', () => {
    expect(ensembleFloor('yolox-nano', 0.3)).toBe(0.15);
    expect(ensembleFloor('yolox-nano', 0.1)).toBe(0.1);
    expect(ensembleFloor('nanodet-g')).toBe(0.3);
  });
});

describe('DetectorEnsemble', () => {
  const image: DecodedImage = { data: Buffer.alloc(3), width: 1, height: 1 };
  // Two fixed answer sheets stand in for the sessions: the ensemble's job is the fusion per image.
  const detector = (name: string, perImage: DetectedObject[][]) => ({
    name,
    version: `${name}@1`,
    detect: async (images: DecodedImage[]) => images.map((_, i) => perImage[i] ?? []),
  });
  const box = { x: 0.1, y: 0.1, width: 0.5, height: 0.5 };

  it('fuses per image, in input order, and names every member in versions', async () => {
    const ensemble = new DetectorEnsemble([
      detector('yolox-nano', [[{ label: 'cup', confidence: 0.2, box }], []]),
      detector('nanodet-g', [[{ label: 'cup', confidence: 0.35, box }], [{ label: 'dog', confidence: 0.45, box }]]),
    ]);
    expect(ensemble.versions).toEqual({ 'yolox-nano': 'yolox-nano@1', 'nanodet-g': 'nanodet-g@1' });
    expect(ensemble.name).toBe('yolox-nano+nanodet-g');
    const [first, second] = await ensemble.detect([image, image]);
    expect(first!.map((o) => [o.label, o.models])).toEqual([['cup', ['yolox-nano', 'nanodet-g']]]);
    // NanoDet alone at 0.45 is under its ensemble solo threshold (0.50).
    expect(second).toEqual([]);
  });
});
