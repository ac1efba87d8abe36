/**
 * Last privacy gate before a photo leaves for a third party: walks the JPEG's segments and drops
 * every metadata segment (EXIF and XMP in APP1 — GPS lives there —, IPTC in APP13, comments, vendor
 * APPn, multi-picture data) plus anything after the end-of-image marker, keeping only what a decoder
 * needs (tables, frames, scans, JFIF, ICC profile, Adobe colour transform). Lossless: pixel data is
 * copied byte for byte.
 *
 * The fetcher already strips metadata; this is defence in depth, because a regression there would
 * otherwise ship owners' home coordinates to an API. Must never re-encode the image or pass through a
 * byte it did not understand as JPEG structure.
 */
import { MediaAiError } from '@media-ai/contracts';

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const COM = 0xfe;
const APP0 = 0xe0;
const APP2 = 0xe2;
const APP14 = 0xee;
const APP15 = 0xef;

export interface StrippedJpeg {
  bytes: Buffer;
  /** Names of the segments removed (e.g. 'APP1', 'COM', 'trailer'), for counters and logs. */
  removed: string[];
}

export function isJpeg(bytes: Buffer): boolean {
  return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === SOI && bytes[2] === 0xff;
}

/** Rejects non-JPEG input (UNSUPPORTED_TYPE) and truncated or garbled structure (CORRUPT). */
export function stripJpegMetadata(input: Buffer): StrippedJpeg {
  if (!isJpeg(input)) {
    throw new MediaAiError('MEDIA_AI_PHOTO_UNSUPPORTED_TYPE', 'Only a normalized JPEG may be sent to the vision model');
  }
  const kept: Buffer[] = [input.subarray(0, 2)];
  const removed: string[] = [];
  let pos = 2;

  while (pos < input.length) {
    if (input[pos] !== 0xff) throw corrupt(`expected a marker at byte ${pos}`);
    // Any number of 0xFF fill bytes may precede a marker code.
    while (input[pos + 1] === 0xff) pos += 1;
    const marker = input[pos + 1];
    if (marker === undefined) throw corrupt('truncated marker');
    if (marker === EOI) {
      kept.push(input.subarray(pos, pos + 2));
      if (pos + 2 < input.length) removed.push('trailer');
      return { bytes: Buffer.concat(kept), removed };
    }
    if (marker >= 0xd0 && marker <= 0xd7) throw corrupt('restart marker outside a scan');
    if (pos + 4 > input.length) throw corrupt('truncated segment header');
    const length = input.readUInt16BE(pos + 2);
    const end = pos + 2 + length;
    if (length < 2 || end > input.length) throw corrupt(`segment 0x${marker.toString(16)} overruns the file`);

    if (isMetadata(marker, input.subarray(pos + 4, end))) {
      removed.push(marker === COM ? 'COM' : `APP${marker - APP0}`);
    } else {
      kept.push(input.subarray(pos, end));
    }
    pos = end;

    if (marker === SOS) {
      // Entropy-coded data runs until the next marker that is not a stuffed 0xFF00 or a restart.
      const dataEnd = scanEnd(input, pos);
      kept.push(input.subarray(pos, dataEnd));
      pos = dataEnd;
    }
  }
  throw corrupt('no end-of-image marker');
}

function isMetadata(marker: number, payload: Buffer): boolean {
  if (marker === COM) return true;
  if (marker < APP0 || marker > APP15) return false;
  if (marker === APP0) return false; // JFIF: density and version, needed by some decoders.
  if (marker === APP2) return !payload.subarray(0, 12).equals(Buffer.from('ICC_PROFILE\0', 'latin1'));
  if (marker === APP14) return !payload.subarray(0, 5).equals(Buffer.from('Adobe', 'latin1'));
  return true;
}

function scanEnd(input: Buffer, from: number): number {
  let pos = from;
  while (pos < input.length - 1) {
    if (input[pos] === 0xff) {
      const next = input[pos + 1]!;
      if (next !== 0x00 && next !== 0xff && !(next >= 0xd0 && next <= 0xd7)) return pos;
    }
    pos += 1;
  }
  throw corrupt('scan data runs past the end of the file');
}

function corrupt(reason: string): MediaAiError {
  return new MediaAiError('MEDIA_AI_PHOTO_CORRUPT', `The normalized JPEG is malformed: ${reason}`);
}
