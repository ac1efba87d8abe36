/**
 * The key of the identifier hashes (MEDIA_AI_IDENTIFIER_KEY): serial numbers, IMEIs, document and
 * card numbers leave the service only as HMAC-SHA256 under it, so a lost post naming an identifier
 * and a found photo showing it carry the same hash while nobody can recompute one from a guessed
 * value. Every process that hashes (fetcher, ocr, and `media-ai serve`, which runs them) must use the
 * same key, and a changed key makes older hashes unmatchable.
 *
 * Without the variable, development uses DEVELOPMENT_IDENTIFIER_KEY: fixed, so hashes are stable
 * within a run and across the processes of a development deployment, and public, so they protect
 * nothing (the hosts say so loudly). Staging and production refuse to start a process that hashes
 * without the variable (identifierKeyOf). Must never echo the key in a message or a description.
 */
import { z } from 'zod';
import type { Environment } from './app.js';
import { ConfigError } from './config-error.js';
import { text } from './env-fields.js';

/** At least 32 characters: 128 bits or more as `openssl rand -base64 32` (44) or `-hex 16` (32) writes them. */
export const MIN_IDENTIFIER_KEY_CHARS = 32;

/** The development key: public (it is in the source), never for real posts. */
export const DEVELOPMENT_IDENTIFIER_KEY = 'media-ai development identifier key: public, never for real posts';

export interface PrivacySettings {
  /** MEDIA_AI_IDENTIFIER_KEY; null when not set (see identifierKeyOf). */
  identifierKey: string | null;
}

export const privacySchema = z
  .object({ MEDIA_AI_IDENTIFIER_KEY: text({ secret: true }) })
  .superRefine((env, ctx) => {
    const key = env.MEDIA_AI_IDENTIFIER_KEY;
    if (key !== undefined && key.length < MIN_IDENTIFIER_KEY_CHARS) {
      ctx.addIssue({
        code: 'custom',
        path: ['MEDIA_AI_IDENTIFIER_KEY'],
        message: `expected at least ${MIN_IDENTIFIER_KEY_CHARS} characters (e.g. openssl rand -base64 32), got <redacted, ${key.length} characters>`,
      });
    }
  })
  .transform((env): PrivacySettings => ({ identifierKey: env.MEDIA_AI_IDENTIFIER_KEY ?? null }));

export interface IdentifierKey {
  /** The HMAC key: the variable's UTF-8 bytes. */
  key: Buffer;
  /** 'development': the public development key (hashes protect nothing; say so at start-up). */
  source: 'configured' | 'development';
}

/**
 * The key a process that hashes identifiers uses. @throws ConfigError naming MEDIA_AI_IDENTIFIER_KEY
 * outside development when it is not set: hashes under a public key could be recomputed by anyone.
 */
export function identifierKeyOf(config: { app: { environment: Environment }; privacy: PrivacySettings }): IdentifierKey {
  const configured = config.privacy.identifierKey;
  if (configured) return { key: Buffer.from(configured, 'utf8'), source: 'configured' };
  if (config.app.environment === 'development') return { key: Buffer.from(DEVELOPMENT_IDENTIFIER_KEY, 'utf8'), source: 'development' };
  throw new ConfigError([
    {
      variable: 'MEDIA_AI_IDENTIFIER_KEY',
      problem: `expected a key of at least ${MIN_IDENTIFIER_KEY_CHARS} characters in ${config.app.environment} (identifiers are published only as keyed hashes), got nothing`,
    },
  ]);
}
