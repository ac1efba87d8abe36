// `node --conditions=development --import tsx tools/nanodet-fold-cost.ts [folder=../shared/photos] [--rounds N]`
// What NanoDet-g's pool-padding fold (libs/vision fold-pool-padding.ts) saves, and proof it changes
// nothing: the pinned model and its folded copy, each in its own session with the detector's
// default threads, run on the same network inputs (../shared/photos normalized as the fetcher does,
// encoded as the NanoDet codec does); every output tensor must be byte-identical, and the CPU per run
// of each is printed, the variants interleaved round by round so the shared machine's load falls on
// both alike. CPU is the process's (every thread), printed, never asserted; the load is printed with it.
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@media-ai/config';
import { normalizeOptionsOf } from '@media-ai/fetcher-service';
import { createModelSession, decodeImage, DETECTOR_CODECS, foldPoolPadding, NANODET_MODEL_PATH, normalizePhoto } from '@media-ai/vision';
import ort from 'onnxruntime-node';
import { processCpuMs } from './quality/cpu.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const folder = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? '../shared/photos';
const rounds = Number(flag('--rounds') ?? '3');

const config = loadConfig({ ...process.env, LOG_LEVEL: 'WARNING' });
const files = (await readdir(folder)).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort();
const inputs: Float32Array[] = [];
for (const file of files) {
  const { jpeg } = await normalizePhoto(await readFile(path.join(folder, file)), normalizeOptionsOf(config));
  inputs.push((await DETECTOR_CODECS.nanodet.encode(await decodeImage(jpeg))).input);
}
const pinned = await readFile(NANODET_MODEL_PATH);
const { model: folded, folded: count } = foldPoolPadding(pinned);
const variants = { pinned: await createModelSession(pinned), folded: await createModelSession(folded) };
const size = DETECTOR_CODECS.nanodet.inputSize;

const run = async (session: ort.InferenceSession, input: Float32Array) =>
  session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input, [1, 3, size, size]) });

process.stdout.write(
  `nanodet pool-padding fold: ${count} Pad folded; ${files.length} photos, ${rounds} rounds; load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}\n`,
);
let differing = 0;
for (const input of inputs) {
  const [a, b] = [await run(variants.pinned.session, input), await run(variants.folded.session, input)];
  for (const name of variants.pinned.session.outputNames) {
    const [x, y] = [a[name]!.data as Float32Array, b[name]!.data as Float32Array];
    if (!Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength))) differing++;
  }
}
process.stdout.write(`  output tensors differing: ${differing} of ${inputs.length * variants.pinned.session.outputNames.length}\n`);

const cpu = { pinned: 0, folded: 0 };
for (let round = 0; round < rounds; round++) {
  for (const name of round % 2 === 0 ? (['pinned', 'folded'] as const) : (['folded', 'pinned'] as const)) {
    const before = processCpuMs();
    for (const input of inputs) await run(variants[name].session, input);
    cpu[name] += processCpuMs() - before;
  }
}
for (const [name, ms] of Object.entries(cpu))
  process.stdout.write(`  ${name.padEnd(7)} ${(ms / (rounds * inputs.length)).toFixed(1).padStart(6)} ms CPU per run\n`);
process.stdout.write(
  `load after ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}\n`,
);
