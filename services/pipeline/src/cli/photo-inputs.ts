/**
 * Turns what a user types after `media-ai analyze` (files, folders, URLs) into photo URLs the
 * fetcher understands. Folders are expanded one level deep to their image files, sorted by name
 * so runs are repeatable. It never reads photo bytes: the fetcher does that, with its guards.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.heic', '.avif']);

export interface PhotoInput {
  /** What the user typed (file path or URL), for the summary. */
  label: string;
  url: string;
}

function isUrl(arg: string): boolean {
  return /^(https?|gs|file):\/\//i.test(arg);
}

export async function expandPhotoInputs(args: readonly string[], cwd = process.cwd()): Promise<PhotoInput[]> {
  const inputs: PhotoInput[] = [];
  for (const arg of args) {
    if (isUrl(arg)) {
      inputs.push({ label: arg, url: arg });
      continue;
    }
    const absolute = path.resolve(cwd, arg);
    const info = await stat(absolute).catch(() => {
      throw new Error(`No such file, folder or URL: ${arg}`);
    });
    if (info.isDirectory()) {
      const names = (await readdir(absolute)).filter((name) => IMAGE_EXTENSIONS.has(path.extname(name).toLowerCase()));
      names.sort();
      for (const name of names) {
        const file = path.join(absolute, name);
        inputs.push({ label: path.relative(cwd, file) || file, url: pathToFileURL(file).href });
      }
    } else {
      inputs.push({ label: arg, url: pathToFileURL(absolute).href });
    }
  }
  return inputs;
}
