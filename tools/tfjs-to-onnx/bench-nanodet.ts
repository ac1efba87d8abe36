/**
 * Measures the NanoDet-g conversion and run time against YOLOX-Nano in one process and prints the
 * figures: conversion time (median of 3), ONNX size, max abs diff against TF.js (cpu backend) on
 * person_with_dog.jpg, and the ORT `run` median of 40 runs for both models (same thread settings as
 * the product: intra 2, inter 1, optimisation 'all'), with their ratio.
 *
 *   node --conditions=development --import tsx tools/tfjs-to-onnx/bench-nanodet.ts <models-folder> [photos-folder] [--no-tfjs]
 *
 * Must never write anything but a temp model cache (removed at the end).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ort from 'onnxruntime-node';
import {
  centredLetterboxFor,
  decodeImage,
  letterboxFor,
  ModelManager,
  nanodetInputTensor,
  resizeRgb,
  yoloxInputTensor,
} from '@media-ai/vision';
import { convertNanodet } from './build-nanodet.js';
import { readTfjsModel } from './convert-file.js';
import { fetchNanodetSource } from './fetch-source.js';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

async function timeRuns(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t);
  }
  return times;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const modelsDir = path.resolve(args[0] ?? '../shared/models');
  const photosDir = path.resolve(args[1] ?? path.join(modelsDir, '../photos'));
  const withTfjs = !process.argv.includes('--no-tfjs');

  const { modelJson } = await fetchNanodetSource();
  const conversions: number[] = [];
  let onnx: Uint8Array = new Uint8Array();
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    onnx = await convertNanodet(modelJson);
    conversions.push((performance.now() - t) / 1000);
  }

  const image = await decodeImage(await readFile(path.join(photosDir, 'person_with_dog.jpg')));
  const nbox = centredLetterboxFor(image.width, image.height);
  const nanodetInput = nanodetInputTensor(await resizeRgb(image, nbox.width, nbox.height), nbox);
  const ybox = letterboxFor(image.width, image.height);
  const yoloxInput = yoloxInputTensor(await resizeRgb(image, ybox.width, ybox.height), ybox);

  const options: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: 2,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionProviders: ['cpu'],
  };
  const cacheDir = await mkdtemp(path.join(tmpdir(), 'media-ai-bench-'));
  try {
    const manager = new ModelManager({ cacheDir, source: modelsDir, downloadTimeoutMs: 10_000, allowUpstream: false });
    const yoloxPath = await manager.resolve('yolox-nano');
    const nanodet = await ort.InferenceSession.create(onnx, options);
    const yolox = await ort.InferenceSession.create(yoloxPath, options);
    const nanodetFeeds = { input_1: new ort.Tensor('float32', nanodetInput, [1, 3, 416, 416]) };
    const yoloxFeeds = { [yolox.inputNames[0]!]: new ort.Tensor('float32', yoloxInput, [1, 3, 416, 416]) };
    await timeRuns(nanodet, nanodetFeeds, 3); // warm-up
    await timeRuns(yolox, yoloxFeeds, 3);
    // 40 runs each, alternating blocks of 10 so neither gets a quieter machine.
    const nanodetMs: number[] = [];
    const yoloxMs: number[] = [];
    for (let round = 0; round < 4; round++) {
      nanodetMs.push(...(await timeRuns(nanodet, nanodetFeeds, 10)));
      yoloxMs.push(...(await timeRuns(yolox, yoloxFeeds, 10)));
    }

    let diff = 'skipped (--no-tfjs)';
    if (withTfjs) {
      const tf = await import('@tensorflow/tfjs-core');
      await import('@tensorflow/tfjs-backend-cpu');
      const { loadGraphModel } = await import('@tensorflow/tfjs-converter');
      const { model, weights } = await readTfjsModel(modelJson);
      const graph = await loadGraphModel({
        load: async () => ({
          modelTopology: model.modelTopology,
          weightSpecs: model.weightsManifest.flatMap((g) => g.weights) as never,
          weightData: weights.slice().buffer,
        }),
      });
      const names = graph.outputs.map((o) => o.name);
      const t = performance.now();
      const reference = graph.execute(tf.tensor(nanodetInput, [1, 3, 416, 416]), names) as Array<{ dataSync(): Float32Array }>;
      const tfjsMs = performance.now() - t;
      const ours = await nanodet.run(nanodetFeeds);
      let max = 0;
      names.forEach((name, k) => {
        const a = ours[name.replace(/:0$/, '')]!.data as Float32Array;
        const b = reference[k]!.dataSync();
        for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
      });
      diff = `${max.toExponential(2)} (tfjs-cpu execute ${(tfjsMs / 1000).toFixed(2)} s)`;
    }
    const n = median(nanodetMs);
    const y = median(yoloxMs);
    process.stdout.write(
      [
        `conversion (median of 3): ${median(conversions).toFixed(2)} s`,
        `ONNX size: ${onnx.byteLength} bytes (${(onnx.byteLength / 1e6).toFixed(2)} MB, float16 initialisers)`,
        `max abs diff vs TF.js on person_with_dog.jpg: ${diff}`,
        `ORT run median, 40 runs: NanoDet-g ${n.toFixed(2)} ms, YOLOX-Nano ${y.toFixed(2)} ms, ratio ${(n / y).toFixed(2)}x`,
      ].join('\n') + '\n',
    );
    await nanodet.release();
    await yolox.release();
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}

await main();
