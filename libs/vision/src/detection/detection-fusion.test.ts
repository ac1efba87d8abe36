import { describe, expect, it } from 'vitest';
import { boxIou, fuseDetections, type EnsembleMember } from './detection-fusion.js';
import type { DetectedObject } from './object-detector.js';

const yolox: EnsembleMember = { name: 'yolox-nano', soloThreshold: 0.3, agreeThreshold: 0.2 };
const nanodet: EnsembleMember = { name: 'nanodet-g', soloThreshold: 0.45, agreeThreshold: 0.3 };
const obj = (label: string, confidence: number, x = 0.1, y = 0.1, width = 0.4, height = 0.4): DetectedObject => ({
  label,
  confidence,
  box: { x, y, width, height },
});

describe('fuseDetections', () => {
  it('makes one object of overlapping boxes with the same label from two models, more confident than either (damped)', () => {
    const fused = fuseDetections([
      { member: yolox, objects: [obj('cup', 0.25, 0.1, 0.1, 0.4, 0.4)] },
      { member: nanodet, objects: [obj('cup', 0.4, 0.12, 0.1, 0.4, 0.42)] },
    ]);
    expect(fused).toHaveLength(1);
    expect(fused[0]!.models).toEqual(['yolox-nano', 'nanodet-g']);
    // The strongest (0.4) counts fully; the other closes AGREEMENT_WEIGHT x 0.25 of the remaining doubt.
    expect(fused[0]!.confidence).toBeCloseTo(1 - 0.6 * (1 - 0.6 * 0.25));
    // Confidence-weighted: nearer the surer model's box.
    expect(fused[0]!.box.x).toBeCloseTo((0.1 * 0.25 + 0.12 * 0.4) / 0.65);
    expect(fused[0]!.box.x + fused[0]!.box.width).toBeCloseTo((0.5 * 0.25 + 0.52 * 0.4) / 0.65);
  });

  it('keeps a box one model alone reports only from that model’s solo threshold up', () => {
    const fused = fuseDetections([
      { member: yolox, objects: [obj('laptop', 0.31), obj('airplane', 0.25, 0.6, 0.6, 0.2, 0.2)] },
      { member: nanodet, objects: [obj('dog', 0.44, 0.5, 0, 0.3, 0.3), obj('person', 0.5, 0, 0.5, 0.2, 0.4)] },
    ]);
    expect(fused.map((f) => [f.label, f.models])).toEqual([
      ['person', ['nanodet-g']],
      ['laptop', ['yolox-nano']],
    ]);
  });

  it('never merges different labels, boxes that do not overlap, or two boxes of one model', () => {
    const fused = fuseDetections([
      { member: yolox, objects: [obj('cup', 0.6), obj('cup', 0.5, 0.12, 0.12), obj('dining table', 0.6)] },
      { member: nanodet, objects: [obj('cup', 0.6, 0.7, 0.7, 0.2, 0.2)] },
    ]);
    expect(fused.map((f) => [f.label, f.models.length])).toEqual([
      ['cup', 1],
      ['dining table', 1],
      ['cup', 1],
      ['cup', 1],
    ]);
  });

  it('drops what is under every agree threshold even when the models agree, and caps agreement below certainty', () => {
    expect(
      fuseDetections([
        { member: yolox, objects: [obj('cup', 0.15)] },
        { member: nanodet, objects: [obj('cup', 0.29)] },
      ]),
    ).toEqual([]);
    const sure = fuseDetections([
      { member: yolox, objects: [obj('cup', 0.98)] },
      { member: nanodet, objects: [obj('cup', 0.97)] },
    ]);
    expect(sure[0]!.confidence).toBe(0.99);
  });

  it('measures overlap as intersection over union', () => {
    expect(boxIou({ x: 0, y: 0, width: 1, height: 1 }, { x: 0.5, y: 0, width: 1, height: 1 })).toBeCloseTo(1 / 3);
    expect(boxIou({ x: 0, y: 0, width: 0.1, height: 0.1 }, { x: 0.5, y: 0.5, width: 0.1, height: 0.1 })).toBe(0);
  });
});
