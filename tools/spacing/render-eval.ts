// The re-spacing options on pixels: generated phrases (phrases.ts) rendered as text lines with
// normal, thin (U+2009) and hair (U+200A) word spaces, in the DejaVu and Liberation fonts, as
// printed and in capitals, eight lines a page; each page read by the real PP-OCRv4 reader (raw
// lines with their CTC alignment) and by the hybrid reader (tesseract's spaces on glued capitals).
// Boundaries are scored only between characters the recogniser read right and side by side, so
// OCR misreadings do not count for or against a spacing option.
import { writeFileSync } from 'node:fs';
import sharp from 'sharp';
import {
  HybridTextReader,
  PaddleTextReader,
  gapFeatures,
  gapsForPublished,
  restoreWordSpaces,
  type CandidateLine,
  type RestoreSpacesOptions,
  type WordLexicon,
} from '@media-ai/ocr';
import { addCount, emptyCount, formatCount, phrases, type BoundaryCount, type Split } from './phrases.js';

const FONTS = ['DejaVu Sans', 'DejaVu Serif', 'Liberation Sans', 'Liberation Serif', 'Liberation Sans Narrow', 'DejaVu Sans Mono'];
const SPACES = [' ', '\u2009', '\u200A'];
const LINES_PER_PAGE = 8;
const LINE_HEIGHT = 64;

interface RenderedLine {
  text: string;
  /** The line as drawn, with its narrow spaces. */
  drawn: string;
  top: number;
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

async function renderPage(lines: string[], page: number): Promise<{ png: Buffer; rendered: RenderedLine[] }> {
  const font = FONTS[page % FONTS.length]!;
  const size = 30 + (page % 3) * 4;
  const rendered: RenderedLine[] = lines.map((line, i) => {
    const text = i % 2 === 1 ? line.toUpperCase() : line;
    return { text, drawn: text.replace(/ /g, SPACES[(i + page) % SPACES.length]!), top: 20 + i * LINE_HEIGHT };
  });
  const width = 40 + Math.ceil(Math.max(...rendered.map((l) => l.text.length)) * size * 0.72);
  const height = 40 + lines.length * LINE_HEIGHT;
  const texts = rendered
    .map(
      (l) =>
        `<text x="20" y="${l.top + size}" font-family="${font}" font-size="${size}" font-weight="${page % 4 === 3 ? 'bold' : 'normal'}" fill="#111">${escapeXml(l.drawn)}</text>`,
    )
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fbfbf8"/>${texts}</svg>`;
  return { png: await sharp(Buffer.from(svg)).png().toBuffer(), rendered };
}

/** For each character of b (spaces removed), the index of the equal character of a it is aligned with, or -1. */
function alignChars(a: string, b: string): number[] {
  const n = a.length;
  const m = b.length;
  const d = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
  for (let i = 0; i <= n; i++) d[i]![0] = i;
  for (let j = 0; j <= m; j++) d[0]![j] = j;
  for (let i = 1; i <= n; i++)
    for (let j = 1; j <= m; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  const out = new Array<number>(m).fill(-1);
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    const same = a[i - 1] === b[j - 1];
    if (d[i]![j] === d[i - 1]![j - 1]! + (same ? 0 : 1)) {
      if (same) out[j - 1] = i - 1;
      i--;
      j--;
    } else if (d[i]![j] === d[i - 1]![j]! + 1) i--;
    else j--;
  }
  return out;
}

/** Indexes (into the text with spaces removed) that have a space before them. */
function spaceIndexes(text: string): Set<number> {
  const out = new Set<number>();
  let k = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ' ') continue;
    if (i > 0 && text[i - 1] === ' ' && k > 0) out.add(k);
    k++;
  }
  return out;
}

const only = (steps: Partial<RestoreSpacesOptions['steps']>): Partial<RestoreSpacesOptions> => ({
  steps: { gaps: false, digits: false, caseChanges: false, segmentation: false, ...steps },
});

