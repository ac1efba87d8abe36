/**
 * The HTTP listener (HOST, PORT, WORKERS), its browser-facing policy (CORS_*, ALLOWED_HOSTS), who may
 * call it (MEDIA_AI_API_TOKENS) and how often (API_RATE_LIMIT_PER_MINUTE, API_RATE_LIMIT_PER_HOUR).
 * Must never open a socket (libs/http does that with these values), and never echo a token, not
 * even in an error naming the variable.
 */
import { z } from 'zod';
import { boolean, crossFieldIssue, integer, list, text } from './env-fields.js';

/** One caller of the API: the name goes into logs and rate-limit keys, the token never does. */
export interface ApiToken {
  name: string;
  token: string;
}

export interface CorsSettings {
  /** Empty means no cross-origin access. */
  origins: string[];
  allowCredentials: boolean;
  allowMethods: string[];
  allowHeaders: string[];
}

export interface ServerSettings {
  host: string;
  port: number;
  /** Kept for parity with the guide's uvicorn workers; Node scales by replicas, so 1 by default. */
  workers: number;
  cors: CorsSettings;
  /** Host header allow-list; empty means any host. */
  allowedHosts: string[];
  /** MEDIA_AI_API_TOKENS; empty: the API is open (development only: production refuses to serve). */
  apiTokens: ApiToken[];
  /** Requests per client (token name, else address) and window; 0 turns a window off. */
  rateLimit: { perMinute: number; perHour: number };
}

const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Printable ASCII without spaces or commas (the list separator), long enough not to be guessed. */
const TOKEN = /^[\x21-\x2b\x2d-\x7e]{32,256}$/;

/**
 * `name:token[,name:token...]`. Problems name the entry by position, never by its text: a token
 * pasted without its name would otherwise be echoed as one.
 * @returns the tokens, or a problem to report.
 */
function parseApiTokens(raw: string): ApiToken[] | string {
  const tokens: ApiToken[] = [];
  for (const [index, entry] of raw.split(',').entries()) {
    const item = entry.trim();
    if (item === '') continue;
    const colon = item.indexOf(':');
    const name = colon > 0 ? item.slice(0, colon) : '';
    const token = colon > 0 ? item.slice(colon + 1) : '';
    const where = `entry ${index + 1}`;
    if (!TOKEN_NAME.test(name)) return `${where}: expected name:token, the name of letters, digits, '.', '_' or '-'`;
    if (!TOKEN.test(token)) {
      return `${where}: expected a token of 32 to 256 printable characters without spaces or commas (e.g. openssl rand -hex 32)`;
    }
    if (tokens.some((t) => t.name === name)) return `${where}: its name is already used by another entry`;
    if (tokens.some((t) => t.token === token)) return `${where}: its token is already listed under another name`;
    tokens.push({ name, token });
  }
  return tokens;
}

export const serverSchema = z
  .object({
    HOST: text(),
    PORT: integer(1, 65535),
    WORKERS: integer(1, 64),
    CORS_ORIGINS: list('origins'),
    CORS_ALLOW_CREDENTIALS: boolean(),
    CORS_ALLOW_METHODS: list('HTTP methods', (m) => /^[A-Za-z]+$/.test(m) || m === '*'),
    CORS_ALLOW_HEADERS: list('header names'),
    ALLOWED_HOSTS: list('host names'),
    MEDIA_AI_API_TOKENS: text({ secret: true }),
    API_RATE_LIMIT_PER_MINUTE: integer(0, 1_000_000),
    API_RATE_LIMIT_PER_HOUR: integer(0, 100_000_000),
  })
  .transform((env, ctx): ServerSettings => {
    const apiTokens = env.MEDIA_AI_API_TOKENS === undefined ? [] : parseApiTokens(env.MEDIA_AI_API_TOKENS);
    if (typeof apiTokens === 'string') crossFieldIssue(ctx, 'MEDIA_AI_API_TOKENS', apiTokens);
    return {
      host: env.HOST ?? '0.0.0.0',
      port: env.PORT ?? 8000,
      workers: env.WORKERS ?? 1,
      cors: {
        origins: env.CORS_ORIGINS ?? [],
        allowCredentials: env.CORS_ALLOW_CREDENTIALS ?? false,
        allowMethods: (env.CORS_ALLOW_METHODS ?? ['GET', 'POST', 'OPTIONS']).map((m) => m.toUpperCase()),
        allowHeaders: env.CORS_ALLOW_HEADERS ?? ['*'],
      },
      allowedHosts: env.ALLOWED_HOSTS ?? [],
      apiTokens: typeof apiTokens === 'string' ? [] : apiTokens,
      // The deployment guide's limits per client.
      rateLimit: { perMinute: env.API_RATE_LIMIT_PER_MINUTE ?? 100, perHour: env.API_RATE_LIMIT_PER_HOUR ?? 1000 },
    };
  });
