/**
 * Test-only: a stage service as a deployment runs it — its own Node process started from its real
 * entry point (services/<stage>/src/main.ts, through tsx as in a checkout) with its own environment
 * and port — plus what a test does to it: wait until /api/v1/health/ready says ready, SIGKILL it,
 * SIGTERM it and read its exit code. Its output is kept for the failure message, and a test may watch
 * it line by line (the chaos run kills a stage right after it logs that it took a batch).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StageName } from '@media-ai/contracts';
import { freePort } from '@media-ai/contracts/test-support';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export type { StageName };

/** Last lines of output kept per process: enough to explain a failure, bounded for a long run. */
const OUTPUT_LINES = 200;

export class StageProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<number | null> = Promise.resolve(null);
  private readonly output: string[] = [];
  private readonly lineListeners = new Set<(line: string) => void>();

  private constructor(
    readonly stage: StageName,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  static async create(stage: StageName, env: Record<string, string>): Promise<StageProcess> {
    return new StageProcess(stage, await freePort(), env);
  }

  start(): void {
    const entry = path.join(REPO_ROOT, 'services', this.stage, 'src', 'main.ts');
    const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', entry], {
      cwd: REPO_ROOT,
      // Nothing from the test runner's environment but what node itself needs.
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...this.env, HOST: '127.0.0.1', PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (line: string) => {
      if (!line.trim()) return;
      this.output.push(line);
      if (this.output.length > OUTPUT_LINES) this.output.shift();
      for (const listener of this.lineListeners) listener(line);
    };
    for (const stream of [child.stdout!, child.stderr!]) {
      // A chunk may end inside a line: its start waits for the next chunk of the same stream.
      let partial = '';
      stream.on('data', (chunk: Buffer) => {
        const lines = (partial + chunk.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        lines.forEach(keep);
      });
      stream.on('end', () => keep(partial));
    }
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    this.child = child;
  }

  /** Calls `listener` with every line of output from now on; returns what stops it. */
  onLine(listener: (line: string) => void): () => void {
    this.lineListeners.add(listener);
    return () => void this.lineListeners.delete(listener);
  }

  /** Resolves with the exit code (null when a signal ended it) once the process has exited. */
  whenExited(): Promise<number | null> {
    return this.exited;
  }

  /** The process's pid while it runs (the node process itself: tsx loads in it), else null. */
  get pid(): number | null {
    return this.running ? (this.child!.pid ?? null) : null;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once the service says it is ready (models loaded, in its consumer group). */
  async waitReady(timeoutMs = 180_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (!this.running) throw new Error(`${this.stage} exited before it was ready:\n${this.logs()}`);
      try {
        const response = await fetch(`http://127.0.0.1:${this.port}/api/v1/health/ready`);
        if (response.ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`${this.stage} was not ready within ${timeoutMs} ms:\n${this.logs()}`);
  }

  /** A crash: no shutdown, no commit, no leaving the group. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** What Kubernetes does on a rollout; resolves with the exit code. */
  async terminate(): Promise<number | null> {
    if (!this.running) return this.exited;
    this.child!.kill('SIGTERM');
    return this.exited;
  }

  logs(): string {
    return `--- ${this.stage} (port ${this.port}) ---\n${this.output.join('\n')}`;
  }
}
