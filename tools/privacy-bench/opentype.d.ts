// The part of opentype.js 2.0.0 the benchmark's text renderer uses (the package ships no types).
declare module 'opentype.js' {
  export type PathCommand =
    | { type: 'M' | 'L'; x: number; y: number }
    | { type: 'Q'; x1: number; y1: number; x: number; y: number }
    | { type: 'C'; x1: number; y1: number; x2: number; y2: number; x: number; y: number }
    | { type: 'Z' };
  export interface Path {
    commands: PathCommand[];
  }
  export interface Glyph {
    advanceWidth?: number;
    getPath(x: number, y: number, fontSize: number, options: object, font: Font): Path;
  }
  export interface Font {
    charToGlyph(c: string): Glyph;
    getKerningValue(left: Glyph, right: Glyph): number;
    unitsPerEm: number;
    ascender: number;
    descender: number;
    hasChar(c: string): boolean;
  }
  export function parse(buffer: ArrayBuffer | Uint8Array): Font;
  const opentype: { parse: typeof parse };
  export default opentype;
}
