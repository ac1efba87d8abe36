// `node --conditions=development --import tsx tools/normalize-step-cost.ts [folder=../shared/photos] [--rounds N]`
// The fetcher's per-photo image work, by step, on real photos with the configured normalize options:
// normalizePhoto whole, then its parts alone (the header read that checks the pixel count before any
// decode; decode + orient + sRGB + flatten + resize to raw pixels; the same to JPEG, i.e. what the
// fetcher stores; sha256 of the JPEG), then the two later reads of the normalized JPEG in the same
// process (dominantColors' 96-px sample, the face detector's 256-px letterbox, as detectInJpeg
// decodes them). It shows where the ~100 ms of "normalize" goes and what is read twice. CPU is the
// process's (every thread, libvips' included), printed, never asserted; the load is printed with it.
//
// Measured (2-core shared machine, load 2.3-3.5, 26 photos, 2 rounds, twice): normalizePhoto 81 ms CPU
// per photo = header 1.2 + decode..resize 64 + JPEG encode ~17 + sha256 0.2. The original is decoded
// once; the header read is the pixel-bomb check before any decode. The 12-MP photos (4032x3024 to
// 2048: a factor under 2, so libjpeg cannot shrink while decoding) cost ~300 ms each and carry the
// mean. After it the fetcher reads the normalized JPEG twice more (colours 6, faces 8 ms), each
// shrunk while decoding to its own size and kernel: one shared read would change both inputs. No
// step is pure waste; nothing was cut (issue 16, second round).
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { loadConfig } from '@media-ai/config';
import { normalizeOptionsOf } from '@media-ai/fetcher-service';
import { blazefaceLetterbox, normalizePhoto } from '@media-ai/vision';
import { CpuSteps } from './quality/cpu.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const folder = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? '../shared/photos';
const rounds = Number(flag('--rounds') ?? '2');

const options = normalizeOptionsOf(loadConfig({ ...process.env, LOG_LEVEL: 'WARNING' }));
const files = (await readdir(folder)).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort();
const originals = await Promise.all(files.map((f) => readFile(path.join(folder, f))));
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
process.stdout.write(
  `normalize step cost: ${files.length} photos from ${folder}, ${rounds} rounds, maxSide ${options.maxSide}, quality ${options.quality}, sharp concurrency ${sharp.concurrency()}; load ${load()}\n`,
);

// The same sharp input and pipeline normalize-photo.ts builds (kept in step by hand: a measurement).
const input = (bytes: Buffer) => sharp(bytes, { limitInputPixels: options.maxPixels, failOn: 'truncated', pages: 1, page: 0 });
const pipeline = (bytes: Buffer) =>
  input(bytes)
    .autoOrient()
    .toColourspace('srgb')
    .flatten({ background: '#ffffff' })
    .resize({ width: options.maxSide, height: options.maxSide, fit: 'inside', withoutEnlargement: true });

const steps = new CpuSteps();
const time = <T>(step: string, run: () => T | Promise<T>): Promise<T> => steps.time(step, async () => run());
for (let round = 0; round < rounds; round++) {
  for (const bytes of originals) {
    const { jpeg, width, height } = await time('normalizePhoto (whole)', () => normalizePhoto(bytes, options));
    await time('header (metadata)', () => input(bytes).metadata());
    await time('decode..resize to raw', () => pipeline(bytes).raw().toBuffer());
    await time('decode..resize to JPEG', () => pipeline(bytes).jpeg({ quality: options.quality, chromaSubsampling: '4:2:0' }).toBuffer());
    await time('sha256 of the JPEG', () => createHash('sha256').update(jpeg).digest('hex'));
    await time('colours: 96-px read', () =>
      sharp(jpeg)
        .flatten({ background: '#ffffff' })
        .toColourspace('srgb')
        .resize({ width: 96, height: 96, fit: 'inside' })
        .raw()
        .toBuffer(),
    );
    const box = blazefaceLetterbox(width, height);
    await time('faces: 256-px read', async () => {
      await sharp(jpeg).metadata();
      return sharp(jpeg)
        .toColourspace('srgb')
        .flatten({ background: '#ffffff' })
        .resize(box.width, box.height, { fit: 'fill', kernel: 'linear' })
        .raw()
        .toBuffer();
    });
  }
}
const n = files.length * rounds;
for (const [step, ms] of steps.perPhoto(n)) process.stdout.write(`  ${step.padEnd(24)} ${ms.toFixed(1).padStart(7)} ms CPU per photo\n`);
process.stdout.write(`load after ${load()}\n`);
