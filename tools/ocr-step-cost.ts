// `node --conditions=development --import tsx tools/ocr-step-cost.ts [folder=../shared/photos] [--rounds N] [--dump FILE] [--intra N] [--rec-intra N] [--spread X] [--no-fold]`
// The OCR stage's CPU per photo, by sub-step, on real photos normalized as the fetcher does: first
// the whole reader (the engine OCR_ENGINE picks, hybrid by default, as the naive loop builds it),
// then the same photos through the reader's own steps one at a time (decode; detector input,
// inference and DB post-processing; crops; classifier input and inference; recogniser input,
// inference and CTC decoding; the filters; the glued-line test with its word re-spacing; the
// tesseract re-reads; the final word re-spacing; the line layout). The steps' sum must come out
// near the reader's total, or the table leaves something out. --dump writes the reader's lines
// (text, confidence, box) as JSON, so a change that must not alter readings can be proved
// byte-identical. --intra sets the ORT sessions' intra-op threads, --rec-intra the recogniser's and classifier's alone, --spread the
// recogniser batches' width spread (default: the reader's; Infinity: PaddleOCR's plain batches), --no-fold opens the package's
// graphs as they are (fold-graph off). CPU is the process's (every thread: ORT's intra-op threads, tesseract's worker,
// libuv's pool running sharp), printed, never asserted; the load average is printed with it.
import { writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadConfig } from '@media-ai/config';
import { normalizeOptionsOf } from '@media-ai/fetcher-service';
import { createTextReader, gapsForPublished, restoreWordSpaces, wordLexicon, type OcrResult } from '@media-ai/ocr';
import { normalizePhoto } from '@media-ai/vision';
import { processCpuMs } from './quality/cpu.js';
import { decodeRgb, type RgbImage } from '../libs/ocr/src/paddle/image.js';
import { detInput } from '../libs/ocr/src/paddle/det-preprocess.js';
import { boxesFromMap } from '../libs/ocr/src/paddle/db-postprocess.js';
import { cropText, rotate180 } from '../libs/ocr/src/paddle/crop.js';
import { acquirePaddleModels, DEFAULT_SESSION_SETTINGS, releasePaddleModels } from '../libs/ocr/src/paddle/models.js';
import { batchTensorData, clsTensorData, CLS_WIDTH, recBatches, recBatchWidth, REC_HEIGHT } from '../libs/ocr/src/paddle/rec-preprocess.js';
import { CLS_FLIP_THRESHOLD, DEFAULT_RECOGNISE, REC_BATCH, runRecogniser } from '../libs/ocr/src/paddle/recognise-page.js';
import { ctcDecodeSteps, splitGappedDigits, type Decoded } from '../libs/ocr/src/paddle/ctc-decode.js';
import { englishLine, normalizeText } from '../libs/ocr/src/paddle/text-filter.js';
import { hasGluedCapitals, respace } from '../libs/ocr/src/paddle/respace.js';
import { lineImageForTesseract, poolLineReader, rereadPool } from '../libs/ocr/src/paddle/hybrid-text-reader.js';
import { toOcrLine } from '../libs/ocr/src/paddle/layout.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const folder = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? '../shared/photos';
const rounds = Number(flag('--rounds') ?? '1');
const dump = flag('--dump');
const intra = flag('--intra');
const recIntra = flag('--rec-intra');
const spread = flag('--spread');
const recognise = { ...DEFAULT_RECOGNISE, ...(spread ? { recWidthSpread: Number(spread) } : {}) };
const session = {
  ...DEFAULT_SESSION_SETTINGS,
  ...(intra ? { intraOpNumThreads: Number(intra) } : {}),
  ...(recIntra ? { recIntraOpNumThreads: Number(recIntra) } : {}),
  ...(args.includes('--no-fold') ? { foldGraphs: false } : {}),
};

const config = loadConfig(process.env.LOG_LEVEL ? process.env : { ...process.env, LOG_LEVEL: 'WARNING' });
const files = (await readdir(folder)).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort();
const jpegs: Buffer[] = [];
for (const file of files) jpegs.push((await normalizePhoto(await readFile(path.join(folder, file)), normalizeOptionsOf(config))).jpeg);
const load = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const line = (name: string, ms: number, extra = ''): void => {
  process.stdout.write(`  ${name.padEnd(36)} ${ms.toFixed(1).padStart(7)} ms CPU per photo${extra}\n`);
};

