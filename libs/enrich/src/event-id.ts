/**
 * Deterministic event ids (RFC 4122 version 5: SHA-1 of a fixed namespace + name), so a replay of the
 * same post revision yields the same id and downstream consumers can deduplicate on it. Must never
 * use randomness or the clock: that would make every redelivery look like a new event.
 */
import { createHash } from 'node:crypto';

/** media-ai's own namespace (a fixed random v4 UUID; changing it changes every published id). */
export const MEDIA_AI_EVENT_NAMESPACE = '6f1c9a52-3b7e-4d28-9e41-0a5d7c2b8f63';

export function uuidV5(name: string, namespace: string = MEDIA_AI_EVENT_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new Error(`namespace is not a UUID: ${namespace}`);
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Id of the post.enhanced event for one post revision. */
export function enrichmentEventId(postId: string, revision: number): string {
  return uuidV5(`post.enhanced:${postId}:${revision}`);
}

/** Id of the processing.error event for one post revision (differs from the enrichment id). */
export function processingErrorEventId(postId: string, revision: number): string {
  return uuidV5(`processing.error:${postId}:${revision}`);
}
