/**
 * Static int8 quantisation of a PP-OCRv4 ONNX graph's convolutions, in the QDQ form ONNX Runtime
 * fuses into QLinearConv: each Conv's activation input and output pass through QuantizeLinear ->
 * DequantizeLinear (uint8, asymmetric, scales from calibration ranges), its weights become int8
 * per output channel (symmetric) behind a DequantizeLinear, its bias int32 at the input scale times
 * the weight scale. Everything that is not a Conv stays float. The Q/DQ nodes are the com.microsoft
 * contrib ops, which take a per-channel `axis` in any opset (the recogniser is opset 9, where ONNX's
 * own QuantizeLinear does not exist and moving it to opset 13 would change its Clip, Slice and
 * Softmax semantics). ORT fuses each group into ONNX's QLinearConv, which needs opset 10, so an
 * opset-9 graph moves to 10 (its Slice nodes rewritten to the opset-10 form, same meaning).
 * A measurement, not product: on this CPU the int8 copy does not pay (tools/ocr-int8/measure.ts).
 *
 * Also adds float graph outputs for every Conv's input and output (calibrationGraph), so one run
 * of the float model gives the activation ranges the quantiser needs.
 *
 * Works on model bytes in memory: it must never write a model anywhere, nor change a node it does
 * not quantise (beyond the Slice form the opset move needs).
 */
import {
  constantNode,
  constantsOf,
  dimsOf,
  DT,
  dropUnreadConstants,
  floatsOf,
  onnx,
  tensor,
  type Model,
  type Node,
  type Tensor,
} from '../../libs/vision/src/models/onnx-graph.js';

const MS_DOMAIN = 'com.microsoft';

/** An activation's observed range (min <= 0 <= max after widening). */
export interface ActivationRange {
  min: number;
  max: number;
}

/** Which Convs to quantise: all, or only the dense ones (group 1: depthwise Convs stay float). */
export type ConvSelection = 'all' | 'dense';

/** The conv ops quantised: ConvTranspose stays float (no QLinear kernel fuses it on the CPU). */
function isQuantisable(node: Node, which: ConvSelection = 'all'): boolean {
  if (node.opType !== 'Conv' || (node.input?.length ?? 0) < 2) return false;
  const group = Number(node.attribute?.find((a) => a.name === 'group')?.i ?? 1);
  return which === 'all' || group === 1;
}

/** The tensors whose ranges the quantiser needs: every quantised Conv's input and output. */
export function calibrationTensors(modelBytes: Uint8Array): string[] {
  const graph = onnx.ModelProto.decode(modelBytes).graph!;
  const names = new Set<string>();
  for (const node of graph.node ?? []) {
    if (!isQuantisable(node)) continue;
    names.add(node.input![0]!);
    names.add(node.output![0]!);
  }
  return [...names];
}

/** The float model with every calibration tensor also a graph output (same computation). */
export function calibrationGraph(modelBytes: Uint8Array): Uint8Array {
  const model = onnx.ModelProto.decode(modelBytes);
  const graph = model.graph!;
  const existing = new Set((graph.output ?? []).map((o) => o.name));
  for (const name of calibrationTensors(modelBytes)) {
    if (existing.has(name)) continue;
    graph.output!.push(onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: DT.FLOAT } } }));
  }
  return onnx.ModelProto.encode(model).finish();
}

/** A com.microsoft DequantizeLinear (axis 0 when the scale is per channel, ignored when scalar). */
function dqNode(input: string, scale: string, zero: string, output: string): Node {
  return onnx.NodeProto.create({
    opType: 'DequantizeLinear',
    domain: MS_DOMAIN,
    name: `${output}_node`,
    input: [input, scale, zero],
    output: [output],
    attribute: [onnx.AttributeProto.create({ name: 'axis', i: 0, type: onnx.AttributeProto.AttributeType.INT })],
  });
}

function scalarFloat(name: string, v: number): Tensor {
  return tensor(name, DT.FLOAT, [], new Uint8Array(Float32Array.of(v).buffer));
}

