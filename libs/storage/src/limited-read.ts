/**
 * Reads a byte stream into one Buffer while counting: the size limit is enforced on the bytes that
 * actually arrive, so a missing or lying length header cannot make us buffer more than the limit.
 * Must never buffer more than `maxBytes` + one chunk.
 */
import { MediaAiError } from '@media-ai/contracts';

export async function readLimited(chunks: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  // Leaving the loop early (throw) calls the iterator's return(), which cancels the body / destroys
  // the stream, so the remaining bytes are never downloaded.
  for await (const chunk of chunks) {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge(maxBytes);
    parts.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(parts, total);
}

export function tooLarge(maxBytes: number, declared?: number): MediaAiError {
  return new MediaAiError('MEDIA_AI_PHOTO_TOO_LARGE', `The photo exceeds the limit of ${maxBytes} bytes`, {
    details: declared === undefined ? { maxBytes } : { maxBytes, declaredBytes: declared },
  });
}
