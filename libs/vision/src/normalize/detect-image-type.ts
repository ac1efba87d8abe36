/**
 * Says what a byte buffer really is from its magic bytes, because the declared type (HTTP header,
 * file name, fn-posts' `mime_type`) is whatever the uploader claimed. Must never look at anything
 * but the bytes, and never decode them.
 */

export type ImageType = 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'heic' | 'avif' | 'bmp' | 'svg' | 'html' | 'xml' | 'pdf' | 'unknown';

/** Media type per detected type (what ALLOWED_IMAGE_TYPES lists). */
export const IMAGE_MEDIA_TYPES: Record<ImageType, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  tiff: 'image/tiff',
  heic: 'image/heic',
  avif: 'image/avif',
  bmp: 'image/bmp',
  svg: 'image/svg+xml',
  html: 'text/html',
  xml: 'application/xml',
  pdf: 'application/pdf',
  unknown: 'application/octet-stream',
};

const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

export function detectImageType(bytes: Uint8Array): ImageType {
  const starts = (...sig: number[]) => sig.every((byte, i) => bytes[i] === byte);
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));

  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'gif';
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'tiff';
  if (ascii(4, 8) === 'ftyp') {
    // ISO-BMFF: the major brand (and, for 'mif1'-style files, the compatible brands) names the codec.
    const brands = [ascii(8, 12)];
    const boxSize = ((bytes[0] ?? 0) << 24) | ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0);
    for (let at = 16; at + 4 <= Math.min(boxSize, 64, bytes.length); at += 4) brands.push(ascii(at, at + 4));
    if (brands.some((brand) => AVIF_BRANDS.has(brand))) return 'avif';
    if (brands.some((brand) => HEIC_BRANDS.has(brand))) return 'heic';
    return 'unknown';
  }
  if (ascii(0, 2) === 'BM' && bytes.length > 14) return 'bmp';
  if (ascii(0, 5) === '%PDF-') return 'pdf';
  return detectText(bytes);
}

/** SVG, HTML and XML are text: skip a BOM, whitespace and comments/prologue, then look at the first tag. */
function detectText(bytes: Uint8Array): ImageType {
  let head = Buffer.from(bytes.subarray(0, 1024))
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (!head.startsWith('<')) return 'unknown';
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<head') || head.startsWith('<body')) return 'html';
  const isXml = head.startsWith('<?xml');
  // Drop the XML declaration, comments and a DOCTYPE (with its internal subset: entity declarations
  // carry their own `>`, and XXE payloads live there) to reach the root element.
  head = head.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!doctype[^>[]*(?:\[[\s\S]*?\])?\s*>/g, '').trimStart();
  if (head.startsWith('<svg')) return 'svg';
  if (head.startsWith('<html')) return 'html';
  return isXml ? 'xml' : 'unknown';
}