/** uint8 asymmetric parameters covering [min, max] widened to include 0 (so 0 is exact). */
export function uint8Params(range: ActivationRange): { scale: number; zeroPoint: number } {
  const min = Math.min(0, range.min);
  const max = Math.max(0, range.max);
  const scale = max - min > 0 ? (max - min) / 255 : 1;
  const zeroPoint = Math.min(255, Math.max(0, Math.round(-min / scale)));
  return { scale, zeroPoint };
}

/** int8 symmetric per-output-channel weights: w[m] = q[m] * scale[m], q in [-127, 127]. */
export function int8PerChannel(weights: Float32Array, outChannels: number): { q: Int8Array; scales: Float32Array } {
  const per = weights.length / outChannels;
  const q = new Int8Array(weights.length);
  const scales = new Float32Array(outChannels);
  for (let m = 0; m < outChannels; m++) {
    let absMax = 0;
    for (let k = 0; k < per; k++) absMax = Math.max(absMax, Math.abs(weights[m * per + k]!));
    const scale = absMax > 0 ? absMax / 127 : 1;
    scales[m] = scale;
    for (let k = 0; k < per; k++) q[m * per + k] = Math.max(-127, Math.min(127, Math.round(weights[m * per + k]! / scale)));
  }
  return { q, scales };
}

/**
 * ORT fuses the Q/DQ groups into ONNX-domain QLinearConv, which exists from opset 10: a graph below
 * (the recogniser is opset 9) moves to 10. Between 9 and 10 only Slice changed among the ops these
 * graphs use (starts/ends/axes move from attributes to inputs, same meaning), so each Slice is
 * rewritten; any other op that changed at 10 makes this throw rather than guess.
 */
function upgradeToOpset10(model: Model): void {
  const onnxOpset = model.opsetImport!.find((o) => !o.domain || o.domain === 'ai.onnx');
  if (!onnxOpset || Number(onnxOpset.version) >= 10) return;
  const changedAt10 = new Set(['Upsample', 'Dropout', 'TopK', 'MaxPool', 'Resize', 'Mod', 'ThresholdedRelu', 'IsInf', 'StringNormalizer']);
  const graph = model.graph!;
  const out: Node[] = [];
  for (const node of graph.node ?? []) {
    if (changedAt10.has(node.opType!)) throw new Error(`Cannot move ${node.opType} from opset ${onnxOpset.version} to 10`);
    if (node.opType !== 'Slice') {
      out.push(node);
      continue;
    }
    const ints = (name: string): number[] | undefined => node.attribute?.find((a) => a.name === name)?.ints?.map((v) => Number(v));
    const starts = ints('starts')!;
    const ends = ints('ends')!;
    const axes = ints('axes') ?? starts.map((_, i) => i);
    const inputs = [node.input![0]!];
    for (const [part, values] of [
      ['starts', starts],
      ['ends', ends],
      ['axes', axes],
    ] as const) {
      const name = `${node.output![0]!}_${part}`;
      out.push(constantNode(name, tensor(name, DT.INT64, [values.length], new Uint8Array(BigInt64Array.from(values, BigInt).buffer))));
      inputs.push(name);
    }
    out.push(onnx.NodeProto.create({ ...node, input: inputs, attribute: [] }));
  }
  graph.node = out;
  onnxOpset.version = 10;
}

/**
 * The QDQ int8 copy of a float graph. `ranges` must hold every tensor calibrationTensors names;
 * a Conv whose weights are not a Constant node (or an initializer) is left float.
 */
