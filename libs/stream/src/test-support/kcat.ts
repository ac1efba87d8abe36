/**
 * Test support (`@media-ai/stream/test-support/kcat`): the real kcat binary (librdkafka, Debian package `kcat`) as
 * a second Kafka client for suites that talk to the test broker or a real cluster — one-shot runs
 * with stdin and a time limit, long-running consumers whose output is read as it comes, kcat's JSON
 * envelope (-J) parsed. Test code only. It never skips: without kcat on the PATH, requireKcat() throws
 * the one line that says how to install it.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';

/** One record as `kcat -C -J` prints it (headers as a flat name, value, name, value… list). */
export interface KcatRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  payload: string | null;
  headers?: string[];
}

export interface KcatRun {
  code: number | null;
  stdout: string;
  /** stdout as bytes, for binary payloads (-f with %s). */
  stdoutBytes: Buffer;
  stderr: string;
}

/** kcat's version line (kcat and librdkafka versions), or an error naming the package to install. */
export function requireKcat(): string {
  const probe = spawnSync('kcat', ['-V'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    throw new Error('kcat is not installed (the librdkafka client these tests drive): apt-get install kcat');
  return probe.stdout.split('\n').find((line) => line.startsWith('Version')) ?? probe.stdout.trim();
}

/** Runs kcat against `bootstrap` to completion; rejects with its output if it outlives `timeoutMs`. */
export async function runKcat(bootstrap: string, args: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<KcatRun> {
  const child = spawn('kcat', ['-b', bootstrap, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin.end(options.input ?? '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  const stdoutBytes = Buffer.concat(stdout);
  if (signal === 'SIGKILL')
    throw new Error(`kcat ${args.join(' ')} ran past ${timeoutMs} ms\nstdout: ${stdoutBytes.toString()}\nstderr: ${stderr}`);
  return { code, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr };
}

/** The records of `kcat -C -J` output. */
export function parseKcatRecords(stdout: string): KcatRecord[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as KcatRecord);
}

/** kcat's -J headers list as an object. */
export function kcatHeaders(record: KcatRecord): Record<string, string> {
  const headers: Record<string, string> = {};
  const list = record.headers ?? [];
  for (let i = 0; i + 1 < list.length; i += 2) headers[list[i]!] = list[i + 1]!;
  return headers;
}

/** A kcat that keeps running (a group consumer), with what it printed so far. */
export interface RunningKcat {
  process: ChildProcessWithoutNullStreams;
  records(): KcatRecord[];
  stderr(): string;
  /** SIGTERM (kcat then leaves its group and commits) and wait for the exit code. */
  stop(): Promise<number | null>;
}

export function startKcat(bootstrap: string, args: string[]): RunningKcat {
  const child = spawn('kcat', ['-b', bootstrap, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return {
    process: child,
    // Only whole lines: the last one may still be arriving.
    records: () => parseKcatRecords(stdout.slice(0, stdout.lastIndexOf('\n') + 1)),
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return (await exited)[0];
    },
  };
}
