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

const child = spawn(process.execPath, nodeArgs, { stdio: 'inherit' });
// Forward termination so `serve` shuts down gracefully under Ctrl-C or a supervisor.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
