/**
 * Generated lost items for the matching benchmark: seeded SVG drawings of the kinds people lose
 * (phones, cards, wallets, keys, bottles, notebooks, glasses, bags), each a different physical item
 * (its own colours, pattern, printed words, proportions), rendered by sharp to a trimmed RGBA cut-out.
 * They give the benchmark hundreds of distinct items where ../shared/photos holds eleven usable
 * cut-outs, and many same-kind distractors (a black phone among other black phones).
 *
 * Tools only; must never be used as product data, and never draw two items from one seed (an item's
 * identity is its draw).
 */
import sharp from 'sharp';

export const GENERATED_KINDS = ['phone', 'card', 'wallet', 'keys', 'bottle', 'notebook', 'glasses', 'bag'] as const;
export type GeneratedKind = (typeof GENERATED_KINDS)[number];

/** Colours things are made in, loosely: many black, grey and brown items, as in a lost-and-found. */
const PALETTE = [
  '#111111',
  '#1c1c1c',
  '#2b2b2b',
  '#555555',
  '#8a8a8a',
  '#c8c8c8',
  '#f2f2f2',
  '#5a3a22',
  '#7b4a2a',
  '#a0673a',
  '#1f3a93',
  '#2e86de',
  '#0a3d62',
  '#b71540',
  '#e55039',
  '#f6b93b',
  '#078d4b',
  '#38ada9',
  '#6a0572',
  '#e84393',
];
const SYLLABLES = ['ka', 'lo', 'mi', 'ter', 'on', 'va', 'rex', 'su', 'bel', 'do', 'zen', 'pra', 'ul', 'nik', 'sa', 'tro'];

type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const between = (random: Random, low: number, high: number) => low + (high - low) * random();
const word = (random: Random, syllables = 2 + Math.floor(random() * 2)) =>
  Array.from({ length: syllables }, () => pick(random, SYLLABLES)).join('');

/** A pattern laid over a body: stripes, dots, a band or nothing, in a second colour. */
function pattern(random: Random, id: string, colour: string): { defs: string; fill: string } {
  const kind = Math.floor(random() * 4);
  const size = Math.round(between(random, 10, 40));
  const angle = Math.round(between(random, 0, 180));
  if (kind === 0) return { defs: '', fill: 'none' };
  const shape =
    kind === 1
      ? `<rect width="${size / 2}" height="${size}" fill="${colour}"/>`
      : kind === 2
        ? `<circle cx="${size / 2}" cy="${size / 2}" r="${size / 4}" fill="${colour}"/>`
        : `<path d="M0 ${size} L${size} 0" stroke="${colour}" stroke-width="${size / 5}"/>`;
  return {
    defs: `<pattern id="${id}" width="${size}" height="${size}" patternUnits="userSpaceOnUse" patternTransform="rotate(${angle})">${shape}</pattern>`,
    fill: `url(#${id})`,
  };
}

/**
 * A flat body in its main colour with its pattern laid over it (the pattern's defs first): the card,
 * the wallet and the notebook each start so. Draws nothing from the random source, so an item's draws
 * (and the benchmark's images) do not depend on it.
 */
const patternedBody = (p: { defs: string; fill: string }, w: number, h: number, rx: number, colour: string, opacity: number) =>
  `<defs>${p.defs}</defs><rect width="${w}" height="${h}" rx="${rx}" fill="${colour}"/><rect width="${w}" height="${h}" rx="${rx}" fill="${p.fill}" opacity="${opacity}"/>`;

