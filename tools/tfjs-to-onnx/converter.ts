/**
 * Converts a TF.js graph model (model.json topology + weights) into an ONNX model that
 * onnxruntime runs directly: constant folding of the integer shape chains, op-by-op mapping,
 * NHWC<->NCHW wrapping for convolutions, pools and resizes, and pruning to the requested outputs.
 *
 * Must never change numerics it does not have to: float16-quantised weights stay float16
 * initialisers followed by a Cast to float32 (what TF.js dequantises to, exactly), floats are never
 * folded; and it must throw on an op or attribute it does not map rather than emit a graph that
 * computes something else. Same input, same bytes: no timestamps, no Map-order or random names.
 */
import { DataType, GraphBuilder, type AttributeValue, type ValueInfo } from './onnx-model.js';
import { asFloat32, elementCount, readWeights, type ConstTensor, type WeightGroup } from './weights.js';

export interface TfAttr {
  i?: string | number;
  f?: number;
  b?: boolean;
  s?: string;
  type?: string;
  list?: { i?: Array<string | number>; s?: string[]; f?: number[] };
  shape?: { dim?: Array<{ size?: string | number }>; unknownRank?: boolean };
  tensor?: unknown;
}

export interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttr>;
}

export interface TfjsModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
  signature?: {
    inputs?: Record<string, { name: string; dtype?: string; tensorShape?: { dim?: Array<{ size?: string }> } }>;
    outputs?: Record<string, { name: string; dtype?: string; tensorShape?: { dim?: Array<{ size?: string }> } }>;
  };
  modelTopology: { node: TfNode[]; versions?: unknown; library?: unknown };
  weightsManifest: WeightGroup[];
}

export interface ConvertOptions {
  /** TF node names (or `name:index`) to expose as graph outputs; default: the signature's outputs. */
  outputs?: string[];
  producerName?: string;
  producerVersion?: string;
}

export interface ConversionResult {
  onnx: Uint8Array;
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  stats: { tfNodes: number; tfOps: Record<string, number>; onnxNodes: number; initialisers: number; onnxOps: Record<string, number> };
}

const TF_TO_ONNX_TYPE: Record<string, number> = {
  DT_FLOAT: DataType.FLOAT,
  DT_HALF: DataType.FLOAT16,
  DT_INT32: DataType.INT32,
  DT_INT64: DataType.INT64,
  DT_BOOL: DataType.BOOL,
  DT_UINT8: DataType.UINT8,
};

const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];
/** Integer ops folded when all their inputs are constant (the onnx-tf reshape-shape chains). */
const FOLDABLE_INT_OPS = new Set(['Add', 'AddV2', 'Sub', 'Mul']);
const ELEMENTWISE: Record<string, string> = {
  Add: 'Add',
  AddV2: 'Add',
  Sub: 'Sub',
  Mul: 'Mul',
  RealDiv: 'Div',
  Maximum: 'Max',
  Minimum: 'Min',
  Pow: 'Pow',
};
const UNARY: Record<string, string> = {
  Sigmoid: 'Sigmoid',
  Relu: 'Relu',
  Tanh: 'Tanh',
  Exp: 'Exp',
  Sqrt: 'Sqrt',
  Neg: 'Neg',
  Abs: 'Abs',
  Elu: 'Elu',
  Identity: 'Identity',
};

/** `name`, `name:1`, `^control`, as referenced by node inputs. */
export function parseRef(ref: string): { node: string; index: number; control: boolean } {
  const control = ref.startsWith('^');
  const body = control ? ref.slice(1) : ref;
  const colon = body.lastIndexOf(':');
  if (colon > 0 && /^\d+$/.test(body.slice(colon + 1)))
    return { node: body.slice(0, colon), index: Number(body.slice(colon + 1)), control };
  return { node: body, index: 0, control };
}

/** The ONNX tensor name of a TF output: the node name for output 0, `name:k` otherwise. */
export function tensorName(ref: string): string {
  const { node, index } = parseRef(ref);
  return index === 0 ? node : `${node}:${index}`;
}

function attrString(node: TfNode, key: string, fallback?: string): string {
  const s = node.attr?.[key]?.s;
  if (s === undefined) {
    if (fallback !== undefined) return fallback;
    throw new Error(`${node.op} ${node.name}: attribute ${key} missing`);
  }
  return Buffer.from(s, 'base64').toString('utf8');
}

