/**
 * Embeddings as post.enhanced carries them (L2-normalised int8 × 127, base64) and their cosine.
 * Brute force over int8 is the matcher's index: 1280 multiply-adds per pair, 10,000 candidates in
 * tens of milliseconds (tools/match-bench.ts prints it), so no approximate index is kept.
 * Pure; must never compare vectors of different models (the caller checks the model id).
 */

/** The int8 vector of one published embedding (a view, no copy). */
export function decodeEmbedding(base64: string): Int8Array {
  const bytes = Buffer.from(base64, 'base64');
  return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

const UNIT = 127 * 127;

/** Cosine of two published embeddings: their int8 dot product over 127². 0 when the lengths differ. */
export function embeddingCosine(a: Int8Array, b: Int8Array): number {
  if (a.length !== b.length) return 0;
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  // int8 rounding can put a vector's norm a hair over 127: a cosine is never above 1.
  return Math.min(1, dot / UNIT);
}

/** A published colour histogram (two hex digits a bin, bin × 255); empty when malformed. */
export function decodeColorHistogram(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/.test(hex)) return new Uint8Array(0);
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
}

/** Histogram intersection of two published colour histograms, 0..1 (the share of colour both items have); 0 when the bins differ. */
export function histogramIntersection(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let shared = 0;
  for (let i = 0; i < a.length; i++) shared += Math.min(a[i]!, b[i]!);
  return Math.min(1, shared / 255);
}

/** Bits in which two 16-hex-digit perceptual hashes differ (64 when either is malformed). */
export function hammingDistance(a: string, b: string): number {
  if (a.length !== 16 || b.length !== 16) return 64;
  let bits = 0;
  for (let i = 0; i < 16; i++) {
    let x = parseInt(a[i]!, 16) ^ parseInt(b[i]!, 16);
    if (Number.isNaN(x)) return 64;
    while (x) {
      bits += x & 1;
      x >>= 1;
    }
  }
  return bits;
}
