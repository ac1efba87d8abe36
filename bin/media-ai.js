#!/usr/bin/env node
// The `media-ai` command (bin of the root package, so `npx media-ai ...` works from the repo root).
// In a checkout (tsx installed as a dev dependency) it runs the TypeScript sources with the
// "development" export condition, so what runs is always what is on disk — a stale build can never
// answer instead. Where only the build exists (a pruned production image), it runs the build.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../services/pipeline/src/cli/main.ts', import.meta.url));
const built = fileURLToPath(new URL('../services/pipeline/dist/cli/main.js', import.meta.url));
const args = process.argv.slice(2);

function hasTsx() {
  try {
    createRequire(import.meta.url).resolve('tsx');
    return true;
  } catch {
    return false;
  }
}

const nodeArgs = existsSync(source) && hasTsx() ? ['--conditions=development', '--import', 'tsx', source, ...args] : [built, ...args];

// glibc malloc gives each thread that allocates (libvips, ORT and tesseract threads) an arena of its
// own, up to 8 per core, and freed memory stays in them: a serving process's RSS then climbs round
// after round. Two arenas: `npm run soak` measured the RSS flat instead (README, Memory). A value
// the caller set wins.
const env = {
  ...process.env,
  MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
  NODE_OPTIONS: withSemiSpace(process.env.NODE_OPTIONS),
};

// V8's young generation at 4 MB a semi-space instead of 16 (Node 20's default): the embedded
// pipeline's peak RSS 795-800 against 864-879 MB in `npm run bench -- ../shared/photos` (back to back,
// load 8-9), CPU per photo within the noise (README, Memory). A --max-semi-space-size the caller
// put in NODE_OPTIONS wins.
function withSemiSpace(options) {
  if (options?.includes('--max-semi-space-size')) return options;
  return [options, '--max-semi-space-size=4'].filter(Boolean).join(' ');
}
const child = spawn(process.execPath, nodeArgs, { stdio: 'inherit', env });
// Forward termination so `serve` shuts down gracefully under Ctrl-C or a supervisor.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

// `npx media-ai serve` (the README's command): on SIGTERM npm's exec exits at once and its shell with
// it, without passing the signal on, so this process never hears it and the server would keep
// running, orphaned. An orphan is adopted by another process, so a parent id that changes means
// whoever started this command is gone: stop the child as SIGTERM would (it still finishes the
// requests in flight). Under Docker this process is PID 1, whose parent never changes.
const parent = process.ppid;
const parentWatch = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(parentWatch);
  child.kill('SIGTERM');
}, 250);
// The child keeps this process alive; the watch alone must not.
parentWatch.unref();
