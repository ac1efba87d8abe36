/**
 * Test-only: a redis-server of a run's own, on a free port with its own folder — never the shared
 * Redis other suites use, and empty when it starts (the stage bench relies on it: no result-cache
 * entry from an earlier run can answer). The chaos run stops it and starts it again: durable (the
 * default), it keeps an append-only file synced on every write and is stopped with SIGTERM (it saves
 * and exits, as a Redis pod does on a rollout), so it comes back with what it held: the outage tests
 * the stages riding it out, not a Redis losing data. Not durable, it writes nothing to disk, so no
 * fsync sits in a measured run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '@media-ai/contracts/test-support';

export interface RedisServer {
  /** redis://127.0.0.1:<port>/0 */
  readonly url: string;
  readonly running: boolean;
  /** The redis-server process's pid while it runs (for its CPU time), else null. */
  readonly pid: number | null;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startRedisServer(options: { durable?: boolean } = {}): Promise<RedisServer> {
  const durable = options.durable ?? true;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'media-ai-test-redis-'));
  const persistence = durable ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const port = await freePort();
  let child: ChildProcess | null = null;

  async function start(): Promise<void> {
    const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...persistence, '--save', ''], {
      stdio: 'ignore',
    });
    child = started;
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      for (let tries = 0; ; tries++) {
        if (started.exitCode !== null) throw new Error(`redis-server exited with ${started.exitCode} on port ${port}`);
        const answered = await probe
          .connect()
          .then(() => probe.ping())
          .catch(() => null);
        if (answered === 'PONG') return;
        if (tries > 100) throw new Error(`redis-server did not answer on port ${port}`);
        probe.disconnect();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      probe.disconnect();
    }
  }

  async function stop(): Promise<void> {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}/0`,
    get running() {
      return child !== null && child.exitCode === null;
    },
    get pid() {
      return child !== null && child.exitCode === null ? (child.pid ?? null) : null;
    },
    stop,
    start,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
