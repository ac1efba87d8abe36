/**
 * Folds the elementwise tails PaddlePaddle's export leaves in the PP-OCRv4 graphs into fewer ops,
 * with the same arithmetic up to float rounding:
 * - PP-LCNetV3's learnable affine block right after a Conv (Conv -> Mul by a scalar -> Add a
 *   scalar) becomes the Conv alone, with its weights times the scale and its bias times the scale
 *   plus the shift;
 * - hard-swish written out as Add 3 -> Clip [0, 6] -> Mul by x -> Div 6 becomes
 *   HardSigmoid(alpha 1/6, beta 0.5) -> Mul by x.
 * ONNX Runtime fuses neither: on these models the elementwise ops cost as much CPU as the Convs
 * (ORT profile, one thread: det 257 ms a run of which Conv 89, Add + Mul + Clip + Div 107).
 *
 * Measured (2-core shared machine, ../shared/photos, 26 photos): `tools/ocr-int8/measure.ts`, the
 * variants interleaved at load 8-12: det 167-178 -> 121-124 ms CPU per run, rec 286-294 -> 163-166;
 * no box, no map pixel across the DB threshold and no crop's text changed. `tools/ocr-step-cost.ts`
 * with and without `--no-fold` at load 9: the whole hybrid reader 866 -> 534 ms CPU per photo
 * (rec inference 425 -> 224, det 216 -> 120), its readings (`--dump`) byte-identical.
 *
 * Works on model bytes in memory: it must never write a model anywhere, nor fold a pattern whose
 * intermediate tensor anything else reads.
 */
import {
  constantsOf,
  dimsOf,
  dropUnreadConstants,
  floatsOf,
  floatTensor,
  constantNode,
  onnx,
  type Node,
  type Tensor,
} from '@media-ai/vision/onnx-graph';

export interface FoldCounts {
  /** Conv -> Mul -> Add groups folded into the Conv. */
  affine: number;
  /** Mul -> Add groups folded into the unpadded Conv that alone reads them. */
  affineIntoNext: number;
  /** Hard-swish chains rewritten. */
  hardSwish: number;
}

const scalarOf = (t: Tensor | undefined): number | undefined => {
  if (!t || dimsOf(t).reduce((a, b) => a * b, 1) !== 1) return undefined;
  try {
    return floatsOf(t)[0];
  } catch {
    return undefined;
  }
};

