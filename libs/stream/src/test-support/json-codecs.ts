/**
 * Test stand-in for the real codecs: JSON for every topic, so runner tests exercise encode and
 * decode (including an undecodable record) without the schema registry. Never used by product code.
 */
import type { Codec, Codecs } from '@media-ai/contracts';

export const jsonCodec: Codec = {
  async encode(value) {
    if (value === undefined) throw new TypeError('Cannot encode undefined');
    return Buffer.from(JSON.stringify(value));
  },
  async decode(bytes) {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  },
};

export const jsonCodecs: Codecs = { forTopic: () => jsonCodec };

export function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

export function parse(bytes: Buffer): unknown {
  return JSON.parse(bytes.toString('utf8')) as unknown;
}
