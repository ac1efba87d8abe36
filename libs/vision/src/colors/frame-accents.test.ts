import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { rgbToLab } from './color-space.js';
import { dominantColors } from './dominant-colors.js';
import { frameAccents } from './frame-accents.js';

const W = 96;
const H = 64;

/** A white card filling the frame with dark grey print, and what `paint` draws on it (RGB per pixel, or null). */
function card(paint: (x: number, y: number) => [number, number, number] | null): Buffer {
  const data = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const print = y % 8 === 4 && x > 10 && x < 80 && x % 7 !== 0;
      const rgb = paint(x, y) ?? (print ? [60, 60, 60] : [240, 240, 238]);
      data.set(rgb, (y * W + x) * 3);
    }
  return data;
}
const png = (data: Buffer) =>
  sharp(data, { raw: { width: W, height: H, channels: 3 } })
    .png()
    .toBuffer();
const labs = (data: Buffer) => Array.from({ length: W * H }, (_, i) => rgbToLab(data[i * 3]!, data[i * 3 + 1]!, data[i * 3 + 2]!));
const WHITE_PALETTE = [
  { name: 'white', hex: '#f0f0ee', share: 0.9 },
  { name: 'gray', hex: '#3c3c3c', share: 0.1 },
];

describe('frameAccents', () => {
  it("names a document's small dark-red seal the whole-frame palette leaves out, with its own small share", async () => {
    // A passport-like red (L* 45): under 1 % of the frame, in a corner, dark enough that the namer alone would call it brown.
    const red = card((x, y) => (Math.hypot(x - 84, y - 54) < 4 ? [160, 60, 58] : null));
    const palette = await dominantColors(await png(red), { accents: false });
    expect(palette.map((c) => c.name)).not.toContain('red');
    const accents = frameAccents(labs(red), W, palette);
    expect(accents.map((c) => c.name)).toEqual(['red']);
    expect(accents[0]!.share).toBeGreaterThan(0.004);
    expect(accents[0]!.share).toBeLessThan(0.015);
    // dominantColors appends it after the palette: the fetcher's palette, which a frame-filling document's colours are;
    // then the card's dark grey lines of print, black (printColours: no chromatic print beside them).
    expect((await dominantColors(await png(red))).map((c) => c.name)).toEqual([...palette.map((c) => c.name), 'red', 'black']);
  });

  it('leaves scattered coloured pixels (JPEG fringes along print) and a palette that already has a strong colour', () => {
    // 1.5 % of the frame in green, but single pixels spread over the card: no patch.
    const fringes = card((x, y) => ((x * 7 + y * 13) % 67 === 0 ? [40, 150, 60] : null));
    expect(frameAccents(labs(fringes), W, WHITE_PALETTE)).toEqual([]);
    // A green band on a card whose palette names blue: the frame's colour is already named, no accent pass.
    const band = card((_x, y) => (y >= 2 && y < 7 ? [30, 130, 60] : null));
    expect(frameAccents(labs(band), W, WHITE_PALETTE).map((c) => c.name)).toEqual(['green']);
    expect(frameAccents(labs(band), W, [...WHITE_PALETTE, { name: 'blue', hex: '#1e5aa8', share: 0.3 }])).toEqual([]);
  });

  it('names neither a skin-toned portrait nor a wooden edge: not strong for their lightness, or a surface colour', () => {
    const portrait = card((x, y) => (x < 30 && y > 10 && y < 55 ? [200, 160, 130] : x > 88 ? [110, 70, 40] : null));
    expect(frameAccents(labs(portrait), W, WHITE_PALETTE)).toEqual([]);
  });

  it("finds thin coloured lettering on the larger accent thumbnail that the palette's 96-pixel one averages into the paper", async () => {
    // A 384 x 288 white card: lines of dark grey print bars and two lines of blue lettering: 1-pixel strokes every 4
    // pixels, every other pair joined by a bar along the line's top or bottom (n, u), as tools/colour-bench draws it.
    const w = 384;
    const h = 288;
    const data = Buffer.alloc(w * h * 3);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const grey = (y % 40 === 10 || y % 40 === 11) && x > 30 && x < 350;
        const row = [220, 250].find((r) => Math.abs(y - r) < 4);
        const letter = Math.floor(x / 8);
        const bar = y === row! - 3 + (letter % 2) * 6;
        const lettering = row !== undefined && x > 60 && x < 330 && (x % 4 === 0 || (bar && x % 8 < 5));
        data.set(lettering ? [25, 70, 190] : grey ? [60, 60, 60] : [240, 240, 238], (y * w + x) * 3);
      }
    const image = await sharp(data, { raw: { width: w, height: h, channels: 3 } })
      .png()
      .toBuffer();
    // The frame accents alone on the palette's 96-pixel thumbnail (the print step, print-colours.ts, finds it at either side).
    const small = await sharp(image).resize(96).raw().toBuffer({ resolveWithObject: true });
    const smallLabs = Array.from({ length: small.info.width * small.info.height }, (_, i) =>
      rgbToLab(small.data[i * 3]!, small.data[i * 3 + 1]!, small.data[i * 3 + 2]!),
    );
    const palette = await dominantColors(image, { accents: false });
    expect(frameAccents(smallLabs, small.info.width, palette).map((c) => c.name)).not.toContain('blue');
    expect((await dominantColors(image)).map((c) => c.name)).toContain('blue');
  });
});
