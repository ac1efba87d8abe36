/**
 * Runs a Lua script on Redis by its sha (EVALSHA), loading it with EVAL when Redis answers NOSCRIPT
 * (a restarted or failed-over Redis forgot it), so a script's text crosses the wire once per
 * connection's Redis, not on every call. Must never swallow an error: the caller decides what a
 * failure means (the join state retries, the cache reports).
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface LuaScript {
  source: string;
  sha: string;
}

export function luaScript(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

export async function runLua(
  redis: Redis,
  script: LuaScript,
  keys: readonly string[],
  args: ReadonlyArray<string | number>,
): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return redis.eval(script.source, keys.length, ...keys, ...args);
    throw error;
  }
}
