/**
 * The review desk's settings: who may review, for which tenant (MEDIA_AI_REVIEW_TOKENS, from a
 * Secret), and how often they may call it (REVIEW_RATE_LIMIT_PER_MINUTE). No tokens: the desk is off
 * (its routes answer 404). Must never echo a token, not even in an error naming the variable.
 */
import { z } from 'zod';
import { crossFieldIssue, integer, text } from './env-fields.js';

/** One reviewer: their name goes into logs, decisions and rate-limit keys; the token never does. */
export interface ReviewToken {
  /** The tenant (organization id) whose posts the reviewer sees, and only those. */
  tenant: string;
  name: string;
  token: string;
}

export interface ReviewSettings {
  /** MEDIA_AI_REVIEW_TOKENS; empty: the desk is off. */
  tokens: ReviewToken[];
  /** Requests per reviewer (or address, before signing in) per minute. */
  ratePerMinute: number;
}

/** Letters, digits, '.', '_', '-' (organization ids are UUIDs or slugs). */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** As the API's tokens: printable ASCII without spaces or commas, long enough not to be guessed. */
const TOKEN = /^[\x21-\x2b\x2d-\x7e]{32,256}$/;

/**
 * `tenant:name:token[,...]`. Problems name the entry by position, never by its text.
 * @returns the tokens, or a problem to report.
 */
function parseReviewTokens(raw: string): ReviewToken[] | string {
  const tokens: ReviewToken[] = [];
  for (const [index, entry] of raw.split(',').entries()) {
    const item = entry.trim();
    if (item === '') continue;
    const [tenant = '', name = '', ...rest] = item.split(':');
    const token = rest.join(':');
    const where = `entry ${index + 1}`;
    if (!NAME.test(tenant) || !NAME.test(name)) {
      return `${where}: expected tenant:name:token, tenant and name of letters, digits, '.', '_' or '-'`;
    }
    if (!TOKEN.test(token)) {
      return `${where}: expected a token of 32 to 256 printable characters without spaces or commas (e.g. openssl rand -hex 32)`;
    }
    if (tokens.some((t) => t.name === name)) return `${where}: its name is already used by another entry`;
    if (tokens.some((t) => t.token === token)) return `${where}: its token is already listed under another name`;
    tokens.push({ tenant, name, token });
  }
  return tokens;
}

export const reviewSchema = z
  .object({
    MEDIA_AI_REVIEW_TOKENS: text({ secret: true }),
    REVIEW_RATE_LIMIT_PER_MINUTE: integer(1, 100_000),
  })
  .transform((env, ctx): ReviewSettings => {
    const tokens = env.MEDIA_AI_REVIEW_TOKENS === undefined ? [] : parseReviewTokens(env.MEDIA_AI_REVIEW_TOKENS);
    if (typeof tokens === 'string') crossFieldIssue(ctx, 'MEDIA_AI_REVIEW_TOKENS', tokens);
    // A reviewer works a post in a handful of requests; 120 a minute leaves room for a fast one.
    return { tokens: typeof tokens === 'string' ? [] : tokens, ratePerMinute: env.REVIEW_RATE_LIMIT_PER_MINUTE ?? 120 };
  });
