/**
 * IEEE 754 half-precision decoding, for the float16-quantised TF.js weights: the converter keeps
 * their raw bits as FLOAT16 initialisers, and decodes them only where it must compute with them
 * (constant folding, tests).
 *
 * Must never round or flush anything: every float16 value (subnormals, infinities, NaN) has an
 * exact float32, and that exact value is what TF.js itself dequantises to.
 */

const scratch = new DataView(new ArrayBuffer(4));

/** The float32 value of one float16 bit pattern (0..0xffff). */
export function float16ToFloat32(bits: number): number {
  const sign = (bits & 0x8000) << 16;
  const exponent = (bits >> 10) & 0x1f;
  let mantissa = bits & 0x3ff;
  let word: number;
  if (exponent === 0x1f) {
    word = sign | 0x7f800000 | (mantissa << 13); // Inf / NaN
  } else if (exponent !== 0) {
    word = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
  } else if (mantissa === 0) {
    word = sign; // ±0
  } else {
    // Subnormal half: normalise the mantissa into a normal float32.
    let e = -1;
    do {
      e++;
      mantissa <<= 1;
    } while ((mantissa & 0x400) === 0);
    word = sign | ((127 - 15 - e) << 23) | ((mantissa & 0x3ff) << 13);
  }
  scratch.setUint32(0, word >>> 0);
  return scratch.getFloat32(0);
}

export function decodeFloat16Array(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = float16ToFloat32(bits[i]!);
  return out;
}