export async function renderEval(split: Split, perLocale: number, lexicon: WordLexicon, dumpFile?: string): Promise<void> {
  // Every kind of phrase, evenly over the locales, the first perLocale of each locale.
  const byLocale = new Map<string, string[]>();
  for (const p of phrases(split, 3)) {
    const list = byLocale.get(p.locale) ?? [];
    list.push(p.text);
    byLocale.set(p.locale, list);
  }
  const chosen: string[] = [];
  for (const list of byLocale.values()) for (let i = 0; i < perLocale && i < list.length; i++) chosen.push(list[(i * 7) % list.length]!);

  let captured: CandidateLine[] = [];
  const paddle = new PaddleTextReader({ wordSpacing: false, refineLines: async (lines) => void (captured = lines.map((l) => ({ ...l }))) });
  const hybrid = new HybridTextReader({ wordSpacing: false });
  await Promise.all([paddle.start(), hybrid.start()]);

  const options: Record<string, (raw: string, line: CandidateLine, hybridText: string | undefined) => string> = {
    "model's own spaces": (raw) => raw,
    '(a) CTC gaps': (raw, line) =>
      restoreWordSpaces(raw, { lexicon, gaps: gapsForPublished(raw, line.decoded), options: only({ gaps: true }) }),
    '(b) segmentation': (raw) => restoreWordSpaces(raw, { lexicon, options: only({ segmentation: true }) }),
    '(c) tesseract (hybrid re-read)': (raw, _line, h) => h ?? raw,
    'digits + case + (b)': (raw) =>
      restoreWordSpaces(raw, { lexicon, options: only({ digits: true, caseChanges: true, segmentation: true }) }),
    'combined: (a) + digits + case + (b)': (raw, line) => restoreWordSpaces(raw, { lexicon, gaps: gapsForPublished(raw, line.decoded) }),
    'combined + (c) (what hybrid publishes)': (raw, line, h) => {
      const base = h ?? raw;
      return restoreWordSpaces(base, { lexicon, gaps: gapsForPublished(base, line.decoded) });
    },
  };
  const all: Record<string, BoundaryCount> = Object.fromEntries(Object.keys(options).map((k) => [k, emptyCount()]));
  const dropped: Record<string, BoundaryCount> = Object.fromEntries(Object.keys(options).map((k) => [k, emptyCount()]));
  const dump: { blanks: number; pitch: number; spaceProb: number; boundary: boolean; caps: boolean }[] = [];
  let linesScored = 0;
  let readMs = 0;

  for (let start = 0, page = 0; start < chosen.length; start += LINES_PER_PAGE, page++) {
    const { png, rendered } = await renderPage(chosen.slice(start, start + LINES_PER_PAGE), page);
    const t = performance.now();
    await paddle.read(png);
    const hybridLines = (await hybrid.read(png)).lines;
    readMs += performance.now() - t;
    const meta = await sharp(png).metadata();
    for (const line of rendered) {
      // The reading whose box centre lies in this line's band (one per line; a split line is skipped).
      const inBand = (y: number): boolean => y >= line.top && y < line.top + LINE_HEIGHT;
      const ours = captured.filter((c) => inBand(c.quad.reduce((s, p) => s + p[1], 0) / 4));
      const theirs = hybridLines.filter((l) => inBand((l.box.y + l.box.height / 2) * meta.height!));
      if (ours.length !== 1) continue;
      const candidate = ours[0]!;
      const raw = candidate.published;
      const rawChars = raw.replace(/ /g, '');
      const truthChars = line.text.replace(/ /g, '');
      const toTruth = alignChars(truthChars, rawChars);
      const truthSpaces = spaceIndexes(line.text);
      // Scorable positions k of rawChars: k-1 and k read right and adjacent in the truth.
      const scorable = new Set<number>();
      const truthAt = new Set<number>();
      for (let k = 1; k < rawChars.length; k++) {
        const a = toTruth[k - 1]!;
        const b = toTruth[k]!;
        if (a < 0 || b !== a + 1) continue;
        if (!/[\p{L}\p{N}]/u.test(rawChars[k - 1]!) || !/[\p{L}\p{N}]/u.test(rawChars[k]!)) continue;
        scorable.add(k);
        if (truthSpaces.has(b)) truthAt.add(k);
      }
      linesScored++;
      const rawSpaces = spaceIndexes(raw);
      const hybridText = theirs.length === 1 && theirs[0]!.text.replace(/ /g, '') === rawChars ? theirs[0]!.text : undefined;
      for (const [name, respace] of Object.entries(options)) {
        const predicted = new Set([...spaceIndexes(respace(raw, candidate, hybridText))].filter((k) => scorable.has(k)));
        addCount(all[name]!, truthAt, predicted);
        const droppedTruth = new Set([...truthAt].filter((k) => !rawSpaces.has(k)));
        addCount(dropped[name]!, droppedTruth, new Set([...predicted].filter((k) => !rawSpaces.has(k))));
      }
      if (dumpFile) {
        const features = gapFeatures(candidate.decoded);
        const gapsAt = new Map<number, (typeof features)[number]>();
        let k = 0;
        const decodedText = candidate.decoded.text;
        for (let i = 0; i < decodedText.length; i++) {
          if (decodedText[i] === ' ') continue;
          gapsAt.set(k, features[i] ?? null);
          k++;
        }
        for (const k2 of scorable) {
          const f = gapsAt.get(k2);
          if (f && !rawSpaces.has(k2)) dump.push({ ...f, boundary: truthAt.has(k2), caps: line.text === line.text.toUpperCase() });
        }
      }
    }
  }
  await Promise.all([paddle.stop(), hybrid.stop()]);
  if (dumpFile) writeFileSync(dumpFile, JSON.stringify(dump));

  process.stdout.write(
    `\nrendered: ${chosen.length} lines, ${linesScored} read as one line each; ${(readMs / Math.ceil(chosen.length / LINES_PER_PAGE)).toFixed(0)} ms per page (paddle + hybrid)\n`,
  );
  process.stdout.write('| option | every boundary | boundaries the model dropped |\n|---|---|---|\n');
  for (const name of Object.keys(options))
    process.stdout.write(`| ${name} | ${formatCount(all[name]!)} | ${formatCount(dropped[name]!)} |\n`);
}
