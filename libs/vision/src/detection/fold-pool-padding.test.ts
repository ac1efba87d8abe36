// fold-pool-padding on small graphs written here (tf2onnx's shape: Pad -inf, a Transpose pair,
// MaxPool; and ones it must leave alone) and on the package's real NanoDet-g: ONNX Runtime runs the
// original and the folded graph, whose outputs must be byte-identical, with the Pad gone.
import { existsSync, readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { DT, onnx, opTypes, tensor, type Node } from '../models/onnx-graph.js';
import { mulberry32 } from '../seeded-random.js';
import { foldPoolPadding } from './fold-pool-padding.js';
import { NANODET_MODEL_PATH } from './load-models.js';

type OnnxAttribute = ReturnType<typeof onnx.AttributeProto.create>;
const ints = (name: string, v: number[]): OnnxAttribute =>
  onnx.AttributeProto.create({ name, ints: v, type: onnx.AttributeProto.AttributeType.INTS });
const node = (opType: string, input: string[], output: string, attribute: OnnxAttribute[] = []): Node =>
  onnx.NodeProto.create({ opType, name: output, input, output: [output], attribute });
const int64s = (name: string, v: number[]) => tensor(name, DT.INT64, [v.length], new Uint8Array(BigInt64Array.from(v.map(BigInt)).buffer));
/** -inf as tf2onnx stores it (float16, cast to float), or a float32 of the given value. */
const padValue = (value: number, asF16: boolean) =>
  asF16
    ? tensor('value_f16', DT.FLOAT16, [], Uint8Array.of(0x00, 0xfc))
    : tensor('value', DT.FLOAT, [], new Uint8Array(Float32Array.of(value).buffer));

/** x [1,3,9,9] -> Pad (spatial 1 each side) -> Transpose NHWC -> Transpose NCHW -> MaxPool 3x3/2. */
function padPoolGraph({ value = -Infinity, asF16 = false, pads = [0, 0, 1, 1, 0, 0, 1, 1], alsoOutputPad = false } = {}): Uint8Array {
  const nodes: Node[] = [
    ...(asF16
      ? [
          node('Cast', ['value_f16'], 'value', [
            onnx.AttributeProto.create({ name: 'to', i: DT.FLOAT, type: onnx.AttributeProto.AttributeType.INT }),
          ]),
        ]
      : []),
    node('Pad', ['x', 'pads', 'value'], 'padded'),
    node('Transpose', ['padded'], 'nhwc', [ints('perm', [0, 2, 3, 1])]),
    node('Transpose', ['nhwc'], 'nchw', [ints('perm', [0, 3, 1, 2])]),
    node('MaxPool', ['nchw'], 'y', [ints('kernel_shape', [3, 3]), ints('strides', [2, 2])]),
  ];
  const value_ = (name: string) => onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: DT.FLOAT } } });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 18 }],
    graph: {
      name: 'pad-pool',
      node: nodes,
      initializer: [int64s('pads', pads), padValue(value, asF16)],
      input: [value_('x')],
      output: [value_('y'), ...(alsoOutputPad ? [value_('padded')] : [])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

async function outputOf(model: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<Buffer[]> {
  const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
  try {
    const out = await session.run(feeds);
    return session.outputNames.map((name) => {
      const data = out[name]!.data as Float32Array;
      return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    });
  } finally {
    await session.release();
  }
}

/** Values in [-1, 0): a -inf pad and a 0 pad would give different maxima at every border. */
const negative = (n: number, seed: number) => {
  const random = mulberry32(seed);
  return Float32Array.from({ length: n }, () => -random());
};

describe('foldPoolPadding', () => {
  for (const asF16 of [false, true]) {
    it(`folds a -inf Pad (${asF16 ? 'float16 cast' : 'float32'}) through a Transpose pair into the MaxPool, byte-identical`, async () => {
      const original = padPoolGraph({ asF16 });
      const { model, folded } = foldPoolPadding(original);
      expect(folded).toBe(1);
      expect(opTypes(model)).toEqual(['Transpose', 'Transpose', 'MaxPool']);
      const x = new ort.Tensor('float32', negative(3 * 81, 7), [1, 3, 9, 9]);
      const [before] = await outputOf(original, { x });
      const [after] = await outputOf(model, { x });
      expect(after!.equals(before!)).toBe(true);
    });
  }

  it('leaves alone a 0 pad, a pad on the channels, and a Pad whose output something else reads', () => {
    for (const graph of [
      padPoolGraph({ value: 0 }),
      padPoolGraph({ pads: [0, 1, 1, 1, 0, 0, 1, 1] }),
      padPoolGraph({ alsoOutputPad: true }),
      padPoolGraph({ pads: [0, 0, 3, 3, 0, 0, 3, 3] }),
    ]) {
      const { model, folded } = foldPoolPadding(graph);
      expect(folded).toBe(0);
      expect(model).toBe(graph);
    }
  });

  it.runIf(existsSync(NANODET_MODEL_PATH))('folds NanoDet-g stem pad, its outputs byte-identical', async () => {
    const original = readFileSync(NANODET_MODEL_PATH);
    const { model, folded } = foldPoolPadding(original);
    expect(folded).toBe(1);
    expect(opTypes(model).filter((op) => op === 'Pad').length).toBe(opTypes(original).filter((op) => op === 'Pad').length - 1);
    const random = mulberry32(11);
    const x = new ort.Tensor(
      'float32',
      Float32Array.from({ length: 3 * 416 * 416 }, () => random() * 2 - 1),
      [1, 3, 416, 416],
    );
    const before = await outputOf(original, { input_1: x });
    const after = await outputOf(model, { input_1: x });
    expect(after.length).toBe(before.length);
    after.forEach((b, i) => expect(b.equals(before[i]!)).toBe(true));
  });
});
