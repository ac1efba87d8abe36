/**
 * Which Redis the tests use and whether it answers: read by the vitest set-up (redis-global-setup.ts,
 * system-requirements-setup.ts) and by the system-requirements CLI that .ci/run calls before any
 * test. Imports nothing of the workspace: the CLI runs under plain `node --import tsx`, without the
 * `development` condition the packages' test-support subpaths need.
 */
import net from 'node:net';

const DEFAULT_URL = 'redis://127.0.0.1:6379';

/** The Redis the tests are pointed at unless a scratch one is started. */
export const configuredRedisUrl = (): string => process.env.REDIS_URL || DEFAULT_URL;

/** Whether a Redis answers PING at the URL. */
export function answers(url: string, timeoutMs = 500): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}
