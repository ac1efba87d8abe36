/**
 * Text as SVG paths from the WOFF files of pinned @fontsource packages, through opentype.js, so
 * sharp rasterises every glyph without fontconfig or a system font (a fresh machine has none).
 * Each family has a `latin` and a `latin-ext` file; a character missing from the first is drawn
 * from the second (Polish, Turkish, Czech letters live there).
 *
 * The families are split: the holdout split renders only with families the tune split never sees.
 * Must never fall back to a system font or to SVG <text>.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import opentype, { type Font, type Glyph, type Path } from 'opentype.js';
import type { Split } from './ground-truth.js';

export type FontRole = 'sans' | 'serif' | 'condensed' | 'mono';
export type FontWeight = 400 | 700;

export interface FontFamily {
  /** The @fontsource package name without its scope, which is also the file prefix. */
  name: string;
  role: FontRole;
  split: Split;
}

export const FONT_FAMILIES: readonly FontFamily[] = [
  { name: 'roboto', role: 'sans', split: 'tune' },
  { name: 'merriweather', role: 'serif', split: 'tune' },
  { name: 'roboto-condensed', role: 'condensed', split: 'tune' },
  { name: 'dejavu-mono', role: 'mono', split: 'tune' },
  { name: 'ibm-plex-sans', role: 'sans', split: 'holdout' },
  { name: 'pt-serif', role: 'serif', split: 'holdout' },
  { name: 'barlow-condensed', role: 'condensed', split: 'holdout' },
  { name: 'ibm-plex-mono', role: 'mono', split: 'holdout' },
];

export function familiesOf(split: Split, role?: FontRole): FontFamily[] {
  return FONT_FAMILIES.filter((f) => f.split === split && (!role || f.role === role));
}

const require = createRequire(import.meta.url);

/** One family at one weight: its latin face first, then latin-ext where the package has it. */
export class TextFont {
  constructor(
    readonly family: string,
    private readonly faces: readonly Font[],
  ) {}

  /**
   * Glyph by glyph, with pair kerning: opentype.js's shaper (GSUB) throws on lookups some of these
   * fonts use, and Latin text needs no shaping beyond kerning.
   */
  private layout(text: string, size: number, tracking: number): Array<{ face: Font; glyph: Glyph; x: number }> {
    const placed: Array<{ face: Font; glyph: Glyph; x: number }> = [];
    let x = 0;
    let previous: { face: Font; glyph: Glyph } | undefined;
    for (const ch of text) {
      const face = this.faces.find((f) => f.hasChar(ch)) ?? this.faces[0]!;
      const glyph = face.charToGlyph(ch);
      const scale = size / face.unitsPerEm;
      if (previous && previous.face === face) {
        // Some fonts' GPOS kerning answers undefined for a pair: no kerning then.
        const kerning = face.getKerningValue(previous.glyph, glyph);
        if (Number.isFinite(kerning)) x += kerning * scale;
      }
      placed.push({ face, glyph, x });
      x += (glyph.advanceWidth ?? 0) * scale + tracking;
      previous = { face, glyph };
    }
    placed.push({ face: this.faces[0]!, glyph: this.faces[0]!.charToGlyph(' '), x });
    return placed;
  }

  /** Advance width in pixels at `size`, with `tracking` extra pixels after each character. */
  width(text: string, size: number, tracking = 0): number {
    return this.layout(text, size, tracking).at(-1)!.x;
  }

  /** SVG path data of `text` with its baseline starting at (x, y). */
  path(text: string, x: number, y: number, size: number, tracking = 0): string {
    const placed = this.layout(text, size, tracking).slice(0, -1);
    return placed.map((p) => svgPathData(p.glyph.getPath(x + p.x, y, size, {}, p.face))).join('');
  }

  /** Height of capitals above the baseline, as a share of the font size (for vertical layout). */
  get ascent(): number {
    const f = this.faces[0]!;
    return f.ascender / f.unitsPerEm;
  }
}

/**
 * SVG path data written from the path's commands: Path.toPathData's optimiser drops the closing Z of
 * some contours, and librsvg then loses every glyph after it.
 */
function svgPathData(path: Path): string {
  const n = (v: number) => (Math.round(v * 10) / 10).toString();
  return path.commands
    .map((c) => {
      switch (c.type) {
        case 'M':
        case 'L':
          return `${c.type}${n(c.x)} ${n(c.y)}`;
        case 'Q':
          return `Q${n(c.x1)} ${n(c.y1)} ${n(c.x)} ${n(c.y)}`;
        case 'C':
          return `C${n(c.x1)} ${n(c.y1)} ${n(c.x2)} ${n(c.y2)} ${n(c.x)} ${n(c.y)}`;
        default:
          return 'Z';
      }
    })
    .join('');
}

const loaded = new Map<string, TextFont>();

export function loadFont(family: string, weight: FontWeight = 400): TextFont {
  const key = `${family}@${weight}`;
  const cached = loaded.get(key);
  if (cached) return cached;
  const folder = join(dirname(require.resolve(`@fontsource/${family}/package.json`)), 'files');
  const faces = ['latin', 'latin-ext'].flatMap((subset) => {
    try {
      return [opentype.parse(readFileSync(join(folder, `${family}-${subset}-${weight}-normal.woff`)))];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  });
  if (faces.length === 0) throw new Error(`@fontsource/${family} ships no ${weight} WOFF file`);
  const font = new TextFont(family, faces);
  loaded.set(key, font);
  return font;
}
