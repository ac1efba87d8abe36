/**
 * Vitest global set-up for `npm test`: the Redis-backed tests need a real redis-server. When none
 * answers at REDIS_URL (default 127.0.0.1:6379), a scratch one (loopback, no persistence, a free
 * port) is started for the run and its URL handed to the tests as MEDIA_AI_TEST_REDIS_URL; it is
 * stopped afterwards. That redis-server is installed was checked before (system-requirements-setup.ts
 * runs first). Never touches a Redis it did not start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '@media-ai/contracts/test-support';
import { answers, configuredRedisUrl } from './redis-url.js';

export default async function setup(): Promise<(() => Promise<void>) | void> {
  const configured = configuredRedisUrl();
  if (await answers(configured)) {
    process.env.MEDIA_AI_TEST_REDIS_URL = configured;
    return;
  }
  const port = await freePort();
  let server: ChildProcess;
  try {
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.once('spawn', () => resolve());
    });
  } catch {
    // No redis-server: system-requirements-setup.ts has already stopped the run if a selected project needs one.
    return;
  }
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await answers(url)); i++) await new Promise((r) => setTimeout(r, 100));
  process.env.MEDIA_AI_TEST_REDIS_URL = url;
  return async () => {
    server.kill('SIGTERM');
  };
}
