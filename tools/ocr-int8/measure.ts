// `node --conditions=development --import tsx tools/ocr-int8/measure.ts [photos=../shared/photos] [--seed 10] [--count 24] [--out DIR] [--rounds N] [--int8 all|dense]`
// Whether an int8 copy of the PP-OCRv4 detector and recogniser pays on this CPU, and what it changes.
// 1. Calibrates on GENERATED images only (the privacy bench's generator, --seed, default 10: not the
//    seed the privacy bench scores, never ../shared/photos): each image goes through the float
//    detector and recogniser as the reader feeds them, with every Conv's input and output exposed,
//    and the min/max of each is kept. The ranges go to <out>/ranges.json.
// 2. Builds the QDQ int8 copies (int8-graph.ts here) in <out>/ (outside the repository), opens
//    them with ORT's optimised-model dump and counts the fused int8 kernels (QLinearConv etc.)
//    against the float Conv left over: the evidence ORT fused them.
// 3. Times float and int8 back to back, interleaved, on the detector inputs and recogniser batches
//    of the photos folder (timing only: nothing is calibrated on them): CPU ms per inference (the
//    process's, every thread) with the load average, and how far int8 moves the outputs (detector:
//    boxes found and the probability map's pixels on the other side of the DB threshold; recogniser:
//    CTC texts that differ). Figures are printed, never asserted.
// Measured (26 photos, 2 intra-op threads, load 8-12): ORT fuses every Conv into QLinearConv (det
// 62, rec 38), yet folded+int8 costs det 132 vs folded float 121-124 ms CPU per run, rec 163-181 vs
// 163-166, while it loses boxes (150-163 of 166) and changes 67-77 of 166 crop texts. The Convs
// themselves run ~40 % faster in int8 (ORT profile), but the Q/DQ passes and the float ops between
// them, which leave ORT's NCHWc layout, eat it: an int8 copy does not pay here.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadConfig } from '@media-ai/config';
import { normalizeOptionsOf } from '@media-ai/fetcher-service';
import { normalizePhoto } from '@media-ai/vision';
import { processCpuMs } from '../quality/cpu.js';
import { generateImages } from '../privacy-bench/generate.js';
import { decodeRgb } from '../../libs/ocr/src/paddle/image.js';
import { detInput } from '../../libs/ocr/src/paddle/det-preprocess.js';
import { boxesFromMap } from '../../libs/ocr/src/paddle/db-postprocess.js';
import { cropText } from '../../libs/ocr/src/paddle/crop.js';
import { PADDLE_MODEL_FILES } from '../../libs/ocr/src/paddle/models.js';
import { batchTensorData, recBatches, recBatchWidth, REC_HEIGHT } from '../../libs/ocr/src/paddle/rec-preprocess.js';
import { DEFAULT_RECOGNISE, REC_BATCH } from '../../libs/ocr/src/paddle/recognise-page.js';
import { ctcDecode } from '../../libs/ocr/src/paddle/ctc-decode.js';
import { calibrationGraph, calibrationTensors, quantiseConvs, type ActivationRange, type ConvSelection } from './int8-graph.js';
import { opTypes } from '../../libs/vision/src/models/onnx-graph.js';
import { foldElementwise } from '../../libs/ocr/src/paddle/fold-graph.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const folder = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? '../shared/photos';
const seed = Number(flag('--seed') ?? '10');
const count = Number(flag('--count') ?? '24');
const rounds = Number(flag('--rounds') ?? '1');
/** --int8 dense: quantise only the group-1 Convs (depthwise ones stay float). */
const which = (flag('--int8') ?? 'all') as ConvSelection;
const outDir = flag('--out') ?? path.join(os.tmpdir(), 'media-ai-ocr-int8');
mkdirSync(outDir, { recursive: true });
const load = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const say = (text: string): void => void process.stdout.write(`${text}\n`);

const options = (optimized?: string): ort.InferenceSession.SessionOptions => ({
  intraOpNumThreads: 2,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  executionProviders: ['cpu'],
  extra: { session: { intra_op: { allow_spinning: '0' } } },
  ...(optimized ? { optimizedModelFilePath: optimized } : {}),
});
const run = async (session: ort.InferenceSession, data: Float32Array, dims: number[]): Promise<ort.InferenceSession.OnnxValueMapType> =>
  session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', data, dims) });

const config = loadConfig({ ...process.env, LOG_LEVEL: 'WARNING' });
const normalized = async (bytes: Buffer): Promise<Buffer> => (await normalizePhoto(bytes, normalizeOptionsOf(config))).jpeg;

