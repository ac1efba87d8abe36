import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { drawDetections } from './draw-detections.js';

async function grey(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 128, g: 128, b: 128 } } })
    .jpeg()
    .toBuffer();
}

async function pixel(jpeg: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}

describe('drawDetections', () => {
  it('draws each box on its normalized position and keeps the photo size', async () => {
    const input = await grey(400, 300);
    const out = await drawDetections(input, [{ label: 'cell phone', confidence: 0.85, box: { x: 0.25, y: 0.5, width: 0.5, height: 0.4 } }]);
    const meta = await sharp(out).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 400, 300]);
    // Left edge of the box (x = 100) is clearly red (JPEG chroma subsampling softens a thin line),
    // the box interior and the area outside it stay grey.
    const [r, g, b] = await pixel(out, 100, 220);
    expect(r! - g!).toBeGreaterThan(60);
    expect(r! - b!).toBeGreaterThan(60);
    for (const channel of await pixel(out, 50, 220)) expect(Math.abs(channel - 128)).toBeLessThan(12);
    const inside = await pixel(out, 200, 240);
    for (const channel of inside) expect(Math.abs(channel - 128)).toBeLessThan(12);
  });

  it('escapes label text and leaves a photo without objects unmarked', async () => {
    const input = await grey(200, 200);
    await expect(
      drawDetections(input, [{ label: '<script>&"x"', confidence: 0.5, box: { x: 0, y: 0, width: 1, height: 1 } }]),
    ).resolves.toBeInstanceOf(Buffer);
    const plain = await drawDetections(input, []);
    for (const channel of await pixel(plain, 0, 0)) expect(Math.abs(channel - 128)).toBeLessThan(12);
  });
});
