import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { limitImageMemory } from './image-memory.js';

describe('limitImageMemory', () => {
  it("turns libvips' operation cache off, and images still decode the same", async () => {
    const photo = await sharp({ create: { width: 32, height: 16, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    const before = await sharp(photo).raw().toBuffer();
    expect(sharp.cache().items.max).toBeGreaterThan(0);
    limitImageMemory({ concurrency: 1 });
    expect(sharp.cache()).toMatchObject({ memory: { max: 0 }, files: { max: 0 }, items: { max: 0 } });
    expect(sharp.concurrency()).toBe(1);
    expect(await sharp(photo).raw().toBuffer()).toEqual(before);
  });
});