/** One item's SVG body (width and height in px, the drawing inside). */
function draw(kind: GeneratedKind, random: Random): { width: number; height: number; body: string } {
  const main = pick(random, PALETTE);
  const second = pick(
    random,
    PALETTE.filter((c) => c !== main),
  );
  const third = pick(random, PALETTE);
  const p = pattern(random, 'p', second);
  const text = (x: number, y: number, size: number, colour: string, words = 1) =>
    `<text x="${x}" y="${y}" font-family="sans-serif" font-weight="bold" font-size="${size}" fill="${colour}">${Array.from(
      { length: words },
      () => word(random),
    )
      .join(' ')
      .toUpperCase()}</text>`;
  switch (kind) {
    case 'phone': {
      const w = Math.round(between(random, 200, 260));
      const h = Math.round(w * between(random, 1.9, 2.2));
      const r = between(random, 18, 40);
      const screen = pick(random, ['#000000', '#0b1e3f', third]);
      const blobs = Array.from(
        { length: 3 + Math.floor(random() * 4) },
        () =>
          `<circle cx="${between(random, 30, w - 30)}" cy="${between(random, 60, h - 60)}" r="${between(random, 15, 60)}" fill="${pick(random, PALETTE)}" opacity="0.8"/>`,
      ).join('');
      return {
        width: w,
        height: h,
        body:
          `<defs>${p.defs}<clipPath id="s"><rect x="14" y="40" width="${w - 28}" height="${h - 80}" rx="${r / 2}"/></clipPath></defs>` +
          `<rect width="${w}" height="${h}" rx="${r}" fill="${main}"/><rect width="${w}" height="${h}" rx="${r}" fill="${p.fill}" opacity="0.5"/>` +
          `<rect x="14" y="40" width="${w - 28}" height="${h - 80}" rx="${r / 2}" fill="${screen}"/><g clip-path="url(#s)">${blobs}</g>` +
          `<circle cx="${w / 2}" cy="22" r="6" fill="#222"/>` +
          (random() < 0.5 ? text(24, h / 2, 26, '#ffffff') : ''),
      };
    }
    case 'card': {
      const w = Math.round(between(random, 360, 440));
      const h = Math.round(w / 1.586);
      const band = between(random, 0.15, 0.35) * h;
      return {
        width: w,
        height: h,
        body:
          patternedBody(p, w, h, 18, main, 0.6) +
          `<rect y="${between(random, 0, h - band)}" width="${w}" height="${band}" fill="${third}" opacity="0.85"/>` +
          `<rect x="34" y="${h * 0.38}" width="52" height="40" rx="6" fill="#d4af37"/>` +
          text(30, h * 0.22, 30, second) +
          text(30, h * 0.85, 22, second, 2),
      };
    }
    case 'wallet': {
      const w = Math.round(between(random, 320, 420));
      const h = Math.round(w * between(random, 0.6, 0.85));
      const flap = between(random, 0.3, 0.55) * h;
      return {
        width: w,
        height: h,
        body:
          patternedBody(p, w, h, 22, main, 0.35) +
          `<rect x="10" y="10" width="${w - 20}" height="${h - 20}" rx="16" fill="none" stroke="${second}" stroke-width="3" stroke-dasharray="10 7"/>` +
          `<path d="M0 ${flap} Q${w / 2} ${flap + 50} ${w} ${flap}" fill="none" stroke="${third}" stroke-width="8"/>` +
          `<circle cx="${w / 2}" cy="${flap + 30}" r="12" fill="${third}"/>` +
          (random() < 0.6 ? text(w * 0.3, h * 0.8, 24, second) : ''),
      };
    }
    case 'keys': {
      const metal = pick(random, ['#b8b8b8', '#d4af37', '#8c7853', '#9aa3ad']);
      const count = 1 + Math.floor(random() * 3);
      let body = `<circle cx="200" cy="70" r="55" fill="none" stroke="#999" stroke-width="8"/>`;
      for (let k = 0; k < count; k++) {
        const a = -40 + k * 35 + between(random, -8, 8);
        const len = between(random, 170, 240);
        const teeth = Array.from(
          { length: 4 },
          (_, t) =>
            `<rect x="215" y="${250 + t * ((len - 90) / 4)}" width="${between(random, 8, 22)}" height="${(len - 90) / 8}" fill="${metal}"/>`,
        ).join('');
        body +=
          `<g transform="rotate(${a} 200 70)"><circle cx="200" cy="170" r="${between(random, 40, 55)}" fill="${k === 0 ? metal : pick(random, PALETTE)}"/>` +
          `<circle cx="200" cy="150" r="10" fill="none" stroke="#333" stroke-width="4"/>` +
          `<rect x="188" y="200" width="28" height="${len - 40}" fill="${metal}"/>${teeth}</g>`;
      }
      body += `<rect x="${between(random, 230, 280)}" y="80" width="90" height="150" rx="20" fill="${main}"/>` + text(245, 170, 20, second);
      return { width: 420, height: 480, body };
    }
    case 'bottle': {
      const w = Math.round(between(random, 150, 210));
      const h = Math.round(between(random, 420, 520));
      const neck = w * between(random, 0.35, 0.55);
      const label = between(random, 0.2, 0.4) * h;
      return {
        width: w,
        height: h,
        body:
          `<defs>${p.defs}</defs><rect x="${(w - neck) / 2}" y="0" width="${neck}" height="${h * 0.12}" rx="8" fill="${third}"/>` +
          `<rect x="0" y="${h * 0.1}" width="${w}" height="${h * 0.9}" rx="${w * 0.25}" fill="${main}"/>` +
          `<rect x="0" y="${h * 0.45}" width="${w}" height="${label}" fill="${second}"/><rect x="0" y="${h * 0.45}" width="${w}" height="${label}" fill="${p.fill}" opacity="0.5"/>` +
          text(12, h * 0.45 + label / 2 + 8, 24, main),
      };
    }
    case 'notebook': {
      const w = Math.round(between(random, 300, 380));
      const h = Math.round(w * between(random, 1.25, 1.45));
      return {
        width: w,
        height: h,
        body:
          patternedBody(p, w, h, 10, main, 0.5) +
          `<rect width="28" height="${h}" fill="${second}"/>` +
          (random() < 0.5 ? `<rect x="${w - 40}" y="0" width="14" height="${h}" fill="${third}"/>` : '') +
          `<rect x="60" y="${h * 0.15}" width="${w - 100}" height="${h * 0.2}" fill="#f5f0e1"/>` +
          text(72, h * 0.27, 30, '#222') +
          text(60, h * 0.8, 22, second, 2),
      };
    }
    case 'glasses': {
      const lens = between(random, 70, 100);
      const shape = random() < 0.5 ? 'circle' : 'rect';
      const frame = main;
      const tint = pick(random, ['#00000066', '#3a2a1a88', '#1f3a9355', '#ffffff22']);
      const lensSvg = (cx: number) =>
        shape === 'circle'
          ? `<circle cx="${cx}" cy="110" r="${lens}" fill="${tint}" stroke="${frame}" stroke-width="14"/>`
          : `<rect x="${cx - lens}" y="${110 - lens * 0.75}" width="${lens * 2}" height="${lens * 1.5}" rx="24" fill="${tint}" stroke="${frame}" stroke-width="14"/>`;
      return {
        width: 520,
        height: 240,
        body:
          lensSvg(150) +
          lensSvg(370) +
          `<path d="M${150 + lens} 100 Q260 70 ${370 - lens} 100" fill="none" stroke="${frame}" stroke-width="12"/>` +
          `<path d="M${150 - lens} 100 L10 80 M${370 + lens} 100 L510 80" stroke="${second}" stroke-width="10"/>`,
      };
    }
    case 'bag': {
      const w = Math.round(between(random, 340, 440));
      const h = Math.round(w * between(random, 0.8, 1.1));
      return {
        width: w,
        height: h + 120,
        body:
          `<defs>${p.defs}</defs><path d="M${w * 0.25} 130 Q${w / 2} ${-20} ${w * 0.75} 130" fill="none" stroke="${second}" stroke-width="18"/>` +
          `<rect y="120" width="${w}" height="${h}" rx="40" fill="${main}"/><rect y="120" width="${w}" height="${h}" rx="40" fill="${p.fill}" opacity="0.45"/>` +
          `<rect x="${w * 0.2}" y="${120 + h * 0.45}" width="${w * 0.6}" height="${h * 0.4}" rx="20" fill="${third}"/>` +
          text(w * 0.25, 120 + h * 0.3, 28, second),
      };
    }
  }
}

/** One generated item as a trimmed RGBA PNG: its kind and seed decide everything about it. */
export async function generatedItem(kind: GeneratedKind, random: Random): Promise<Buffer> {
  const { width, height, body } = draw(kind, random);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${body}</svg>`;
  return sharp(Buffer.from(svg)).png({ compressionLevel: 0 }).toBuffer();
}
