import { describe, expect, it } from 'vitest';
import { COCO80_LABELS, COCO_OUTLINES, cocoOutline } from './coco-labels.js';

describe('cocoOutline', () => {
  it('names the outline of COCO labels only, and says nothing of a label it does not know', () => {
    // A misspelt key would never match a detection: every key must be one of the detectors' labels.
    expect(Object.keys(COCO_OUTLINES).filter((label) => !COCO80_LABELS.includes(label))).toEqual([]);
    expect(cocoOutline('cell phone')).toBe('solid');
    expect(cocoOutline('bicycle')).toBe('open');
    expect(cocoOutline('person')).toBeNull();
    expect(cocoOutline('phone')).toBeNull();
  });
});