/** The detector input and the recogniser batches the reader would make from one photo (float models). */
interface Inputs {
  det: { data: Float32Array; dims: number[] };
  rec: { data: Float32Array; dims: number[] }[];
}
async function inputsOf(jpeg: Buffer, det: ort.InferenceSession): Promise<Inputs> {
  const image = await decodeRgb(jpeg);
  const d = await detInput(image, DEFAULT_RECOGNISE.detLimitSide);
  const dims = [1, 3, d.height, d.width];
  const map = (await run(det, d.data, dims))[det.outputNames[0]!]!;
  const boxes = boxesFromMap(
    { data: map.data as Float32Array, width: d.width, height: d.height },
    image.width,
    image.height,
    DEFAULT_RECOGNISE.db,
  );
  const crops = boxes.map((b) => cropText(image, b.quad));
  const ratios = crops.map((c) => c.width / c.height);
  const rec: Inputs['rec'] = [];
  for (const batch of recBatches(ratios, REC_BATCH, DEFAULT_RECOGNISE.recWidthSpread)) {
    const width = recBatchWidth(Math.max(...batch.map((i) => ratios[i]!)));
    rec.push({
      data: await batchTensorData(
        batch.map((i) => crops[i]!),
        width,
      ),
      dims: [batch.length, 3, REC_HEIGHT, width],
    });
  }
  return { det: { data: d.data, dims }, rec };
}

function widen(ranges: Record<string, ActivationRange>, outputs: ort.InferenceSession.OnnxValueMapType, names: string[]): void {
  for (const name of names) {
    const data = outputs[name]!.data as Float32Array;
    let { min, max } = ranges[name] ?? { min: Infinity, max: -Infinity };
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    ranges[name] = { min, max };
  }
}

// 1. Calibration on generated images.
const detSource = readFileSync(PADDLE_MODEL_FILES.det);
const recSource = readFileSync(PADDLE_MODEL_FILES.rec);
// int8 is made from the folded graph (fold-graph: the same arithmetic, fewer elementwise ops), so
// each QLinearConv also carries the affine block the fold moved into its Conv.
const detBytes = foldElementwise(detSource).model;
const recBytes = foldElementwise(recSource).model;
const detNames = calibrationTensors(detBytes);
const recNames = calibrationTensors(recBytes);
const detFloat = await ort.InferenceSession.create(detSource, options());
const recFloat = await ort.InferenceSession.create(recSource, options());
const detCal = await ort.InferenceSession.create(calibrationGraph(detBytes), options());
const recCal = await ort.InferenceSession.create(calibrationGraph(recBytes), options());
const generated = await generateImages({ seed, indices: Array.from({ length: count }, (_, i) => i), photosDir: folder });
const detRanges: Record<string, ActivationRange> = {};
const recRanges: Record<string, ActivationRange> = {};
let calibrationBatches = 0;
for (const image of generated) {
  const inputs = await inputsOf(await normalized(await readFile(image.path)), detFloat);
  widen(detRanges, await run(detCal, inputs.det.data, inputs.det.dims), detNames);
  for (const batch of inputs.rec) {
    widen(recRanges, await run(recCal, batch.data, batch.dims), recNames);
    calibrationBatches++;
  }
}
await detCal.release();
await recCal.release();
writeFileSync(path.join(outDir, 'ranges.json'), `${JSON.stringify({ seed, count, det: detRanges, rec: recRanges })}\n`);
say(`calibrated on ${generated.length} generated images (seed ${seed}), ${calibrationBatches} recogniser batches; load ${load()}`);

// 2. The int8 copies, and what ORT made of them.
const fusion = (file: string): string => {
  const counts = new Map<string, number>();
  for (const node of opTypes(readFileSync(file))) counts.set(node, (counts.get(node) ?? 0) + 1);
  return [...counts]
    .filter(([op]) => /Conv|Quantize|QLinear|MatMul/.test(op))
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');
};
type Variant = 'float' | 'folded' | 'int8';
const VARIANTS: readonly Variant[] = ['float', 'folded', 'int8'];
const sessions: Record<'det' | 'rec', Record<Variant, ort.InferenceSession>> = {
  det: { float: detFloat, folded: await ort.InferenceSession.create(detBytes, options()), int8: detFloat },
  rec: { float: recFloat, folded: await ort.InferenceSession.create(recBytes, options()), int8: recFloat },
};
for (const [name, bytes, ranges] of [
  ['det', detBytes, detRanges],
  ['rec', recBytes, recRanges],
] as const) {
  const int8 = quantiseConvs(bytes, ranges, which);
  writeFileSync(path.join(outDir, `${name}-int8.onnx`), int8);
  const floatDump = path.join(outDir, `${name}-folded.optimized.onnx`);
  const int8Dump = path.join(outDir, `${name}-int8.optimized.onnx`);
  await (await ort.InferenceSession.create(bytes, options(floatDump))).release();
  await (await ort.InferenceSession.create(int8, options(int8Dump))).release();
  say(
    `${name}: folded ${JSON.stringify(foldElementwise(name === 'det' ? detSource : recSource).counts)}; int8 copy ${(int8.length / 1e6).toFixed(1)} MB (float ${(bytes.length / 1e6).toFixed(1)} MB)`,
  );
  say(`  folded float, as ORT optimised it: ${fusion(floatDump)}`);
  say(`  int8, as ORT optimised it:         ${fusion(int8Dump)}`);
  sessions[name].int8 = await ort.InferenceSession.create(int8, options());
}

