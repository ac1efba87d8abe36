/**
 * sRGB <-> CIELAB (D65) conversions. Colours are clustered and named in Lab because equal distances
 * there look roughly equally different to people, which RGB distances do not. Pure math, no I/O.
 */

export interface Lab {
  l: number;
  a: number;
  b: number;
}

const toLinear = (channel: number) => {
  const c = channel / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};
const fromLinear = (c: number) => {
  const v = c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055;
  return Math.round(Math.min(1, Math.max(0, v)) * 255);
};

// 256-entry lookup: the gamma curve is the expensive part and inputs are bytes.
const LINEAR = Float64Array.from({ length: 256 }, (_, i) => toLinear(i));

/** An sRGB byte (0..255) as linear light (0..1). */
export function byteToLinear(byte: number): number {
  return LINEAR[byte] ?? 0;
}

/** Linear light as an sRGB byte, clipped to 0..255 as a sensor clips. */
export function linearToByte(linear: number): number {
  return fromLinear(linear);
}

// D65 reference white.
const XN = 0.95047;
const YN = 1.0;
const ZN = 1.08883;
const EPSILON = 216 / 24389;
const KAPPA = 24389 / 27;

const f = (t: number) => (t > EPSILON ? Math.cbrt(t) : (KAPPA * t + 16) / 116);
const fInverse = (t: number) => (t ** 3 > EPSILON ? t ** 3 : (116 * t - 16) / KAPPA);

export function rgbToLab(r: number, g: number, b: number): Lab {
  const lr = LINEAR[r] ?? 0;
  const lg = LINEAR[g] ?? 0;
  const lb = LINEAR[b] ?? 0;
  const x = (0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb) / XN;
  const y = (0.2126729 * lr + 0.7151522 * lg + 0.072175 * lb) / YN;
  const z = (0.0193339 * lr + 0.119192 * lg + 0.9503041 * lb) / ZN;
  const fx = f(x);
  const fy = f(y);
  const fz = f(z);
  return { l: 116 * fy - 16, a: 500 * (fx - fy), b: 200 * (fy - fz) };
}

export function labToRgb({ l, a, b }: Lab): [number, number, number] {
  const fy = (l + 16) / 116;
  const fx = fy + a / 500;
  const fz = fy - b / 200;
  const x = fInverse(fx) * XN;
  const y = (l > KAPPA * EPSILON ? fy ** 3 : l / KAPPA) * YN;
  const z = fInverse(fz) * ZN;
  return [
    fromLinear(3.2404542 * x - 1.5371385 * y - 0.4985314 * z),
    fromLinear(-0.969266 * x + 1.8760108 * y + 0.041556 * z),
    fromLinear(0.0556434 * x - 0.2040259 * y + 1.0572252 * z),
  ];
}

export function hexToLab(hex: string): Lab {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return rgbToLab((n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
}

export function labToHex(lab: Lab): string {
  return (
    '#' +
    labToRgb(lab)
      .map((c) => c.toString(16).padStart(2, '0'))
      .join('')
  );
}

export function distanceSquared(p: Lab, q: Lab): number {
  return (p.l - q.l) ** 2 + (p.a - q.a) ** 2 + (p.b - q.b) ** 2;
}

export function chroma(lab: Lab): number {
  return Math.hypot(lab.a, lab.b);
}
