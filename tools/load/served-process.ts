/**
 * `media-ai serve` as the load and stress tests run it: started through bin/media-ai.js on a free
 * loopback port with its own temp model cache and blob folder, waited for until /api/v1/health/ready
 * answers 200, stopped with SIGTERM. Scanning stays on, as deployed: beside a clamd of its own (the
 * test clamd of @media-ai/clamav, Debian's clamav-daemon with a test signature database) when
 * /usr/sbin/clamd is installed, else SCAN_FOR_MALWARE=false and the report says so. Peak RSS is the
 * server process's VmHWM (Linux), read just before it is stopped.
 * Must never touch a system clamd or an outside network; it only reads ../shared when present (models).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLAMD_BINARY, startClamd, type ClamdProcess } from '@media-ai/clamav/test-support';
import { freePort } from '@media-ai/contracts/test-support';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SHARED_MODELS = path.join(REPO, '..', 'shared', 'models');

export interface ServedProcess {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** What the server runs with, for the report ("clamd scanning", "scanning off: no clamd"). */
  scanning: string;
  /** Milliseconds from spawn to ready. */
  readyMs: number;
  /** The server's own pid (the node process bin/media-ai.js starts). */
  pid: number;
  /** Peak resident set of the server so far, bytes (VmHWM). */
  peakRssBytes(): number;
  /** SIGTERM, waits for the exit, removes the temp folders and stops clamd. Returns the exit code. */
  stop(): Promise<number | null>;
}

/** bin/media-ai.js runs the CLI as its child: the server is that child. */
function serverPid(launcher: number): number {
  try {
    const children = readFileSync(`/proc/${launcher}/task/${launcher}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return children.length === 1 ? Number(children[0]) : launcher;
  } catch {
    return launcher;
  }
}

/** A memory figure of /proc/<pid>/status (VmHWM: peak resident, VmRSS: resident now), bytes; 0 where /proc cannot tell (not Linux, process gone). */
export function processMemory(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export async function startServe(options: { env?: Record<string, string>; readyTimeoutMs?: number } = {}): Promise<ServedProcess> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'media-ai-load-'));
  const clamd: ClamdProcess | null = existsSync(CLAMD_BINARY) ? await startClamd() : null;
  const port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ENVIRONMENT: 'development',
    LOG_LEVEL: 'WARNING',
    HOST: '127.0.0.1',
    PORT: String(port),
    AI_MODEL_CACHE_DIR: path.join(dir, 'models'),
    MEDIA_AI_BLOB_DIR: path.join(dir, 'blobs'),
    // The models as a deployment's init container places them: ../shared/models in this checkout,
    // else AI_MODEL_SOURCE from the caller, else upstream.
    ...(process.env.AI_MODEL_SOURCE
      ? { AI_MODEL_SOURCE: process.env.AI_MODEL_SOURCE }
      : existsSync(SHARED_MODELS)
        ? { AI_MODEL_SOURCE: SHARED_MODELS }
        : {}),
    ...(clamd ? { SCAN_FOR_MALWARE: 'true', CLAMAV_HOST: clamd.host, CLAMAV_PORT: String(clamd.port) } : { SCAN_FOR_MALWARE: 'false' }),
    ...options.env,
  };
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [path.join(REPO, 'bin', 'media-ai.js'), 'serve'], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));

  const cleanup = async () => {
    await clamd?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  };
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 300_000);
  for (;;) {
    if (exitCode !== undefined) {
      await cleanup();
      throw new Error(`media-ai serve exited with ${exitCode} before it was ready:\n${stderr}`);
    }
    const ready = await fetch(`${origin}/api/v1/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      await cleanup();
      throw new Error(`media-ai serve was not ready within ${options.readyTimeoutMs ?? 300_000} ms:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const pid = serverPid(child.pid!);
  return {
    origin,
    scanning: clamd ? `SCAN_FOR_MALWARE=true, a local clamd (${CLAMD_BINARY})` : `SCAN_FOR_MALWARE=false (no ${CLAMD_BINARY} here)`,
    readyMs: performance.now() - started,
    pid,
    peakRssBytes: () => processMemory(pid, 'VmHWM'),
    stop: async () => {
      if (exitCode === undefined) child.kill('SIGTERM');
      const code = await exited;
      await cleanup();
      return code;
    },
  };
}

/**
 * The shape every served tool shares: start `media-ai serve`, run the measurement, print the lines it
 * returns on stdout, stop the server, and exit non-zero if the measurement threw or the server did not
 * stop cleanly on SIGTERM. `name` prefixes the failure line ("load-test failed: ...").
 */
export async function measureAgainstServe(
  name: string,
  options: Parameters<typeof startServe>[0],
  measure: (server: ServedProcess) => Promise<readonly string[]>,
): Promise<never> {
  const server = await startServe(options);
  let exitCode = 0;
  try {
    const lines = await measure(server);
    if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
  } catch (error) {
    process.stderr.write(`${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    exitCode = 1;
  } finally {
    const code = await server.stop();
    if (code !== 0) {
      process.stderr.write(`media-ai serve exited with ${code} on SIGTERM\n`);
      exitCode = 1;
    }
  }
  process.exit(exitCode);
}