export function quantiseConvs(
  modelBytes: Uint8Array,
  ranges: Readonly<Record<string, ActivationRange>>,
  which: ConvSelection = 'all',
): Uint8Array {
  const model = onnx.ModelProto.decode(modelBytes);
  const graph = model.graph!;
  const nodes = graph.node ?? [];
  const constants = constantsOf(model);

  const out: Node[] = [];
  // Activation tensor -> the name of its dequantized copy and its parameters (one Q/DQ pair each).
  const dequantized = new Map<string, { name: string; scale: number }>();
  const activationParams = (name: string): { scale: number; zeroPoint: number } => {
    const range = ranges[name];
    if (!range) throw new Error(`No calibration range for ${name}`);
    return uint8Params(range);
  };
  const qdq = (name: string, into: Node[]): { name: string; scale: number } => {
    const known = dequantized.get(name);
    if (known) return known;
    const { scale, zeroPoint } = activationParams(name);
    const s = `${name}_q_scale`;
    const z = `${name}_q_zero`;
    into.push(constantNode(s, scalarFloat(s, scale)), constantNode(z, tensor(z, DT.UINT8, [], Uint8Array.of(zeroPoint))));
    into.push(
      onnx.NodeProto.create({ opType: 'QuantizeLinear', domain: MS_DOMAIN, name: `${name}_q`, input: [name, s, z], output: [`${name}_q`] }),
    );
    into.push(dqNode(`${name}_q`, s, z, `${name}_dq`));
    const entry = { name: `${name}_dq`, scale };
    dequantized.set(name, entry);
    return entry;
  };

  let quantised = 0;
  for (const node of nodes) {
    const weight = isQuantisable(node, which) ? constants.get(node.input![1]!) : undefined;
    const bias = node.input?.[2] ? constants.get(node.input[2]) : undefined;
    if (!weight || (node.input?.[2] && !bias)) {
      out.push(node);
      continue;
    }
    const x = qdq(node.input![0]!, out);
    const dims = dimsOf(weight);
    const { q, scales } = int8PerChannel(floatsOf(weight), dims[0]!);
    const w = node.input![1]!;
    out.push(
      constantNode(`${w}_int8`, tensor(`${w}_int8`, DT.INT8, dims, new Uint8Array(q.buffer))),
      constantNode(`${w}_scale`, tensor(`${w}_scale`, DT.FLOAT, [dims[0]!], new Uint8Array(scales.buffer))),
      constantNode(`${w}_zero`, tensor(`${w}_zero`, DT.INT8, [dims[0]!], new Uint8Array(dims[0]!))),
      dqNode(`${w}_int8`, `${w}_scale`, `${w}_zero`, `${w}_dq`),
    );
    const inputs = [x.name, `${w}_dq`];
    if (bias) {
      const b = node.input![2]!;
      const floats = floatsOf(bias);
      const bScales = scales.map((s) => s * x.scale);
      const bq = Int32Array.from(floats, (v, m) => Math.round(v / bScales[m]!));
      out.push(
        constantNode(`${b}_int32`, tensor(`${b}_int32`, DT.INT32, [floats.length], new Uint8Array(bq.buffer))),
        constantNode(`${b}_scale`, tensor(`${b}_scale`, DT.FLOAT, [floats.length], new Uint8Array(bScales.buffer))),
        constantNode(`${b}_zero`, tensor(`${b}_zero`, DT.INT32, [floats.length], new Uint8Array(4 * floats.length))),
        dqNode(`${b}_int32`, `${b}_scale`, `${b}_zero`, `${b}_dq`),
      );
      inputs.push(`${b}_dq`);
    }
    // The Conv now writes <y>_float, Q/DQ follow and the DQ writes y: every reader of y is
    // unchanged, and a later Conv reading y finds it already dequantized.
    const y = node.output![0]!;
    out.push(onnx.NodeProto.create({ ...node, input: inputs, output: [`${y}_float`] }));
    const { scale, zeroPoint } = activationParams(y);
    const s = `${y}_q_scale`;
    const z = `${y}_q_zero`;
    out.push(constantNode(s, scalarFloat(s, scale)), constantNode(z, tensor(z, DT.UINT8, [], Uint8Array.of(zeroPoint))));
    out.push(
      onnx.NodeProto.create({
        opType: 'QuantizeLinear',
        domain: MS_DOMAIN,
        name: `${y}_q`,
        input: [`${y}_float`, s, z],
        output: [`${y}_q`],
      }),
    );
    out.push(dqNode(`${y}_q`, s, z, y));
    dequantized.set(y, { name: y, scale });
    quantised++;
  }
  if (quantised === 0) throw new Error('The graph has no Conv with constant weights to quantise');
  graph.node = out;
  // The float weight constants nobody reads any more (the int8 copies replace them).
  dropUnreadConstants(model);
  upgradeToOpset10(model);
  if (!model.opsetImport?.some((o) => o.domain === MS_DOMAIN))
    model.opsetImport!.push(onnx.OperatorSetIdProto.create({ domain: MS_DOMAIN, version: 1 }));
  return onnx.ModelProto.encode(model).finish();
}
