import { describe, expect, it } from 'vitest';
import { readUpsideDown, type PositionedLine } from './reading-order.js';
import { redactPersonalData } from './redact.js';

/** A line of words laid left to right (upright) or right to left (a crop the reader turned 180 degrees). */
function line(words: string[], turned: boolean): PositionedLine & { text: string } {
  const boxes = words.map((_, i) => ({ x: 0.2 + (turned ? words.length - 1 - i : i) * 0.1, width: 0.08, height: 0.02 }));
  return { text: words.join(' '), box: { x: 0.2, width: words.length * 0.1, height: 0.02 }, words: boxes.map((box) => ({ box })) };
}

// A passport as it prints, top to bottom; the place of birth is its last field.
const PASSPORT = [
  'PASAPORTE KINGDOM OF SPAIN',
  'Type P',
  'Code ESP',
  'Passport No. VFU231088',
  'Surname',
  'CUELLAR REYES',
  'Given Names',
  'CARLOTA',
  'Date of birth',
  '23 JUL 1943',
  'Place of birth',
  'SAN ANDRES Y SAUCES',
];

/** The passport photographed upside down: the reader's lines come top to bottom of the image, i.e. last first, each turned. */
function upsideDownReading(): { rotation: number; lines: (PositionedLine & { text: string })[] } {
  const lines = [...PASSPORT].reverse().map((text) => line(text.split(' '), true));
  return { rotation: 0, lines };
}

describe('readUpsideDown', () => {
  it('calls a reading whose multi-word lines run right to left upside down', () => {
    expect(readUpsideDown(upsideDownReading())).toBe(true);
  });

  it('leaves an upright reading, a page of one-word lines and a page the reader turned sideways alone', () => {
    const upright = PASSPORT.map((text) => line(text.split(' '), false));
    expect(readUpsideDown({ rotation: 0, lines: upright })).toBe(false);
    const oneWord = ['CARLOTA', 'Surname', 'CUELLAR'].map((t) => line([t], true));
    expect(readUpsideDown({ rotation: 0, lines: oneWord })).toBe(false);
    expect(readUpsideDown({ ...upsideDownReading(), rotation: 90 })).toBe(false);
  });

  it('needs a majority: one turned line among upright ones is not an upside-down page', () => {
    const lines = PASSPORT.map((text, i) => line(text.split(' '), i === 3));
    expect(readUpsideDown({ rotation: 0, lines })).toBe(false);
  });
});

describe('redactPersonalData on an upside-down reading', () => {
  it('walks the lines in the order the document prints them, so the place of birth follows its label', () => {
    const reading = upsideDownReading();
    const text = reading.lines.map((l) => l.text).join('\n');
    const out = redactPersonalData(text, { upsideDown: readUpsideDown(reading) }).text;
    expect(out.split('\n')).toHaveLength(PASSPORT.length);
    // The output keeps the caller's order: the image's first line is the place of birth.
    expect(out.split('\n')[0]).toBe('[PLACE]');
    for (const value of ['SAN', 'ANDRES', 'SAUCES', 'CARLOTA', 'CUELLAR', 'VFU231088', '1943']) expect(out).not.toContain(value);
    expect(out).toContain('Place of birth');
    expect(out).toContain('PASAPORTE KINGDOM OF SPAIN');
  });
});
