/**
 * Test-only generators for the hostile-input corpus: every hostile file is built in memory from a
 * few bytes or a real photo, so nothing large is committed. Never imported by product code.
 */
import { crc32 } from 'node:zlib';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** A valid PNG whose IHDR claims width x height (a decompression bomb header, a few dozen bytes). */
export function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body) >>> 0, body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(64))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A real JPEG whose frame header (SOF0/1/2) is rewritten to claim width x height. */
export function jpegClaiming(jpeg: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(jpeg);
  for (let at = 2; at + 9 < out.length;) {
    if (out[at] !== 0xff) throw new Error('not a marker: the input is not a baseline JPEG');
    const marker = out[at + 1] ?? 0;
    const length = out.readUInt16BE(at + 2);
    if (marker >= 0xc0 && marker <= 0xc2) {
      out.writeUInt16BE(height, at + 5);
      out.writeUInt16BE(width, at + 7);
      return out;
    }
    at += 2 + length;
  }
  throw new Error('no frame header found');
}

/** An ISO-BMFF file type box with the given brands: what HEIC/AVIF files start with. */
export function ftyp(major: string, ...compatible: string[]): Buffer {
  const body = Buffer.from(`ftyp${major}\0\0\0\0${compatible.join('')}`, 'latin1');
  const size = Buffer.alloc(4);
  size.writeUInt32BE(body.length + 4);
  return Buffer.concat([size, body, Buffer.alloc(256, 0x11)]);
}

/** A 2x2 24-bit BMP. */
export function bmp(): Buffer {
  const header = Buffer.alloc(54);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(54 + 16, 2);
  header.writeUInt32LE(54, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(2, 18);
  header.writeInt32LE(2, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(24, 28);
  return Buffer.concat([header, Buffer.alloc(16, 0x80)]);
}

const solid = (colour: string) => sharp({ create: { width: 16, height: 16, channels: 3, background: colour } });

export async function otherFormats(): Promise<{ gif: Buffer; animatedGif: Buffer; tiff: Buffer; avif: Buffer }> {
  const frames = await Promise.all([solid('#ff0000').png().toBuffer(), solid('#0000ff').png().toBuffer()]);
  const [gif, animatedGif, tiff, avif] = await Promise.all([
    solid('#00ff00').gif().toBuffer(),
    sharp(frames, { join: { animated: true } })
      .gif({ delay: [100, 100] })
      .toBuffer(),
    solid('#123456').tiff().toBuffer(),
    solid('#654321').avif().toBuffer(),
  ]);
  return { gif, animatedGif, tiff, avif };
}

/** SVG that would make a renderer fetch the cloud metadata address and read a local file. */
export const SVG_WITH_EXTERNAL_REFS = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE svg [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="100">
  <image xlink:href="http://169.254.169.254/latest/meta-data/iam/security-credentials/" width="100" height="100"/>
  <text>&xxe;</text>
</svg>`;

export const HTML_PAGE =
  '<!DOCTYPE html><html><head><title>Login</title></head><body><form>Sign in to view this photo</form></body></html>';