// 3. Timing and agreement on the photos (float and int8 interleaved).
const files = (await readdir(folder)).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort();
const photos: Inputs[] = [];
for (const file of files) photos.push(await inputsOf(await normalized(await readFile(path.join(folder, file))), detFloat));
say(`timing on ${files.length} photos from ${folder}, ${rounds} round(s); load ${load()}`);
const cpu = { det: { float: 0, folded: 0, int8: 0, runs: 0 }, rec: { float: 0, folded: 0, int8: 0, runs: 0 } };
const timed = async (model: 'det' | 'rec', kind: Variant, data: Float32Array, dims: number[]) => {
  const session = sessions[model][kind];
  const before = processCpuMs();
  const out = (await run(session, data, dims))[session.outputNames[0]!]!;
  cpu[model][kind] += processCpuMs() - before;
  return out;
};
const agreement = () => ({ boxes: 0, flipped: 0, pixels: 0, textsDiffer: 0, examples: [] as string[] });
const agree = { float: agreement(), folded: agreement(), int8: agreement(), texts: 0 };
const threshold = DEFAULT_RECOGNISE.db.threshold;
const keys = readFileSync(PADDLE_MODEL_FILES.keys, 'utf8')
  .split('\n')
  .map((k) => k.replace(/\r$/, ''));
if (keys[keys.length - 1] === '') keys.pop();
for (let round = 0; round < rounds; round++) {
  for (const photo of photos) {
    // Rotate the order each photo, so no variant always runs first (warm caches, load drift).
    const turn = (round * photos.length + photos.indexOf(photo)) % VARIANTS.length;
    const order = [...VARIANTS.slice(turn), ...VARIANTS.slice(0, turn)];
    const maps: Partial<Record<Variant, Float32Array>> = {};
    for (const kind of order) maps[kind] = (await timed('det', kind, photo.det.data, photo.det.dims)).data as Float32Array;
    cpu.det.runs++;
    if (round === 0) {
      const [, , h, w] = photo.det.dims as [number, number, number, number];
      for (const kind of VARIANTS) {
        agree[kind].boxes += boxesFromMap({ data: maps[kind]!, width: w, height: h }, w, h, DEFAULT_RECOGNISE.db).length;
        for (let i = 0; i < maps.float!.length; i++) if (maps.float![i]! > threshold !== maps[kind]![i]! > threshold) agree[kind].flipped++;
        agree[kind].pixels += maps.float!.length;
      }
    }
    for (const batch of photo.rec) {
      const texts: Partial<Record<Variant, string[]>> = {};
      for (const kind of order) {
        const t = await timed('rec', kind, batch.data, batch.dims);
        const [, steps = 0, classes = 0] = t.dims;
        texts[kind] = Array.from(
          { length: batch.dims[0]! },
          (_, n) => ctcDecode(t.data as Float32Array, n * steps * classes, steps, classes, keys).text,
        );
      }
      cpu.rec.runs++;
      if (round === 0) {
        agree.texts += batch.dims[0]!;
        for (const kind of VARIANTS) {
          texts.float!.forEach((text, n) => {
            if (text === texts[kind]![n]) return;
            agree[kind].textsDiffer++;
            if (agree[kind].examples.length < 8) agree[kind].examples.push(`${JSON.stringify(text)} -> ${JSON.stringify(texts[kind]![n])}`);
          });
        }
      }
    }
  }
}
for (const model of ['det', 'rec'] as const) {
  const c = cpu[model];
  const pct = (v: number): string => `${((100 * (v - c.float)) / c.float).toFixed(0)} %`;
  say(
    `${model}: CPU ms per run: float ${(c.float / c.runs).toFixed(1)}, folded ${(c.folded / c.runs).toFixed(1)} (${pct(c.folded)}), folded+int8 ${(c.int8 / c.runs).toFixed(1)} (${pct(c.int8)}); ${c.runs} runs`,
  );
}
for (const kind of ['folded', 'int8'] as const) {
  const a = agree[kind];
  say(
    `${kind} vs float: detector boxes ${a.boxes} vs ${agree.float.boxes}, map pixels across the ${threshold} threshold ${((100 * a.flipped) / a.pixels).toFixed(3)} %; recogniser texts that differ ${a.textsDiffer} of ${agree.texts}`,
  );
  for (const e of a.examples) say(`  ${e}`);
}
say(`load after ${load()}`);