process.stdout.write(
  `ocr step cost: ${files.length} photos from ${folder}, engine ${config.ai.ocr.engine}, intra-op threads ${session.intraOpNumThreads} (rec, cls ${session.recIntraOpNumThreads ?? session.intraOpNumThreads}), rec width spread ${recognise.recWidthSpread}, graphs ${session.foldGraphs === false ? 'as packaged' : 'folded'}, ${rounds} round(s); load ${load()}\n`,
);

// The whole reader, as the naive loop builds it (one photo at a time, sessions of 2 threads).
const reader = createTextReader({
  engine: config.ai.ocr.engine,
  workers: 1,
  paddle: { session, recognise },
  hybrid: { session, recognise },
});
await reader.start();
let readerMs = 0;
const walls: number[] = [];
const readings: OcrResult[] = [];
for (let round = 0; round < rounds; round++) {
  for (const jpeg of jpegs) {
    const before = processCpuMs();
    const started = performance.now();
    const result = await reader.read(jpeg);
    walls.push(performance.now() - started);
    readerMs += processCpuMs() - before;
    if (round === 0) readings.push(result);
  }
}
await reader.stop();
if (dump) {
  const lines = readings.map((r, i) => ({
    file: files[i],
    lines: r.lines.map((l) => ({ text: l.text, confidence: l.confidence, box: l.box })),
  }));
  writeFileSync(dump, `${JSON.stringify(lines, null, 1)}\n`);
}