/** The folded model and how many groups of each kind were folded. */
export function foldElementwise(modelBytes: Uint8Array): { model: Uint8Array; counts: FoldCounts } {
  const model = onnx.ModelProto.decode(modelBytes);
  const graph = model.graph!;
  const nodes = graph.node ?? [];
  const constants = constantsOf(model);
  const readers = new Map<string, Node[]>();
  for (const node of nodes) for (const input of node.input ?? []) readers.set(input, [...(readers.get(input) ?? []), node]);
  const graphOutputs = new Set((graph.output ?? []).map((o) => o.name!));
  /** The one node reading a tensor, when exactly one does and it is not a graph output. */
  const soleReader = (name: string, opType: string): Node | undefined => {
    const r = readers.get(name);
    return r?.length === 1 && r[0]!.opType === opType && !graphOutputs.has(name) ? r[0] : undefined;
  };
  /** The scalar constant among a binary node's inputs, and the other input. */
  const scalarAndOther = (node: Node): { value: number; other: string } | undefined => {
    const [a, b] = node.input ?? [];
    const va = scalarOf(constants.get(a!));
    const vb = scalarOf(constants.get(b!));
    if (vb !== undefined && va === undefined) return { value: vb, other: a! };
    if (va !== undefined && vb === undefined) return { value: va, other: b! };
    return undefined;
  };

  const removed = new Set<Node>();
  const replaced = new Map<Node, Node[]>();
  const counts: FoldCounts = { affine: 0, affineIntoNext: 0, hardSwish: 0 };
  /** Convs being rewritten: their current weights, bias, input and output. */
  const edits = new Map<Node, { dims: number[]; w: Float32Array; b: Float32Array; input: string; output: string }>();
  const editOf = (conv: Node) => {
    const known = edits.get(conv);
    if (known) return known;
    const weight = constants.get(conv.input![1]!);
    const bias = conv.input![2] ? constants.get(conv.input![2]) : undefined;
    if (!weight || (conv.input![2] && !bias)) return undefined;
    const dims = dimsOf(weight);
    const edit = {
      dims,
      w: floatsOf(weight),
      b: bias ? Float32Array.from(floatsOf(bias)) : new Float32Array(dims[0]!),
      input: conv.input![0]!,
      output: conv.output![0]!,
    };
    edits.set(conv, edit);
    return edit;
  };

  // An affine block (Mul by a scalar, Add a scalar) read only by an unpadded Conv goes into that
  // Conv: W' = W * scale, bias' = bias + shift * (sum of W over each output's inputs). Exact only
  // without padding (a padded border would see 0 instead of the shift), so padded Convs are skipped.
  for (const mul of nodes) {
    if (mul.opType !== 'Mul') continue;
    const scale = scalarAndOther(mul);
    const add = scale && soleReader(mul.output![0]!, 'Add');
    const shift = add && scalarAndOther(add);
    const conv = add && soleReader(add.output![0]!, 'Conv');
    if (!scale || !add || !shift || !conv || conv.input![0] !== add.output![0] || !isUnpadded(conv)) continue;
    const edit = editOf(conv);
    if (!edit) continue;
    const out = edit.dims[0]!;
    const per = edit.w.length / out;
    for (let m = 0; m < out; m++) {
      let sum = 0;
      for (let k = 0; k < per; k++) sum += edit.w[m * per + k]!;
      edit.b[m] = edit.b[m]! + shift.value * sum;
    }
    edit.w = edit.w.map((v) => v * scale.value);
    edit.input = scale.other;
    removed.add(mul).add(add);
    counts.affineIntoNext++;
  }

  // Conv -> Mul by a scalar -> Add a scalar: W' = W * scale, bias' = bias * scale + shift.
  for (const conv of nodes) {
    if (conv.opType !== 'Conv') continue;
    const mul = soleReader(conv.output![0]!, 'Mul');
    const scale = mul && !removed.has(mul) ? scalarAndOther(mul) : undefined;
    const add = mul && soleReader(mul.output![0]!, 'Add');
    const shift = add && !removed.has(add) ? scalarAndOther(add) : undefined;
    if (!mul || !scale || !add || !shift) continue;
    const edit = editOf(conv);
    if (!edit) continue;
    edit.w = edit.w.map((v) => v * scale.value);
    edit.b = edit.b.map((v) => v * scale.value + shift.value);
    edit.output = add.output![0]!;
    removed.add(mul).add(add);
    counts.affine++;
  }
  for (const [conv, edit] of edits) {
    const name = `${conv.output![0]!}_folded`;
    replaced.set(conv, [
      constantNode(`${name}_w`, floatTensor(`${name}_w`, edit.dims, edit.w)),
      constantNode(`${name}_b`, floatTensor(`${name}_b`, [edit.dims[0]!], edit.b)),
      onnx.NodeProto.create({ ...conv, input: [edit.input, `${name}_w`, `${name}_b`], output: [edit.output] }),
    ]);
  }

  for (const plus of nodes) {
    if (plus.opType !== 'Add' || removed.has(plus)) continue;
    const three = scalarAndOther(plus);
    if (three?.value !== 3) continue;
    const x = three.other;
    const clip = soleReader(plus.output![0]!, 'Clip');
    if (!clip || !isClip06(clip, constants)) continue;
    const times = soleReader(clip.output![0]!, 'Mul');
    if (!times || !(times.input ?? []).includes(x)) continue;
    const div = soleReader(times.output![0]!, 'Div');
    if (!div || div.input![0] !== times.output![0] || scalarOf(constants.get(div.input![1]!)) !== 6) continue;
    const gate = `${div.output![0]!}_hard_sigmoid`;
    replaced.set(plus, [
      onnx.NodeProto.create({
        opType: 'HardSigmoid',
        name: gate,
        input: [x],
        output: [gate],
        attribute: [
          onnx.AttributeProto.create({ name: 'alpha', f: 1 / 6, type: onnx.AttributeProto.AttributeType.FLOAT }),
          onnx.AttributeProto.create({ name: 'beta', f: 0.5, type: onnx.AttributeProto.AttributeType.FLOAT }),
        ],
      }),
      onnx.NodeProto.create({ opType: 'Mul', name: `${gate}_mul`, input: [x, gate], output: [div.output![0]!] }),
    ]);
    removed.add(clip).add(times).add(div);
    counts.hardSwish++;
  }

  graph.node = nodes.flatMap((n) => (removed.has(n) ? [] : (replaced.get(n) ?? [n])));
  dropUnreadConstants(model);
  return { model: onnx.ModelProto.encode(model).finish(), counts };
}

/** A Clip to [0, 6], in either opset's form (attributes before 11, inputs from 11). */
function isClip06(clip: Node, constants: Map<string, Tensor>): boolean {
  const attr = (name: string): number | undefined => clip.attribute?.find((a) => a.name === name)?.f ?? undefined;
  const min = clip.input?.[1] ? scalarOf(constants.get(clip.input[1])) : attr('min');
  const max = clip.input?.[2] ? scalarOf(constants.get(clip.input[2])) : attr('max');
  return min === 0 && max === 6;
}

/** A Conv with no padding at all (explicit zero pads, auto_pad NOTSET or VALID). */
function isUnpadded(conv: Node): boolean {
  const pads = conv.attribute?.find((a) => a.name === 'pads')?.ints?.map(Number) ?? [];
  const autoPad = conv.attribute?.find((a) => a.name === 'auto_pad')?.s;
  const auto = autoPad ? new TextDecoder().decode(autoPad) : 'NOTSET';
  return pads.every((p) => p === 0) && (auto === 'NOTSET' || auto === 'VALID');
}
