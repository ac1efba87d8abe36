/**
 * Reads what an OpenAI-compatible server says about its limits: `retry-after-ms` / `retry-after`
 * (seconds or an HTTP date) on a 429 or 503, and the `x-ratelimit-*` headers on every answer
 * (remaining requests and tokens, and when they reset, written as Go durations: "1s", "6m0s",
 * "20ms"). Servers that send none of them (most self-hosted ones) yield an empty result.
 *
 * Must never throw on a header it cannot read: a limit it cannot parse is a limit it ignores.
 */

export interface HeaderSource {
  get(name: string): string | null;
}

export interface ServerLimits {
  retryAfterMs?: number;
  remainingRequests?: number;
  resetRequestsMs?: number;
  remainingTokens?: number;
  resetTokensMs?: number;
}

export function readServerLimits(headers: HeaderSource | undefined | null, now: number = Date.now()): ServerLimits {
  if (!headers) return {};
  const limits: ServerLimits = {};
  const retryAfterMs = readRetryAfter(headers, now);
  if (retryAfterMs !== undefined) limits.retryAfterMs = retryAfterMs;
  const remainingRequests = count(headers.get('x-ratelimit-remaining-requests'));
  if (remainingRequests !== undefined) limits.remainingRequests = remainingRequests;
  const resetRequestsMs = duration(headers.get('x-ratelimit-reset-requests'));
  if (resetRequestsMs !== undefined) limits.resetRequestsMs = resetRequestsMs;
  const remainingTokens = count(headers.get('x-ratelimit-remaining-tokens'));
  if (remainingTokens !== undefined) limits.remainingTokens = remainingTokens;
  const resetTokensMs = duration(headers.get('x-ratelimit-reset-tokens'));
  if (resetTokensMs !== undefined) limits.resetTokensMs = resetTokensMs;
  return limits;
}

function readRetryAfter(headers: HeaderSource, now: number): number | undefined {
  const ms = Number(headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get('retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw) * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function count(raw: string | null): number | undefined {
  if (raw === null || !/^\s*\d+\s*$/.test(raw)) return undefined;
  return Number(raw);
}

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };

/** Go's time.Duration text ("1m30.5s", "250ms"); a bare number is seconds. */
export function duration(raw: string | null): number | undefined {
  const text = raw?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  return parts.reduce((ms, [, value, unit]) => ms + Number(value) * (UNIT_MS[unit!] ?? 0), 0);
}
