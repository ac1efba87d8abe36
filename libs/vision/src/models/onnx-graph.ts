/**
 * onnx-proto, loaded once for every in-memory graph edit the project makes (libs/vision's
 * pooled-embedding-graph and fold-pool-padding, libs/ocr's fold-graph, tools/ocr-int8's int8-graph),
 * with the small tensor and node helpers they share. libs/ocr imports it as
 * `@media-ai/vision/onnx-graph`, a sub-path that loads nothing else of this package. It only reads
 * and builds protobuf messages: it must never touch a file.
 */
import { createRequire } from 'node:module';
import type OnnxProto from 'onnx-proto';

// protobufjs 6 takes its int64 class from a global `Long` when one exists; hand it onnx-proto's own
// `long` before the generated code loads (another library's global Long, of another shape, fails
// with "Long.fromBits is not a function").
const require = createRequire(import.meta.url);
const fromOnnxProto = createRequire(require.resolve('onnx-proto'));
const protobuf = fromOnnxProto('protobufjs/minimal') as { util: { Long: unknown }; configure(): void };
protobuf.util.Long = fromOnnxProto('long');
protobuf.configure();
export const { onnx } = require('onnx-proto') as typeof OnnxProto;
export type Node = OnnxProto.onnx.INodeProto;
export type Tensor = OnnxProto.onnx.ITensorProto;
export type Model = OnnxProto.onnx.IModelProto;
export const DT = onnx.TensorProto.DataType;

export function floatsOf(tensor: Tensor): Float32Array {
  if (tensor.dataType !== DT.FLOAT) throw new Error(`Expected a float tensor, got data type ${tensor.dataType}`);
  if (tensor.floatData && tensor.floatData.length > 0) return Float32Array.from(tensor.floatData);
  // Copy: rawData may be a view at an unaligned offset into the model's bytes.
  return new Float32Array(Uint8Array.from(tensor.rawData!).buffer);
}

export function dimsOf(tensor: Tensor): number[] {
  return (tensor.dims ?? []).map((d) => Number(d));
}

export function tensor(name: string, dataType: number, dims: number[], bytes: Uint8Array): Tensor {
  return onnx.TensorProto.create({ name, dataType, dims, rawData: bytes });
}

export function floatTensor(name: string, dims: number[], values: Float32Array): Tensor {
  return tensor(name, DT.FLOAT, dims, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

export function constantNode(output: string, value: Tensor): Node {
  return onnx.NodeProto.create({
    opType: 'Constant',
    name: `${output}_const`,
    output: [output],
    attribute: [onnx.AttributeProto.create({ name: 'value', t: value, type: onnx.AttributeProto.AttributeType.TENSOR })],
  });
}

/** Every constant of the graph by name: Constant nodes' values and initializers. */
export function constantsOf(model: Model): Map<string, Tensor> {
  const constants = new Map<string, Tensor>();
  for (const node of model.graph?.node ?? []) {
    if (node.opType === 'Constant' && node.attribute?.[0]?.t) constants.set(node.output![0]!, node.attribute[0].t);
  }
  for (const init of model.graph?.initializer ?? []) constants.set(init.name!, init);
  return constants;
}

/** Drops Constant nodes whose output nobody reads (after an edit replaced their readers). */
export function dropUnreadConstants(model: Model): void {
  const graph = model.graph!;
  const read = new Set((graph.node ?? []).flatMap((n) => n.input ?? []));
  for (const o of graph.output ?? []) read.add(o.name!);
  graph.node = (graph.node ?? []).filter((n) => n.opType !== 'Constant' || read.has(n.output![0]!));
}

/** The op types of a model's nodes, domain-qualified when not ONNX's own (for fusion checks). */
export function opTypes(modelBytes: Uint8Array): string[] {
  return (onnx.ModelProto.decode(modelBytes).graph?.node ?? []).map((n) => (n.domain ? `${n.domain}:${n.opType}` : n.opType!));
}
