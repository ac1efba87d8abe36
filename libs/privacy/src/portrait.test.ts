import { describe, expect, it } from 'vitest';
import { hasPrintedPortrait, type RelativeBox } from './portrait.js';

const box = (x: number, y: number, width: number, height: number): RelativeBox => ({ x, y, width, height });

// An ID-1 card (85.6 x 54 mm) photographed to fill most of a landscape frame: the portrait on the
// left (about 25 x 32 mm, the face forehead to chin some 60 % of it), the fields to its right.
const cardFace = box(0.1, 0.3, 0.16, 0.3);
const cardFields = [box(0.38, 0.25, 0.3, 0.05), box(0.38, 0.34, 0.25, 0.05), box(0.38, 0.43, 0.2, 0.05), box(0.38, 0.52, 0.32, 0.05)];

describe('hasPrintedPortrait', () => {
  it('takes a card-sized face with its fields beside it for a printed portrait', () => {
    expect(hasPrintedPortrait({ faces: [cardFace], lines: cardFields })).toBe(true);
  });

  it('takes a badge photo with its name and number under it for one too', () => {
    // A portrait-format badge: the photo centred at the top, name, role and number under it.
    const face = box(0.4, 0.25, 0.2, 0.15);
    const lines = [box(0.3, 0.55, 0.4, 0.06), box(0.33, 0.63, 0.34, 0.05), box(0.36, 0.7, 0.28, 0.05)];
    expect(hasPrintedPortrait({ faces: [face], lines })).toBe(true);
  });

  it('does not take a person photographed for one: the face fills much of the frame', () => {
    // A selfie in front of a shop sign: the face is a third of the frame, the sign's lines beside it.
    const face = box(0.3, 0.2, 0.4, 0.55);
    const lines = [box(0.75, 0.3, 0.2, 0.05), box(0.75, 0.4, 0.2, 0.05)];
    expect(hasPrintedPortrait({ faces: [face], lines })).toBe(false);
  });

  it('needs two small lines near the face: one line, or lines as tall as the face, are not a card', () => {
    expect(hasPrintedPortrait({ faces: [cardFace], lines: cardFields.slice(0, 1) })).toBe(false);
    // A poster: a face beside headline lines as tall as half the face and more.
    const headlines = [box(0.38, 0.3, 0.5, 0.2), box(0.38, 0.52, 0.5, 0.2)];
    expect(hasPrintedPortrait({ faces: [cardFace], lines: headlines })).toBe(false);
  });

  it('does not count lines far above or below the face band, or overlapping it', () => {
    const far = [box(0.38, 0.0, 0.3, 0.02), box(0.38, 0.97, 0.3, 0.02)];
    expect(hasPrintedPortrait({ faces: [box(0.1, 0.4, 0.1, 0.1)], lines: far })).toBe(false);
    const across = [box(0.05, 0.35, 0.5, 0.05), box(0.05, 0.45, 0.5, 0.05)];
    expect(hasPrintedPortrait({ faces: [cardFace], lines: across })).toBe(false);
  });

  it('does not take a person standing far across the photo from a small sign for a portrait (privacy-rules-7)', () => {
    // A full-body photo in portrait orientation: a small face at the left edge, a small opening-hours
    // sign at the right edge in its band, more than two face-widths away.
    const face = box(0.08, 0.2, 0.08, 0.06);
    const sign = [box(0.7, 0.2, 0.2, 0.02), box(0.7, 0.24, 0.2, 0.02), box(0.7, 0.28, 0.2, 0.02)];
    expect(hasPrintedPortrait({ faces: [face], lines: sign })).toBe(false);
    // The same sign moved next to the face reads as a card's fields.
    const beside = sign.map((l) => box(0.2, l.y, l.width, l.height));
    expect(hasPrintedPortrait({ faces: [face], lines: beside })).toBe(true);
    // A card with its portrait on the right: the fields to its left, ending close to it.
    const right = box(0.7, 0.3, 0.16, 0.3);
    const left = cardFields.map((l) => box(0.36, l.y, l.width, l.height));
    expect(hasPrintedPortrait({ faces: [right], lines: left })).toBe(true);
  });

  it('answers false, never throws, on no faces or broken boxes', () => {
    expect(hasPrintedPortrait({ faces: [], lines: cardFields })).toBe(false);
    const broken = [box(Number.NaN, 0.3, 0.16, 0.3), box(0.1, 0.3, -1, 0.3)];
    expect(hasPrintedPortrait({ faces: broken, lines: cardFields })).toBe(false);
    expect(hasPrintedPortrait({ faces: null, lines: null } as never)).toBe(false);
  });
});
