/**
 * Draws detected objects (boxes and "label 0.87" captions) onto a photo for the CLI's
 * `--annotate DIR`, by compositing an SVG overlay with sharp.
 *
 * Must never change the photo's geometry (boxes are normalized to it) and never put unescaped
 * label text into the SVG (labels come from model files and, later, from other sources).
 */
import sharp from 'sharp';
import type { Box } from '@media-ai/contracts';

export interface AnnotatedObject {
  label: string;
  confidence: number;
  box: Box;
}

/** Distinct, high-contrast stroke colours, cycled per label so one class keeps one colour. */
const PALETTE = ['#ff3b30', '#34c759', '#007aff', '#ff9500', '#af52de', '#00c7be', '#ffcc00', '#ff2d55'];

export async function drawDetections(jpeg: Buffer, objects: readonly AnnotatedObject[]): Promise<Buffer> {
  const { width, height } = await sharp(jpeg).metadata();
  if (!width || !height) throw new Error('Cannot annotate an image without dimensions');
  if (objects.length === 0) return sharp(jpeg).jpeg({ quality: 90 }).toBuffer();

  // Scale strokes and text with the photo so captions stay legible on 4000-px and 400-px images alike.
  const stroke = Math.max(2, Math.round(Math.min(width, height) / 200));
  const fontSize = Math.max(12, Math.round(Math.min(width, height) / 35));
  const colours = new Map<string, string>();
  const shapes = objects.map((object) => {
    if (!colours.has(object.label)) colours.set(object.label, PALETTE[colours.size % PALETTE.length]!);
    const colour = colours.get(object.label)!;
    const x = object.box.x * width;
    const y = object.box.y * height;
    const w = object.box.width * width;
    const h = object.box.height * height;
    const caption = `${object.label} ${object.confidence.toFixed(2)}`;
    const captionWidth = caption.length * fontSize * 0.6 + fontSize * 0.5;
    // Caption above the box when there is room, inside its top edge otherwise.
    const captionY = y >= fontSize * 1.3 ? y - fontSize * 1.3 : y;
    return [
      `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}" fill="none" stroke="${colour}" stroke-width="${stroke}"/>`,
      `<rect x="${x.toFixed(1)}" y="${captionY.toFixed(1)}" width="${captionWidth.toFixed(1)}" height="${(fontSize * 1.3).toFixed(1)}" fill="${colour}"/>`,
      `<text x="${(x + fontSize * 0.25).toFixed(1)}" y="${(captionY + fontSize).toFixed(1)}" font-family="sans-serif" font-size="${fontSize}" fill="#ffffff">${escapeXml(caption)}</text>`,
    ].join('');
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${shapes.join('')}</svg>`;
  return sharp(jpeg)
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}
