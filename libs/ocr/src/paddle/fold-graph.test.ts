// fold-graph on a small graph written here (every pattern, and one it must leave alone) and on the
// package's real PP-OCRv4 models: the folded graph computes what the original does (ONNX Runtime
// runs both), with the elementwise ops gone.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { foldElementwise } from './fold-graph.js';
import { PADDLE_MODEL_FILES } from './models.js';
import { constantNode, DT, floatTensor, onnx, opTypes, type Node } from '@media-ai/vision/onnx-graph';

/** Deterministic pseudo-random floats in [-1, 1). */
function noise(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

const scalar = (name: string, v: number): Node => constantNode(name, floatTensor(name, [1], Float32Array.of(v)));
const node = (opType: string, input: string[], output: string, attribute: OnnxAttribute[] = []): Node =>
  onnx.NodeProto.create({ opType, name: output, input, output: [output], attribute });
type OnnxAttribute = ReturnType<typeof onnx.AttributeProto.create>;
const ints = (name: string, v: number[]): OnnxAttribute =>
  onnx.AttributeProto.create({ name, ints: v, type: onnx.AttributeProto.AttributeType.INTS });

/**
 * x [1,4,6,6] -> Conv 3x3 pad 1 -> Mul 1.7 -> Add -0.3 (folded into the Conv) -> hard-swish
 * (Add 3, Clip 0..6, Mul x, Div 6) -> Mul 0.8 -> Add 0.25 (folded into the 1x1 Conv that alone
 * reads it) -> Conv 1x1 -> Mul 1.1 -> Add 0.5, whose Mul output is also a graph output: left alone.
 */
function smallGraph(opset: number): Uint8Array {
  const clip =
    opset >= 11
      ? [scalar('zero', 0), scalar('six_c', 6), node('Clip', ['h_add', 'zero', 'six_c'], 'h_clip')]
      : [
          node('Clip', ['h_add'], 'h_clip', [
            onnx.AttributeProto.create({ name: 'min', f: 0, type: onnx.AttributeProto.AttributeType.FLOAT }),
            onnx.AttributeProto.create({ name: 'max', f: 6, type: onnx.AttributeProto.AttributeType.FLOAT }),
          ]),
        ];
  const nodes: Node[] = [
    constantNode('w1', floatTensor('w1', [8, 4, 3, 3], noise(8 * 4 * 9, 1))),
    constantNode('b1', floatTensor('b1', [8], noise(8, 2))),
    node('Conv', ['x', 'w1', 'b1'], 'c1', [ints('kernel_shape', [3, 3]), ints('pads', [1, 1, 1, 1])]),
    scalar('s1', 1.7),
    node('Mul', ['s1', 'c1'], 'm1'),
    scalar('t1', -0.3),
    node('Add', ['m1', 't1'], 'a1'),
    scalar('three', 3),
    node('Add', ['a1', 'three'], 'h_add'),
    ...clip,
    node('Mul', ['a1', 'h_clip'], 'h_mul'),
    scalar('six', 6),
    node('Div', ['h_mul', 'six'], 'h'),
    scalar('s2', 0.8),
    node('Mul', ['s2', 'h'], 'm2'),
    scalar('t2', 0.25),
    node('Add', ['m2', 't2'], 'a2'),
    constantNode('w2', floatTensor('w2', [5, 8, 1, 1], noise(5 * 8, 3))),
    node('Conv', ['a2', 'w2'], 'c2', [ints('kernel_shape', [1, 1]), ints('pads', [0, 0, 0, 0])]),
    scalar('s3', 1.1),
    node('Mul', ['c2', 's3'], 'm3'),
    scalar('t3', 0.5),
    node('Add', ['m3', 't3'], 'y'),
  ];
  const value = (name: string) => onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: DT.FLOAT } } });
  const model = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: opset }],
    graph: { name: 'small', node: nodes, input: [value('x')], output: [value('y'), value('m3')] },
  });
  return onnx.ModelProto.encode(model).finish();
}

