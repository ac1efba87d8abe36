// `node --conditions=development --import tsx tools/detector-step-cost.ts [folder=../shared/photos] [--dump FILE] [--rounds N]`
// The detector stage's CPU per photo, by step, on real photos normalized as the fetcher does: the
// whole stage (handleBatch, one photo per batch as the pipeline runs it), then each of its steps alone
// (decode, detector, classifier + whole-photo embedding, salient object, item colours per box, the
// fingerprint). --dump writes the stage's records (their payload, minus the per-run ids and duration)
// as JSON, so a change that must not alter what the stage records can be proved byte-identical.
// CPU is the process's (every thread), printed, never asserted; the machine's load is printed with it.
import { createHash, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@media-ai/config';
import type { DetectionsRecord, PhotoRecord } from '@media-ai/contracts';
import { createDetectorStage, MAX_COLORED_OBJECTS } from '@media-ai/detector-service';
import { normalizeOptionsOf } from '@media-ai/fetcher-service';
import { MemoryResultCache } from '@media-ai/state';
import { MemoryBlobStore } from '@media-ai/storage/test-support';
import { decodeImage, fingerprintPhotos, itemColors, normalizePhoto, salientObject } from '@media-ai/vision';
import { CpuSteps, processCpuMs } from './quality/cpu.js';
import { stageModels } from './quality/stage-models.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const folder = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? '../shared/photos';
const dump = flag('--dump');
const rounds = Number(flag('--rounds') ?? '2');

const config = loadConfig(process.env.LOG_LEVEL ? process.env : { ...process.env, LOG_LEVEL: 'WARNING' });
const files = (await readdir(folder)).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort();
const { detector, classifier } = await stageModels(config);
const jpegs: Buffer[] = [];
for (const file of files) jpegs.push((await normalizePhoto(await readFile(path.join(folder, file)), normalizeOptionsOf(config))).jpeg);

const blobs = new MemoryBlobStore();
const records: PhotoRecord[] = [];
for (const jpeg of jpegs) {
  const sha256 = createHash('sha256').update(jpeg).digest('hex');
  await blobs.put(sha256, jpeg);
  records.push({ post_id: randomUUID(), photo_id: randomUUID(), revision: 1, sha256, blob_key: sha256 } as PhotoRecord);
}

process.stdout.write(
  `detector step cost: ${files.length} photos from ${folder}, ${rounds} rounds; load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}\n`,
);

// The whole stage, one photo per batch, a fresh cache each round so every photo is analysed.
const dumped: unknown[] = [];
let stageMs = 0;
for (let round = 0; round < rounds; round++) {
  const stage = createDetectorStage({ detector, classifier, blobs, cache: new MemoryResultCache(), cacheTtlSeconds: 60, maxBatchSize: 1 });
  await stage.start?.();
  const before = processCpuMs();
  for (const record of records) {
    const [result] = await stage.handleBatch!([{ value: record } as never], { signal: new AbortController().signal });
    if (result instanceof Error) throw result;
    if (round === 0) {
      const value = result![0]!.value as DetectionsRecord;
      dumped.push({
        objects: value.objects,
        classifications: value.classifications,
        salient_object: value.salient_object,
        fingerprint: value.fingerprint,
      });
    }
  }
  stageMs += processCpuMs() - before;
}
if (dump) writeFileSync(dump, `${JSON.stringify(dumped, null, 1)}\n`);

// Each step alone, as the stage runs it.
const steps = new CpuSteps();
const time = <T>(step: string, run: () => T | Promise<T>): Promise<T> => steps.time(step, async () => run());
for (let round = 0; round < rounds; round++) {
  for (const jpeg of jpegs) {
    const image = await time('decode', () => decodeImage(jpeg));
    const [objects] = await time('detect', () => detector.detect([image]));
    const { embeddings } = await time('classify+embed', () => classifier.classifyAndEmbed!([image]));
    const found = await time('salient object', () => salientObject(image));
    await time('item colours', () =>
      [...objects!]
        .sort((a, b) => b.confidence - a.confidence)
        .slice(0, MAX_COLORED_OBJECTS)
        .map((o) => itemColors(image, o.box)),
    );
    await time('fingerprint', () =>
      fingerprintPhotos(classifier as never, [image], [objects!], embeddings, [found ? { box: found.box, mask: found.mask } : null]),
    );
  }
}
const n = files.length * rounds;
process.stdout.write(`  stage (handleBatch)  ${(stageMs / n).toFixed(1).padStart(7)} ms CPU per photo\n`);
for (const [step, ms] of steps.perPhoto(n)) process.stdout.write(`  ${step.padEnd(20)} ${ms.toFixed(1).padStart(7)} ms CPU per photo\n`);
process.stdout.write(`  steps' sum           ${(steps.total() / n).toFixed(1).padStart(7)} ms CPU per photo\n`);
process.stdout.write(
  `load after ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}\n`,
);