// The reader's steps one at a time, on the same process-wide sessions.
const steps = new Map<string, number>();
const counts = { lines: 0, candidates: 0, recRuns: 0, clsRuns: 0, rereads: 0, detPixels: 0 };
const time = async <T>(step: string, run: () => T | Promise<T>): Promise<T> => {
  const before = processCpuMs();
  const result = await run();
  steps.set(step, (steps.get(step) ?? 0) + processCpuMs() - before);
  return result;
};
const infer = async (session: ort.InferenceSession, data: Float32Array, dims: number[]): Promise<ort.Tensor> =>
  (await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', data, dims) }))[session.outputNames[0]!]!;

const models = await acquirePaddleModels(session);
wordLexicon();
const pool = rereadPool({ maxQueue: 1 });
await pool.start();
const readLine = poolLineReader(pool);
const wordSpaced = (published: string, decoded: Decoded): string =>
  restoreWordSpaces(published, { gaps: gapsForPublished(published, decoded), options: {} });

for (let round = 0; round < rounds; round++) {
  for (const jpeg of jpegs) {
    const image = await time('decode', () => decodeRgb(jpeg));
    const det = await time('det: input (resize, tensor)', () => detInput(image, DEFAULT_RECOGNISE.detLimitSide));
    counts.detPixels += det.width * det.height;
    const map = await time('det: inference', () => infer(models.det, det.data, [1, 3, det.height, det.width]));
    const boxes = await time('det: DB post-process', () =>
      boxesFromMap(
        { data: map.data as Float32Array, width: det.width, height: det.height },
        image.width,
        image.height,
        DEFAULT_RECOGNISE.db,
      ),
    );
    const crops = await time('crops (warp)', () => boxes.map((b) => cropText(image, b.quad)));
    counts.lines += crops.length;
    const flips: number[] = [];
    for (let i = 0; i < crops.length; i += REC_BATCH) {
      const batch = crops.slice(i, i + REC_BATCH);
      const data = await time('cls: input', () => clsTensorData(batch));
      const probs = (await time('cls: inference', () => infer(models.cls, data, [batch.length, 3, REC_HEIGHT, CLS_WIDTH])))
        .data as Float32Array;
      counts.clsRuns++;
      for (let n = 0; n < batch.length; n++) flips.push(probs[n * 2 + 1]!);
    }
    const candidates = await time('crops (warp)', () =>
      crops.flatMap((crop, i) => [
        { line: i, crop: crop as RgbImage, flipped: false },
        ...(flips[i]! > CLS_FLIP_THRESHOLD ? [{ line: i, crop: rotate180(crop), flipped: true }] : []),
      ]),
    );
    counts.candidates += candidates.length;
    const ratios = candidates.map((c) => c.crop.width / c.crop.height);
    const readingsOf: { text: string; confidence: number; decoded: Decoded }[] = new Array(candidates.length);
    for (const batch of recBatches(ratios, REC_BATCH, recognise.recWidthSpread)) {
      const width = recBatchWidth(Math.max(...batch.map((i) => ratios[i]!)));
      const data = await time('rec: input (resize, tensor)', () =>
        batchTensorData(
          batch.map((i) => candidates[i]!.crop),
          width,
        ),
      );
      const { reduced, steps: stepsN } = await time('rec: inference', () =>
        runRecogniser(models, data, [batch.length, 3, REC_HEIGHT, width]),
      );
      counts.recRuns++;
      await time('rec: CTC decode', () => {
        batch.forEach((i, n) => {
          const decoded = ctcDecodeSteps(reduced, n * stepsN, stepsN, models.keys);
          readingsOf[i] = { text: splitGappedDigits(decoded), confidence: decoded.confidence, decoded };
        });
      });
    }
    const published = await time('filters (best flip, NFKC, English)', () => {
      const best = new Map<number, number>();
      candidates.forEach((c, k) => {
        const current = best.get(c.line);
        if (current === undefined || readingsOf[k]!.confidence > readingsOf[current]!.confidence) best.set(c.line, k);
      });
      const lines = boxes.map((box, i) => {
        const c = candidates[best.get(i)!]!;
        return { box, ...readingsOf[best.get(i)!]!, crop: c.crop, rotated: crops[i]!.rotated, flipped: c.flipped };
      });
      lines.map((l) => normalizeText(l.text).trim()).filter(Boolean);
      return lines.flatMap((l) => {
        if (l.confidence < 0.5) return [];
        const english = englishLine(l.text);
        return english.text === null ? [] : [{ ...l, published: english.text }];
      });
    });
    if (config.ai.ocr.engine === 'hybrid') {
      for (const l of published) {
        const glued = await time(
          'hybrid: glued test + re-spacing',
          () => hasGluedCapitals(l.published) && hasGluedCapitals(wordSpaced(l.published, l.decoded)),
        );
        if (!glued) continue;
        counts.rereads++;
        const png = await time('hybrid: re-read line image', () => lineImageForTesseract(l.crop));
        const words = await time('hybrid: tesseract re-read', () => readLine(png));
        await time('hybrid: tesseract re-read', () => {
          const spaced = respace(l.published, words);
          if (spaced !== null) l.published = spaced;
        });
      }
    }
    const spaced = await time('word re-spacing (lexicon)', () =>
      published.map((l) => ({ ...l, published: wordSpaced(l.published, l.decoded) })),
    );
    await time('layout (OcrLine boxes)', () =>
      spaced.map((l) =>
        toOcrLine(
          {
            text: l.published,
            confidence: l.confidence,
            quad: l.box.quad,
            rotated: l.rotated,
            flipped: l.flipped,
          },
          image.width,
          image.height,
        ),
      ),
    );
  }
}
await pool.stop();
await releasePaddleModels();

const n = files.length * rounds;
walls.sort((a, b) => a - b);
const wall = (q: number): string => walls[Math.min(walls.length - 1, Math.floor(q * walls.length))]!.toFixed(0);
line('reader (whole, read())', readerMs / n, `; wall p50 ${wall(0.5)} ms, p95 ${wall(0.95)} ms, max ${wall(1)} ms`);
const total = [...steps.values()].reduce((a, b) => a + b, 0);
for (const [step, ms] of [...steps].sort((a, b) => b[1] - a[1])) line(step, ms / n, ` ${((100 * ms) / total).toFixed(0).padStart(3)} %`);
line("steps' sum", total / n);
process.stdout.write(
  `  per photo: ${(counts.lines / n).toFixed(1)} boxes, ${(counts.candidates / n).toFixed(1)} crops recognised in ${(counts.recRuns / n).toFixed(1)} rec runs, ` +
    `${(counts.clsRuns / n).toFixed(1)} cls runs, ${(counts.rereads / n).toFixed(2)} tesseract re-reads, detector input ${Math.round(counts.detPixels / n / 1000)} kpx\n`,
);
process.stdout.write(`load after ${load()}\n`);
