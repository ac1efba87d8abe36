/**
 * Reads the weights of a TF.js graph model (`weightsManifest` + the concatenated .bin shards) into
 * typed arrays by weight name, in manifest order.
 *
 * Must never widen float16-quantised weights silently: they stay as their raw float16 bits
 * (`dtype: 'float16'`) so the ONNX keeps them at half the size; and never guess a byte layout it does
 * not know (string or complex weights, unknown quantisation): it throws instead.
 */
import { decodeFloat16Array } from './float16.js';

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale?: number; min?: number; original_dtype?: string };
}

export interface WeightGroup {
  paths: string[];
  weights: WeightSpec[];
}

export type ConstDtype = 'float32' | 'float16' | 'int32' | 'bool';

/** A constant tensor. float16 holds raw half bits; int32 also carries folded int64 shape values. */
export interface ConstTensor {
  dtype: ConstDtype;
  shape: number[];
  data: Float32Array | Uint16Array | Int32Array | Uint8Array;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** Values as float32 (float16 decoded exactly), for folding and comparisons. */
export function asFloat32(tensor: ConstTensor): Float32Array {
  if (tensor.dtype === 'float16') return decodeFloat16Array(tensor.data as Uint16Array);
  return Float32Array.from(tensor.data as ArrayLike<number>);
}

/** Copies `count` little-endian elements starting at `offset` (the .bin has no alignment guarantee). */
function slice(buffer: Uint8Array, offset: number, bytes: number): ArrayBuffer {
  if (offset + bytes > buffer.byteLength) {
    throw new Error(`weights data ends at ${buffer.byteLength} bytes, a weight needs bytes ${offset}..${offset + bytes}`);
  }
  return buffer.slice(offset, offset + bytes).buffer;
}

/** `data` is every shard of every group, concatenated in manifest order (as TF.js loads them). */
export function readWeights(groups: readonly WeightGroup[], data: Uint8Array): Map<string, ConstTensor> {
  const out = new Map<string, ConstTensor>();
  let offset = 0;
  for (const group of groups) {
    for (const spec of group.weights) {
      const count = elementCount(spec.shape);
      const shape = [...spec.shape];
      const q = spec.quantization;
      if (q) {
        if (q.dtype === 'float16') {
          out.set(spec.name, { dtype: 'float16', shape, data: new Uint16Array(slice(data, offset, count * 2)) });
          offset += count * 2;
        } else if (q.dtype === 'uint8' || q.dtype === 'uint16') {
          const width = q.dtype === 'uint8' ? 1 : 2;
          const raw = slice(data, offset, count * width);
          const quantised = width === 1 ? new Uint8Array(raw) : new Uint16Array(raw);
          const scale = q.scale ?? 1;
          const min = q.min ?? 0;
          const values = Float32Array.from(quantised, (v) => v * scale + min);
          out.set(
            spec.name,
            spec.dtype === 'int32'
              ? { dtype: 'int32', shape, data: Int32Array.from(values, Math.round) }
              : { dtype: 'float32', shape, data: values },
          );
          offset += count * width;
        } else {
          throw new Error(`weight ${spec.name}: unsupported quantization dtype ${q.dtype}`);
        }
        continue;
      }
      switch (spec.dtype) {
        case 'float32':
          out.set(spec.name, { dtype: 'float32', shape, data: new Float32Array(slice(data, offset, count * 4)) });
          offset += count * 4;
          break;
        case 'int32':
          out.set(spec.name, { dtype: 'int32', shape, data: new Int32Array(slice(data, offset, count * 4)) });
          offset += count * 4;
          break;
        case 'bool':
          out.set(spec.name, { dtype: 'bool', shape, data: new Uint8Array(slice(data, offset, count)) });
          offset += count;
          break;
        default:
          throw new Error(`weight ${spec.name}: unsupported dtype ${spec.dtype}`);
      }
    }
  }
  if (offset !== data.byteLength) {
    throw new Error(`weights manifest describes ${offset} bytes, the data has ${data.byteLength}`);
  }
  return out;
}
