// `node --conditions=development --import tsx tools/fingerprint-variant-cost.ts [folder=../shared/photos] [--rounds N] [--variants 'none;none,mirrored;...']`
// The fingerprint's CPU per photo under each FingerprintOptions variant (named as `eval:match --variants`
// names them), on real photos normalized as the fetcher does, one photo per call as the pipeline runs it,
// the variants interleaved round by round so the machine's changing load falls on each alike. Inputs (the
// decoded photo, its detected objects, its salient object, the whole photo's vector) are made before the
// clock starts, as detector-step-cost's fingerprint step. CPU is the process's (every thread), printed, never asserted.
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@media-ai/config';
import { normalizeOptionsOf } from '@media-ai/fetcher-service';
import {
  decodeImage,
  fingerprintOptionsNamed,
  fingerprintPhotos,
  normalizePhoto,
  salientObject,
  type BoxedObject,
  type DecodedImage,
  type SalientRegion,
} from '@media-ai/vision';
import { processCpuMs } from './quality/cpu.js';
import { stageModels } from './quality/stage-models.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const folder = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? '../shared/photos';
const rounds = Number(flag('--rounds') ?? '3');
const variants = (flag('--variants') ?? 'none;none,s128;none,grown;loose').split(';');

const config = loadConfig(process.env.LOG_LEVEL ? process.env : { ...process.env, LOG_LEVEL: 'WARNING' });
const files = (await readdir(folder)).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort();
const { detector, classifier } = await stageModels(config);
interface Input {
  image: DecodedImage;
  objects: BoxedObject[];
  embeddings: Float32Array[];
  region: SalientRegion | null;
}
const inputs: Input[] = [];
for (const file of files) {
  const { jpeg } = await normalizePhoto(await readFile(path.join(folder, file)), normalizeOptionsOf(config));
  const image = await decodeImage(jpeg);
  const [objects] = await detector.detect([image]);
  const { embeddings } = await classifier.classifyAndEmbed([image]);
  const found = salientObject(image);
  inputs.push({ image, objects: objects!, embeddings, region: found ? { box: found.box, mask: found.mask } : null });
}
const fingerprint = (name: string, input: Input) =>
  fingerprintPhotos(classifier as never, [input.image], [input.objects], input.embeddings, [input.region], fingerprintOptionsNamed(name));
for (const name of variants) await fingerprint(name, inputs[0]!); // warm each input size once

process.stdout.write(
  `fingerprint cost by variant: ${files.length} photos from ${folder}, ${rounds} rounds; load ${os.loadavg()[0]!.toFixed(1)}\n`,
);
const spent = new Map(variants.map((name) => [name, 0]));
for (let round = 0; round < rounds; round++) {
  for (const name of variants) {
    const before = processCpuMs();
    for (const input of inputs) await fingerprint(name, input);
    spent.set(name, spent.get(name)! + processCpuMs() - before);
  }
}
for (const [name, ms] of spent)
  process.stdout.write(`  ${name.padEnd(28)} ${(ms / (files.length * rounds)).toFixed(1).padStart(6)} ms CPU per photo\n`);
process.stdout.write(`load after ${os.loadavg()[0]!.toFixed(1)}\n`);