function attrInts(node: TfNode, key: string): number[] | undefined {
  return node.attr?.[key]?.list?.i?.map(Number);
}

function attrStrings(node: TfNode, key: string): string[] {
  return (node.attr?.[key]?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
}

/** Elementwise integer op with numpy broadcasting over equal shapes or a scalar side. */
function foldIntBinary(op: string, a: ConstTensor, b: ConstTensor): ConstTensor {
  const fn: Record<string, (x: number, y: number) => number> = {
    Add: (x, y) => x + y,
    AddV2: (x, y) => x + y,
    Sub: (x, y) => x - y,
    Mul: (x, y) => Math.imul(x, y),
  };
  const na = elementCount(a.shape);
  const nb = elementCount(b.shape);
  if (na !== nb && na !== 1 && nb !== 1) throw new Error(`cannot fold ${op} of shapes [${a.shape}] and [${b.shape}]`);
  const shape = na >= nb ? a.shape : b.shape;
  const n = Math.max(na, nb);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = fn[op]!(a.data[na === 1 ? 0 : i]!, b.data[nb === 1 ? 0 : i]!);
  return { dtype: 'int32', shape: [...shape], data: out };
}

/** SparseToDense(indices, output_shape, values, default) of constants: a dense constant. */
function foldSparseToDense(indices: ConstTensor, outputShape: ConstTensor, values: ConstTensor, fill: ConstTensor): ConstTensor {
  const shape = Array.from(outputShape.data, Number);
  const n = elementCount(shape);
  const float = fill.dtype === 'float32' || fill.dtype === 'float16';
  const fillValue = float ? asFloat32(fill)[0]! : fill.data[0]!;
  const data = float ? new Float32Array(n).fill(fillValue) : new Int32Array(n).fill(fillValue);
  const valueData = float ? asFloat32(values) : values.data;
  const rank = shape.length;
  const count = indices.shape.length === 0 ? 1 : indices.shape[0]!;
  for (let k = 0; k < count; k++) {
    let offset = 0;
    for (let d = 0; d < rank; d++) offset = offset * shape[d]! + Number(indices.data[k * (indices.shape.length > 1 ? rank : 1) + d]);
    data[offset] = Number(valueData[elementCount(values.shape) === 1 ? 0 : k]);
  }
  return { dtype: float ? 'float32' : 'int32', shape, data };
}

/** HWIO -> OIHW (Conv2D) or HWCM -> (C*M)1HW (depthwise), on raw element arrays of any width. */
export function permuteFilter(tensor: ConstTensor, depthwise: boolean): ConstTensor {
  const [h, w, i, o] = tensor.shape as [number, number, number, number];
  const src = tensor.data;
  const dst = new (src.constructor as { new (n: number): typeof src })(src.length);
  for (let hh = 0; hh < h; hh++)
    for (let ww = 0; ww < w; ww++)
      for (let ii = 0; ii < i; ii++)
        for (let oo = 0; oo < o; oo++) {
          const from = ((hh * w + ww) * i + ii) * o + oo;
          // Depthwise: output channel ii*M+oo with one input channel per group.
          const to = depthwise ? ((ii * o + oo) * h + hh) * w + ww : ((oo * i + ii) * h + hh) * w + ww;
          dst[to] = src[from]!;
        }
  return { dtype: tensor.dtype, shape: depthwise ? [i * o, 1, h, w] : [o, i, h, w], data: dst };
}

function signatureShape(dims: Array<{ size?: string | number }> | undefined): Array<number | null> | null {
  if (!dims) return null;
  return dims.map((d) => {
    const n = Number(d.size ?? -1);
    return n < 0 ? null : n;
  });
}

export function convertTfjsGraph(model: TfjsModelJson, weightData: Uint8Array, options: ConvertOptions = {}): ConversionResult {
  const weights = readWeights(model.weightsManifest, weightData);
  const byName = new Map(model.modelTopology.node.map((n) => [n.name, n]));
  const outputRefs =
    options.outputs ??
    Object.values(model.signature?.outputs ?? {})
      .map((o) => o.name)
      .sort();
  if (outputRefs.length === 0) throw new Error('no outputs: pass options.outputs (the model has no signature outputs)');

  // Topological order of what the outputs need (depth-first, inputs in their listed order).
  const order: TfNode[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string) => {
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') throw new Error(`cycle through ${name} (control flow is not supported)`);
    const node = byName.get(name);
    if (!node) throw new Error(`node ${name} is referenced but not in the graph`);
    state.set(name, 'visiting');
    const stack: string[] = [];
    for (const ref of node.input ?? []) {
      const parsed = parseRef(ref);
      if (!parsed.control) stack.push(parsed.node);
    }
    for (const dep of stack) visit(dep);
    state.set(name, 'done');
    order.push(node);
  };
  for (const ref of outputRefs) visit(parseRef(ref).node);

  const g = new GraphBuilder();
  const consts = new Map<string, ConstTensor>();
  /** Which constants TF declared int64 (TF.js stores them as int32): written as INT64 when they become tensors. */
  const int64Consts = new Set<string>();
  const materialised = new Map<string, string>();
  const tfOps: Record<string, number> = {};

  const constOf = (ref: string): ConstTensor | undefined => consts.get(tensorName(ref));
  const requireConst = (node: TfNode, index: number): ConstTensor => {
    const ref = node.input?.[index];
    const value = ref === undefined ? undefined : constOf(ref);
    if (!value) throw new Error(`${node.op} ${node.name}: input ${index} (${ref}) must be a constant`);
    return value;
  };
  const ints = (t: ConstTensor): number[] => Array.from(t.data, Number);

  /** The ONNX tensor for a TF reference; constants become initialisers (float16 + Cast) on first use. */
  const tensor = (ref: string): string => {
    const name = tensorName(ref);
    const value = consts.get(name);
    if (!value) return name;
    const done = materialised.get(name);
    if (done) return done;
    if (value.dtype === 'float16') {
      g.constTensor(`${name}__f16`, value);
      g.node('Cast', [`${name}__f16`], [name], { to: DataType.FLOAT });
    } else {
      g.constTensor(name, value, int64Consts.has(name) ? 'int64' : 'int32');
    }
    materialised.set(name, name);
    return name;
  };

  /** A filter in ONNX layout, as an initialiser (float16 + Cast when quantised). */
  const filter = (ref: string, depthwise: boolean): string => {
    const key = `${tensorName(ref)}__${depthwise ? 'dw' : 'oihw'}`;
    const done = materialised.get(key);
    if (done) return done;
    const value = constOf(ref);
    if (!value) {
      if (depthwise) throw new Error(`depthwise filter ${ref} must be a constant`);
      return g.op('Transpose', [tensor(ref)], { perm: [3, 2, 0, 1] }, key);
    }
    const permuted = permuteFilter(value, depthwise);
    if (permuted.dtype === 'float16') {
      g.constTensor(`${key}_f16`, permuted);
      g.node('Cast', [`${key}_f16`], [key], { to: DataType.FLOAT });
    } else {
      g.constTensor(key, permuted);
    }
    materialised.set(key, key);
    return key;
  };

  const inputs = (node: TfNode) => (node.input ?? []).filter((r) => !parseRef(r).control);

  for (const node of order) {
    tfOps[node.op] = (tfOps[node.op] ?? 0) + 1;
    const ins = inputs(node);
    const allConst = ins.length > 0 && ins.every((r) => consts.has(tensorName(r)));
    const out = node.name;

    if (node.op === 'Const') {
      const value = weights.get(node.name);
      if (!value) throw new Error(`Const ${node.name} has no entry in the weights manifest`);
      consts.set(out, value);
      if (node.attr?.dtype?.type === 'DT_INT64') int64Consts.add(out);
      continue;
    }
    // Constant folding: only what is exact (aliases, integer arithmetic, scatter of constants).
    if (allConst && node.op === 'Identity') {
      consts.set(out, constOf(ins[0]!)!);
      if (int64Consts.has(tensorName(ins[0]!))) int64Consts.add(out);
      continue;
    }
    if (allConst && node.op === 'SparseToDense') {
      consts.set(out, foldSparseToDense(requireConst(node, 0), requireConst(node, 1), requireConst(node, 2), requireConst(node, 3)));
      if (node.attr?.T?.type === 'DT_INT64') int64Consts.add(out);
      continue;
    }
    if (allConst && FOLDABLE_INT_OPS.has(node.op) && ins.every((r) => constOf(r)!.dtype === 'int32')) {
      consts.set(out, foldIntBinary(node.op, requireConst(node, 0), requireConst(node, 1)));
      if (node.attr?.T?.type === 'DT_INT64') int64Consts.add(out);
      continue;
    }

    switch (node.op) {
      case 'Placeholder': {
        const dims = node.attr?.shape?.shape?.dim;
        g.inputs.push({
          name: out,
          elemType: TF_TO_ONNX_TYPE[node.attr?.dtype?.type ?? 'DT_FLOAT'] ?? DataType.FLOAT,
          shape: signatureShape(dims),
        });
        break;
      }
      case 'Conv2D':
      case 'DepthwiseConv2dNative':
      case '_FusedConv2D':
      case 'FusedDepthwiseConv2dNative': {
        const depthwise = node.op.includes('Depthwise');
        const nhwc = attrString(node, 'data_format', 'NHWC') === 'NHWC';
        const pick = (list: number[] | undefined, fallback: number[]) =>
          list && list.length === 4 ? (nhwc ? [list[1]!, list[2]!] : [list[2]!, list[3]!]) : fallback;
        const strides = pick(attrInts(node, 'strides'), [1, 1]);
        const dilations = pick(attrInts(node, 'dilations'), [1, 1]);
        const filterValue = constOf(ins[1]!);
        const filterShape = filterValue?.shape;
        const attributes: Record<string, AttributeValue> = { strides, dilations };
        if (filterShape) attributes.kernel_shape = [filterShape[0]!, filterShape[1]!];
        if (depthwise) attributes.group = filterShape![2]!;
        const padding = attrString(node, 'padding');
        if (padding === 'SAME') attributes.auto_pad = 'SAME_UPPER';
        else if (padding === 'EXPLICIT') {
          const p = attrInts(node, 'explicit_paddings') ?? [];
          const [t, b, l, r] = nhwc ? [p[2]!, p[3]!, p[4]!, p[5]!] : [p[4]!, p[5]!, p[6]!, p[7]!];
          attributes.pads = [t, l, b, r];
        } else if (padding !== 'VALID') throw new Error(`${node.op} ${node.name}: padding ${padding}`);
        const x = nhwc ? g.op('Transpose', [tensor(ins[0]!)], { perm: NHWC_TO_NCHW }, `${out}/nchw`) : tensor(ins[0]!);
        const fused = node.op.startsWith('_Fused') || node.op.startsWith('Fused') ? attrStrings(node, 'fused_ops') : [];
        const convInputs = [x, filter(ins[1]!, depthwise)];
        let activation: string | undefined;
        for (const f of fused) {
          if (f === 'BiasAdd') convInputs.push(tensor(ins[2]!));
          else if (!activation) activation = f;
          else throw new Error(`${node.op} ${node.name}: fused ops ${fused.join(',')}`);
        }
        let y = g.op('Conv', convInputs, attributes, `${out}/conv`);
        if (activation) y = applyActivation(g, activation, y, node);
        if (nhwc) g.node('Transpose', [y], [out], { perm: NCHW_TO_NHWC });
        else g.node('Identity', [y], [out]);
        break;
      }
      case 'MaxPool':
      case 'AvgPool': {
        const nhwc = attrString(node, 'data_format', 'NHWC') === 'NHWC';
        const pick = (list: number[] | undefined) => (nhwc ? [list![1]!, list![2]!] : [list![2]!, list![3]!]);
        const padding = attrString(node, 'padding');
        const attributes: Record<string, AttributeValue> = {
          kernel_shape: pick(attrInts(node, 'ksize')),
          strides: pick(attrInts(node, 'strides')),
        };
        if (padding === 'SAME') attributes.auto_pad = 'SAME_UPPER';
        else if (padding !== 'VALID') throw new Error(`${node.op} ${node.name}: padding ${padding}`);
        const x = nhwc ? g.op('Transpose', [tensor(ins[0]!)], { perm: NHWC_TO_NCHW }, `${out}/nchw`) : tensor(ins[0]!);
        const y = g.op(node.op === 'MaxPool' ? 'MaxPool' : 'AveragePool', [x], attributes, `${out}/pool`);
        g.node(nhwc ? 'Transpose' : 'Identity', [y], [out], nhwc ? { perm: NCHW_TO_NHWC } : {});
        break;
      }
      case 'Pad':
      case 'PadV2':
      case 'MirrorPad': {
        const p = ints(requireConst(node, 1));
        const rank = p.length / 2;
        const begins = Array.from({ length: rank }, (_, d) => p[2 * d]!);
        const ends = Array.from({ length: rank }, (_, d) => p[2 * d + 1]!);
        const padInputs = [tensor(ins[0]!), g.int64(g.fresh(`${out}/pads`), [...begins, ...ends])];
        const attributes: Record<string, AttributeValue> = {};
        if (node.op === 'PadV2') padInputs.push(tensor(ins[2]!));
        if (node.op === 'MirrorPad') {
          const mode = attrString(node, 'mode');
          if (mode !== 'REFLECT') throw new Error(`MirrorPad ${node.name}: mode ${mode}`);
          attributes.mode = 'reflect';
        }
        g.node('Pad', padInputs, [out], attributes);
        break;
      }
      case 'ConcatV2': {
        const axis = ints(requireConst(node, ins.length - 1))[0]!;
        g.node('Concat', ins.slice(0, -1).map(tensor), [out], { axis });
        break;
      }
      case 'SplitV': {
        const sizes = ints(requireConst(node, 1));
        if (sizes.some((s) => s < 0)) throw new Error(`SplitV ${node.name}: inferred split size (-1) is not supported`);
        const axis = ints(requireConst(node, 2))[0]!;
        const outs = sizes.map((_, k) => (k === 0 ? out : `${out}:${k}`));
        g.node('Split', [tensor(ins[0]!), g.int64(g.fresh(`${out}/split`), sizes)], outs, { axis });
        break;
      }
      case 'Split': {
        const axis = ints(requireConst(node, 0))[0]!;
        const n = Number(node.attr?.num_split?.i ?? 1);
        const outs = Array.from({ length: n }, (_, k) => (k === 0 ? out : `${out}:${k}`));
        g.node('Split', [tensor(ins[1]!)], outs, { axis, num_outputs: n });
        break;
      }
      case 'ResizeBilinear':
      case 'ResizeNearestNeighbor': {
        // ORT 1.30's transpose optimiser mis-rewrites Resize with the opset-18 `axes` attribute
        // ("Number of elements of input 'sizes' (0) does not match the number of axes (2)"), so
        // resize in NCHW with full 4-d sizes = Concat(Shape(x)[0:2], [h, w]) and no `axes`.
        const [h, w] = ints(requireConst(node, 1));
        const alignCorners = node.attr?.align_corners?.b === true;
        const halfPixel = node.attr?.half_pixel_centers?.b === true;
        const x = g.op('Transpose', [tensor(ins[0]!)], { perm: NHWC_TO_NCHW }, `${out}/nchw`);
        const batchChannels = g.op('Shape', [x], { start: 0, end: 2 }, `${out}/nc`);
        const sizes = g.op('Concat', [batchChannels, g.int64(g.fresh(`${out}/hw`), [h!, w!])], { axis: 0 }, `${out}/sizes`);
        const attributes: Record<string, AttributeValue> =
          node.op === 'ResizeBilinear'
            ? { mode: 'linear', coordinate_transformation_mode: alignCorners ? 'align_corners' : halfPixel ? 'half_pixel' : 'asymmetric' }
            : {
                mode: 'nearest',
                coordinate_transformation_mode: alignCorners ? 'align_corners' : halfPixel ? 'tf_half_pixel_for_nn' : 'asymmetric',
                nearest_mode: alignCorners ? 'round_prefer_ceil' : 'floor',
              };
        const y = g.op('Resize', [x, '', '', sizes], attributes, `${out}/resize`);
        g.node('Transpose', [y], [out], { perm: NCHW_TO_NHWC });
        break;
      }
      case 'Transpose':
        g.node('Transpose', [tensor(ins[0]!)], [out], { perm: ints(requireConst(node, 1)) });
        break;
      case 'Reshape': {
        const shape = ints(requireConst(node, 1));
        g.node('Reshape', [tensor(ins[0]!), g.int64(g.fresh(`${out}/shape`), shape)], [out]);
        break;
      }
      case 'Mean': {
        const axes = ints(requireConst(node, 1));
        const keepdims = node.attr?.keep_dims?.b === true ? 1 : 0;
        g.node('ReduceMean', [tensor(ins[0]!), g.int64(g.fresh(`${out}/axes`), axes)], [out], { keepdims });
        break;
      }
      case 'BiasAdd': {
        if (attrString(node, 'data_format', 'NHWC') !== 'NHWC') throw new Error(`BiasAdd ${node.name}: only NHWC`);
        g.node('Add', [tensor(ins[0]!), tensor(ins[1]!)], [out]);
        break;
      }
      case 'Cast': {
        const to = TF_TO_ONNX_TYPE[node.attr?.DstT?.type ?? ''];
        if (to === undefined) throw new Error(`Cast ${node.name}: unsupported DstT ${node.attr?.DstT?.type}`);
        g.node('Cast', [tensor(ins[0]!)], [out], { to });
        break;
      }
      case 'Relu6':
      case 'LeakyRelu':
      case 'Rsqrt':
      case 'Softmax':
        g.node('Identity', [applyActivation(g, node.op, tensor(ins[0]!), node)], [out]);
        break;
      default: {
        const binary = ELEMENTWISE[node.op];
        if (binary && ins.length === 2) {
          g.node(binary, [tensor(ins[0]!), tensor(ins[1]!)], [out]);
          break;
        }
        const unary = UNARY[node.op];
        if (unary && ins.length === 1) {
          g.node(unary, [tensor(ins[0]!)], [out]);
          break;
        }
        throw new Error(`unsupported op ${node.op} (${node.name})`);
      }
    }
  }

  const signatureOutputs = model.signature?.outputs ?? {};
  for (const ref of outputRefs) {
    const name = tensorName(ref);
    if (consts.has(name)) throw new Error(`output ${ref} is a constant`);
    const described = Object.values(signatureOutputs).find((o) => tensorName(o.name) === name);
    g.outputs.push({
      name,
      elemType: TF_TO_ONNX_TYPE[described?.dtype ?? 'DT_FLOAT'] ?? DataType.FLOAT,
      shape: signatureShape(described?.tensorShape?.dim),
    });
  }
  g.prune();
  const onnxOps: Record<string, number> = {};
  for (const n of g.nodes) onnxOps[n.opType] = (onnxOps[n.opType] ?? 0) + 1;
  const bytes = g.encode({
    name: options.producerName ?? 'media-ai tfjs-to-onnx',
    version: options.producerVersion ?? '1',
    docString: [model.generatedBy, model.convertedBy].filter(Boolean).join(' via '),
  });
  return {
    onnx: bytes,
    inputs: g.inputs,
    outputs: g.outputs,
    stats: {
      tfNodes: order.length,
      tfOps: sortKeys(tfOps),
      onnxNodes: g.nodes.length,
      initialisers: g.initialisers.size,
      onnxOps: sortKeys(onnxOps),
    },
  };
}

function applyActivation(g: GraphBuilder, activation: string, x: string, node: TfNode): string {
  switch (activation) {
    case 'Relu':
      return g.op('Relu', [x]);
    case 'Relu6':
      return g.op('Clip', [x, g.float32(g.fresh('relu6_min'), [0], []), g.float32(g.fresh('relu6_max'), [6], [])]);
    case 'LeakyRelu': {
      const alpha = node.attr?.alpha?.f ?? node.attr?.leakyrelu_alpha?.f ?? 0.2;
      return g.op('LeakyRelu', [x], { alpha: { float: alpha } });
    }
    case 'Elu':
      return g.op('Elu', [x]);
    case 'Sigmoid':
      return g.op('Sigmoid', [x]);
    case 'Tanh':
      return g.op('Tanh', [x]);
    case 'Rsqrt':
      return g.op('Reciprocal', [g.op('Sqrt', [x])]);
    case 'Softmax':
      return g.op('Softmax', [x], { axis: -1 });
    default:
      throw new Error(`${node.op} ${node.name}: unsupported activation ${activation}`);
  }
}

function sortKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
