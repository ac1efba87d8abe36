/**
 * A minimal ONNX graph builder over onnx-proto's generated protobuf classes: nodes, initialisers,
 * typed inputs/outputs, and the encoding of the final ModelProto (opset 18, IR 8).
 *
 * Must never depend on insertion accidents for its bytes: names are generated from a counter in
 * call order and every field is written in a fixed order, so the same graph encodes to the same
 * bytes; and never emit an initialiser or node that no graph output needs (see prune()).
 */
import { createRequire } from 'node:module';
import type OnnxProto from 'onnx-proto';
import type { ConstTensor } from './weights.js';

// protobufjs 6 picks its int64 class from a global `Long` when one exists (TF.js defines one, of
// another shape: "Long.fromBits is not a function"); hand it onnx-proto's own `long` before the
// generated code loads.
const require = createRequire(import.meta.url);
const fromOnnxProto = createRequire(require.resolve('onnx-proto'));
const protobuf = fromOnnxProto('protobufjs/minimal') as { util: { Long: unknown }; configure(): void };
protobuf.util.Long = fromOnnxProto('long');
protobuf.configure();
const { onnx } = require('onnx-proto') as typeof OnnxProto;
export type { onnx as OnnxTypes } from 'onnx-proto';

export const ONNX_OPSET = 18;
export const ONNX_IR_VERSION = 8;
export const DataType = onnx.TensorProto.DataType;

export type AttributeValue = number | string | number[] | { float: number } | { floats: number[] };

export interface OnnxNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attributes: Record<string, AttributeValue>;
}

export interface Initialiser {
  name: string;
  dataType: number;
  dims: number[];
  raw: Uint8Array;
}

export interface ValueInfo {
  name: string;
  elemType: number;
  /** null: unknown dimension. */
  shape: Array<number | null> | null;
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initialisers = new Map<string, Initialiser>();
  readonly inputs: ValueInfo[] = [];
  readonly outputs: ValueInfo[] = [];
  private counter = 0;

  /** A fresh tensor name derived from `base`, unique within this graph. */
  fresh(base: string): string {
    return `${base}__${this.counter++}`;
  }

  node(opType: string, inputs: string[], outputs: string[], attributes: Record<string, AttributeValue> = {}, name?: string): string[] {
    this.nodes.push({ opType, inputs, outputs, name: name ?? outputs[0] ?? this.fresh(opType), attributes });
    return outputs;
  }

  /** One-output node with a fresh output name. */
  op(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}, base = opType): string {
    const [out] = this.node(opType, inputs, [this.fresh(base)], attributes);
    return out!;
  }

  initialiser(name: string, dataType: number, dims: number[], raw: Uint8Array): string {
    this.initialisers.set(name, { name, dataType, dims, raw });
    return name;
  }

  int64(name: string, values: readonly number[], dims: number[] = [values.length]): string {
    return this.initialiser(name, DataType.INT64, dims, bytesOf(BigInt64Array.from(values, (v) => BigInt(v))));
  }

  float32(name: string, values: Float32Array | readonly number[], dims: number[]): string {
    return this.initialiser(name, DataType.FLOAT, dims, bytesOf(Float32Array.from(values)));
  }

  /** A constant tensor as it comes from the weights; int32 data is written as `intType`. */
  constTensor(name: string, tensor: ConstTensor, intType: 'int32' | 'int64' = 'int32'): string {
    switch (tensor.dtype) {
      case 'float32':
        return this.initialiser(name, DataType.FLOAT, tensor.shape, bytesOf(tensor.data));
      case 'float16':
        return this.initialiser(name, DataType.FLOAT16, tensor.shape, bytesOf(tensor.data));
      case 'bool':
        return this.initialiser(name, DataType.BOOL, tensor.shape, bytesOf(tensor.data));
      case 'int32':
        return intType === 'int64'
          ? this.int64(name, Array.from(tensor.data), tensor.shape)
          : this.initialiser(name, DataType.INT32, tensor.shape, bytesOf(tensor.data));
    }
  }

  /** Keeps only the nodes and initialisers the graph outputs depend on, in their original order. */
  prune(): void {
    const needed = new Set(this.outputs.map((o) => o.name));
    const keep = new Array<boolean>(this.nodes.length).fill(false);
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const node = this.nodes[i]!;
      if (node.outputs.some((o) => needed.has(o))) {
        keep[i] = true;
        for (const input of node.inputs) if (input) needed.add(input);
      }
    }
    const kept = this.nodes.filter((_, i) => keep[i]);
    this.nodes.splice(0, this.nodes.length, ...kept);
    for (const name of [...this.initialisers.keys()]) if (!needed.has(name)) this.initialisers.delete(name);
  }

  encode(producer: { name: string; version: string; docString?: string }): Uint8Array {
    const valueInfo = (v: ValueInfo) => ({
      name: v.name,
      type: {
        tensorType: {
          elemType: v.elemType,
          shape: v.shape ? { dim: v.shape.map((d) => (d === null ? { dimParam: `${v.name}_dim` } : { dimValue: d })) } : undefined,
        },
      },
    });
    const attribute = (name: string, value: AttributeValue) => {
      const A = onnx.AttributeProto.AttributeType;
      if (typeof value === 'number') return { name, type: A.INT, i: value };
      if (typeof value === 'string') return { name, type: A.STRING, s: new TextEncoder().encode(value) };
      if (Array.isArray(value)) return { name, type: A.INTS, ints: value };
      if ('float' in value) return { name, type: A.FLOAT, f: value.float };
      return { name, type: A.FLOATS, floats: value.floats };
    };
    const model = onnx.ModelProto.create({
      irVersion: ONNX_IR_VERSION,
      producerName: producer.name,
      producerVersion: producer.version,
      docString: producer.docString ?? '',
      opsetImport: [{ domain: '', version: ONNX_OPSET }],
      graph: {
        name: 'main',
        node: this.nodes.map((n) => ({
          opType: n.opType,
          name: n.name,
          input: n.inputs,
          output: n.outputs,
          attribute: Object.keys(n.attributes)
            .sort()
            .map((k) => attribute(k, n.attributes[k]!)),
        })),
        initializer: [...this.initialisers.values()].map((t) => ({ name: t.name, dataType: t.dataType, dims: t.dims, rawData: t.raw })),
        input: this.inputs.map(valueInfo),
        output: this.outputs.map(valueInfo),
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