async function outputsOf(model: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<Record<string, Float32Array>> {
  const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
  try {
    const out = await session.run(feeds);
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array]));
  } finally {
    await session.release();
  }
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe('foldElementwise', () => {
  for (const opset of [9, 11]) {
    it(`folds the affine blocks and the hard-swish of a small opset ${opset} graph, computing the same`, async () => {
      const original = smallGraph(opset);
      const { model, counts } = foldElementwise(original);
      expect(counts).toEqual({ affine: 1, affineIntoNext: 1, hardSwish: 1 });
      const ops = opTypes(model).filter((op) => op !== 'Constant');
      // The last Mul -> Add stays: the Mul's output is also a graph output.
      expect(ops).toEqual(['Conv', 'HardSigmoid', 'Mul', 'Conv', 'Mul', 'Add']);
      const x = new ort.Tensor(
        'float32',
        noise(4 * 36, 4).map((v) => v * 4),
        [1, 4, 6, 6],
      );
      const before = await outputsOf(original, { x });
      const after = await outputsOf(model, { x });
      expect(maxAbsDiff(before.y!, after.y!)).toBeLessThan(1e-5);
      expect(maxAbsDiff(before.m3!, after.m3!)).toBeLessThan(1e-5);
      // Not vacuous: the hard-swish clips on both sides for this input.
      expect(before.y!.some((v, i) => Math.abs(v - before.y![0]!) > 0.1 && i > 0)).toBe(true);
    });
  }

  it('leaves a padded Conv after an affine block alone (its border would see the shift, not 0)', () => {
    const bytes = smallGraph(11);
    const model = onnx.ModelProto.decode(bytes);
    const conv2 = model.graph!.node!.find((n) => n.output?.[0] === 'c2')!;
    conv2.attribute = [ints('kernel_shape', [1, 1]), ints('pads', [1, 1, 1, 1])];
    const { counts } = foldElementwise(onnx.ModelProto.encode(model).finish());
    expect(counts.affineIntoNext).toBe(0);
  });

  it.each([
    ['det', PADDLE_MODEL_FILES.det, [1, 3, 96, 128]],
    ['rec', PADDLE_MODEL_FILES.rec, [2, 3, 48, 160]],
    ['cls', PADDLE_MODEL_FILES.cls, [2, 3, 48, 192]],
  ] as const)('folds the package %s model to the same outputs', async (_name, file, dims) => {
    const original = readFileSync(file);
    const { model, counts } = foldElementwise(original);
    expect(counts.hardSwish).toBeGreaterThan(0);
    expect(opTypes(model).filter((op) => op === 'Clip' || op === 'Div').length).toBeLessThan(
      opTypes(original).filter((op) => op === 'Clip' || op === 'Div').length,
    );
    // Text-like input (dark strokes in rows on a bright page, a little noise), as normalised
    // planes: the detector's map then holds text and background, not one saturated value.
    const [, , height, width] = dims as readonly number[];
    const jitter = noise(
      (dims as readonly number[]).reduce((a, b) => a * b, 1),
      5,
    );
    const data = jitter.map((v, i) => {
      const col = i % width!;
      const row = Math.floor(i / width!) % height!;
      const ink = row % 16 >= 4 && row % 16 < 12 && col % 12 < 8;
      return (ink ? -1.8 : 2) + 0.1 * v;
    });
    const x = new ort.Tensor('float32', data, [...dims]);
    const before = await outputsOf(original, { x });
    const after = await outputsOf(model, { x });
    for (const name of Object.keys(before)) {
      const out = before[name]!;
      expect(out.reduce((a, b) => Math.max(a, b)) - out.reduce((a, b) => Math.min(a, b))).toBeGreaterThan(0.05);
      expect(maxAbsDiff(out, after[name]!)).toBeLessThan(1e-4);
    }
  });
});
