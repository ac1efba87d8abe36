#!/usr/bin/env node
// The `media-ai` command (bin of the root package, so `npx media-ai ...` works from the repo root).
// Runs the built CLI when `npm run build` has produced it; otherwise runs the TypeScript sources
// through tsx with the "development" export condition, so a fresh clone works before a build too.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../services/pipeline/dist/cli/main.js', import.meta.url));
const source = fileURLToPath(new URL('../services/pipeline/src/cli/main.ts', import.meta.url));
const args = process.argv.slice(2);

const nodeArgs = existsSync(built)
  ? [built, ...args]
  : ['--conditions=development', '--import', 'tsx', source, ...args];

const child = spawn(process.execPath, nodeArgs, { stdio: 'inherit' });
// Forward termination so `serve` shuts down gracefully under Ctrl-C or a supervisor.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
