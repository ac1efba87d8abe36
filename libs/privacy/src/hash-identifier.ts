/**
 * Keyed hashes of identifiers, so a lost post and a found photo that show the same serial, IMEI or
 * passport number carry the same hash without either publishing the value: HMAC-SHA256 over
 * `kind:normalised value` with a key only the service holds (MEDIA_AI_IDENTIFIER_KEY, read by
 * libs/config). Without the key a hash cannot be recomputed from a guessed value, which a plain
 * SHA-256 of a 15-digit IMEI would allow in minutes. Pure computation (node:crypto), no I/O.
 *
 * Must never return the value, nor more of it than its last four characters.
 */
import { createHmac } from 'node:crypto';
import { normaliseIdentifier, type Identifier, type IdentifierKind } from './identifiers.js';

export interface HashedIdentifier {
  kind: IdentifierKind;
  /** Hex HMAC-SHA256 over `kind:normalised value`. */
  hash: string;
  /** The normalised value's last four characters, for a person to recognise it. */
  last4: string;
}

/** Shorter keys are a configuration mistake; 32 random bytes is what the chart's Secret holds. */
export const MIN_IDENTIFIER_KEY_BYTES = 16;

export function hashIdentifier(id: Identifier, key: Buffer): HashedIdentifier {
  if (!Buffer.isBuffer(key) || key.length < MIN_IDENTIFIER_KEY_BYTES) {
    throw new RangeError(`the identifier key must be a Buffer of at least ${MIN_IDENTIFIER_KEY_BYTES} bytes`);
  }
  // Idempotent: a value already normalised stays the same, a raw one is normalised here.
  const value = normaliseIdentifier(id.kind, id.value) ?? id.value;
  const hash = createHmac('sha256', key).update(`${id.kind}:${value}`, 'utf8').digest('hex');
  return { kind: id.kind, hash, last4: value.slice(-4) };
}

/**
 * A short public name of a key (8 hex characters of an HMAC under it): part of the cache keys of
 * results that carry hashes, so a rotated key never serves hashes made with the old one, and safe
 * to log. Reveals nothing of the key.
 */
export function identifierKeyId(key: Buffer): string {
  if (!Buffer.isBuffer(key) || key.length < MIN_IDENTIFIER_KEY_BYTES) {
    throw new RangeError(`the identifier key must be a Buffer of at least ${MIN_IDENTIFIER_KEY_BYTES} bytes`);
  }
  return createHmac('sha256', key).update('media-ai identifier key id', 'utf8').digest('hex').slice(0, 8);
}
