/**
 * `npx media-ai serve`, the README's command, stopped the way a terminal or supervisor stops it:
 * SIGTERM to the npx process. npm's exec exits without passing the signal on, so bin/media-ai.js
 * notices it was orphaned and stops the server as SIGTERM would. Asserted for real, on Linux's
 * process table: the request in flight still answers, the port closes and no process of the
 * command's tree is left.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostEnhancedEvent } from '@media-ai/contracts';
import { freePort } from '@media-ai/contracts/test-support';
import { photoUrl, testEnv, type TestEnv } from '../test-support/pipeline-env.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

let env: TestEnv;
beforeAll(() => {
  env = testEnv();
});
afterAll(() => env?.cleanup());

/** pid -> [parent pid, state] of every process, from /proc. */
function processTable(): Map<number, { ppid: number; state: string }> {
  const table = new Map<number, { ppid: number; state: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name (field 2) may hold spaces and parentheses: read after its closing one.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(entry), { ppid: Number(ppid), state: state! });
    } catch {
      // Gone between the listing and the read.
    }
  }
  return table;
}

function descendantsOf(pid: number): number[] {
  const table = processTable();
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [child, { ppid }] of table) {
      if (ppid === parent) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** Still running: present and not a zombie waiting for its (new) parent to reap it. */
function running(pids: readonly number[]): number[] {
  const table = processTable();
  return pids.filter((pid) => table.has(pid) && table.get(pid)!.state !== 'Z');
}

function describeProcess(pid: number): string {
  try {
    return `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').slice(0, 160)}`;
  } catch {
    return `${pid}: (gone)`;
  }
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe('npx media-ai serve', () => {
  it('stops when npx gets SIGTERM: the request in flight answers, the port closes, no orphan remains', async () => {
    const port = await freePort();
    const base = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' };
    const npx = spawn('npx', ['media-ai', 'serve'], {
      cwd: REPO_ROOT,
      // Scanning (on by default for serve) needs a clamd; this asks only about stopping.
      env: { ...base, ...env.env, HOST: '127.0.0.1', PORT: String(port), SCAN_FOR_MALWARE: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    npx.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    npx.stdout.resume();
    const npxExited = new Promise<void>((resolve) => npx.once('exit', () => resolve()));
    let tree: number[] = [];
    try {
      const ready = await until(
        () =>
          fetch(`http://127.0.0.1:${port}/api/v1/health/ready`).then(
            (r) => r.status === 200,
            () => false,
          ),
        240_000,
      );
      expect(ready, stderr.slice(-2000)).toBe(true);
      tree = descendantsOf(npx.pid!);
      // npm's exec, its shell, bin/media-ai.js and the server at least.
      expect(tree.length).toBeGreaterThanOrEqual(2);

      const inFlight = fetch(`http://127.0.0.1:${port}/api/v1/photos/analyze`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ photo_urls: [photoUrl('phone_with_powerbank.jpg')] }),
      });
      // On a loopback socket the request is with the server well within this.
      await new Promise((resolve) => setTimeout(resolve, 500));
      npx.kill('SIGTERM');
      await npxExited;

      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as PostEnhancedEvent).event_type).toBe('post.enhanced');

      expect(await until(async () => !(await listening(port)), 60_000), 'port still open').toBe(true);
      const stopped = await until(() => running(tree).length === 0, 60_000);
      expect(stopped, `left running:\n${running(tree).map(describeProcess).join('\n')}`).toBe(true);
    } finally {
      // A failed assertion must not leave this test's own processes behind.
      for (const pid of running(tree)) process.kill(pid, 'SIGKILL');
      if (npx.exitCode === null) npx.kill('SIGKILL');
    }
  }, 360_000);
});
