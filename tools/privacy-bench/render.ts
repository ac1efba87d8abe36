/**
 * Draws a DocumentModel: an SVG of paths (text through opentype.js, never SVG <text>), rasterised
 * by sharp, then the portraits composited in. Returns RGBA pixels (transparent outside a card's
 * rounded corners) and where the faces are, in document pixels. Must never read a system font.
 */
import sharp from 'sharp';
import type { DocumentModel, FontResolver, TextItem } from './document.js';
import { FACE_CROPS, portrait } from './faces.js';

export interface RenderedDocument {
  rgba: Buffer;
  width: number;
  height: number;
  faces: Array<{ x: number; y: number; width: number; height: number; source: string }>;
}

const escapeAttr = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

function textSvg(item: TextItem, font: FontResolver): string {
  const text = item.spans.map((s) => s.text).join('');
  const face = font(item.role, item.weight);
  const width = face.width(text, item.size, item.tracking);
  const x = item.anchor === 'middle' ? item.x - width / 2 : item.anchor === 'end' ? item.x - width : item.x;
  return `<path d="${face.path(text, x, item.y, item.size, item.tracking)}" fill="${escapeAttr(item.fill)}"/>`;
}

/** Fine sine waves across the card, as security printing has. */
function guilloche(model: DocumentModel): string {
  if (!model.guilloche) return '';
  const paths: string[] = [];
  for (let k = 0; k < 14; k++) {
    const amplitude = 10 + (k % 4) * 6;
    const period = 140 + k * 17;
    const y0 = (model.height / 14) * k + 12;
    let d = `M0 ${y0.toFixed(1)}`;
    for (let x = 10; x <= model.width; x += 10) d += `L${x} ${(y0 + amplitude * Math.sin((x / period) * 2 * Math.PI + k)).toFixed(1)}`;
    paths.push(`<path d="${d}" fill="none" stroke="${model.guilloche}" stroke-width="1.2" opacity="0.55"/>`);
  }
  return paths.join('');
}

/**
 * @param photos ../shared/photos (the portraits' sources)
 * @param pickFace which FACE_CROPS entry a portrait slot gets (the generator's seeded choice)
 */
export async function renderDocument(
  model: DocumentModel,
  font: FontResolver,
  photos: string,
  pickFace: () => number,
): Promise<RenderedDocument> {
  const { width, height } = model;
  const fill = model.fill2 ? 'url(#card)' : model.fill;
  const defs =
    `<defs><clipPath id="shape"><rect width="${width}" height="${height}" rx="${model.radius}"/></clipPath>` +
    (model.fill2
      ? `<linearGradient id="card" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${model.fill}"/><stop offset="1" stop-color="${model.fill2}"/></linearGradient>`
      : '') +
    '</defs>';
  const body: string[] = [`<rect width="${width}" height="${height}" fill="${fill}"/>`, guilloche(model)];
  for (const item of model.items) {
    if (item.type === 'rect') {
      body.push(
        `<rect x="${item.x}" y="${item.y}" width="${item.width}" height="${item.height}" rx="${item.radius}" fill="${item.fill}" opacity="${item.opacity}"/>`,
      );
    } else if (item.type === 'text') {
      body.push(textSvg(item, font));
    }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${defs}<g clip-path="url(#shape)">${body.join('')}</g></svg>`;
  const portraits = model.items.filter((i) => i.type === 'portrait');
  const placed = await Promise.all(
    portraits.map(async (p) => ({ slot: p, portrait: await portrait(photos, FACE_CROPS[pickFace()]!, p.width, p.height, p.grey) })),
  );
  const rgba = await sharp(Buffer.from(svg))
    .composite(placed.map(({ slot, portrait: pic }) => ({ input: pic.png, left: Math.round(slot.x), top: Math.round(slot.y) })))
    .ensureAlpha()
    .raw()
    .toBuffer();
  return {
    rgba,
    width,
    height,
    faces: placed.map(({ slot, portrait: pic }) => ({
      x: Math.round(slot.x) + pic.face.x,
      y: Math.round(slot.y) + pic.face.y,
      width: pic.face.width,
      height: pic.face.height,
      source: pic.source,
    })),
  };
}
