/**
 * Folds an explicit -inf Pad in front of a MaxPool into the MaxPool's own `pads`, the pattern
 * tf2onnx leaves for TensorFlow's padded max-pool (NanoDet-g's stem: Pad -inf -> Transpose ->
 * Transpose -> MaxPool 3x3/2). The arithmetic is the same: a max over a window whose padded cells
 * hold -inf equals the max over its real cells, and every window keeps one real cell (each pad is
 * smaller than the kernel). ONNX Runtime does not fuse it: the Pad stays a plain-layout op in the
 * middle of the NCHWc Conv chain, and costs its own pass plus the layout reorders around it.
 *
 * Measured (2-core shared machine): ORT profile, one thread, the pinned nanodet-g-416: Pad 1.3-2.9 ms
 * and ReorderOutput 1.6-2.6 ms of a 52-103 ms run; both gone after the fold.
 * `tools/nanodet-fold-cost.ts` (26 photos of ../shared/photos, pinned and folded interleaved, the
 * detector's threads): 47.0 -> 41.1 ms CPU per run at load 6, 48.1 -> 43.9 at load 4, 45.4 -> 39.2
 * at load 4 (8 rounds); 0 of 156 output tensors differ by one byte. `tools/detector-step-cost.ts
 * --dump`, with and without, alternated at load 3-4: records byte-identical; the whole stage 146 /
 * 139 vs 150 / 142 ms CPU per photo (the detect step alone is within this machine's noise there).
 * The eval's --detector-table (recall per detector and setting) is identical. YOLOX-Nano has no such pattern (ORT already fuses its SiLU into QuickGelu; its
 * Focus slices are the input encoding): nothing is folded there.
 *
 * Works on model bytes in memory: it must never write a model anywhere, nor fold a Pad whose output
 * (or any tensor between it and the MaxPool) anything else reads.
 */
import { constantsOf, dimsOf, DT, onnx, type Model, type Node, type Tensor } from '../models/onnx-graph.js';

const attributeOf = (node: Node, name: string) => node.attribute?.find((a) => a.name === name);

const intsOf = (t: Tensor | undefined): number[] | undefined => {
  if (!t || t.dataType !== DT.INT64) return undefined;
  if (t.int64Data && t.int64Data.length > 0) return t.int64Data.map((v) => Number(v));
  // Copy: rawData may be a view at an unaligned offset into the model's bytes.
  return [...new BigInt64Array(Uint8Array.from(t.rawData ?? []).buffer)].map(Number);
};

/** True when the tensor is one -inf, as float32 or float16 (tf2onnx stores it as f16 and casts). */
const isMinusInfinity = (t: Tensor | undefined): boolean => {
  if (!t || dimsOf(t).reduce((a, b) => a * b, 1) !== 1) return false;
  const raw = Uint8Array.from(t.rawData ?? []);
  if (t.dataType === DT.FLOAT) {
    const value =
      t.floatData && t.floatData.length > 0 ? t.floatData[0] : raw.length === 4 ? new DataView(raw.buffer).getFloat32(0, true) : undefined;
    return value === -Infinity;
  }
  return t.dataType === DT.FLOAT16 && raw.length === 2 && new DataView(raw.buffer).getUint16(0, true) === 0xfc00;
};

/** The folded model and how many Pad -> MaxPool pairs were folded. */
export function foldPoolPadding(modelBytes: Uint8Array): { model: Uint8Array; folded: number } {
  const model: Model = onnx.ModelProto.decode(modelBytes);
  const graph = model.graph!;
  const constants = constantsOf(model);
  const producers = new Map<string, Node>();
  const readers = new Map<string, Node[]>();
  for (const node of graph.node ?? []) {
    for (const output of node.output ?? []) producers.set(output, node);
    for (const input of node.input ?? []) readers.set(input, [...(readers.get(input) ?? []), node]);
  }
  const graphOutputs = new Set((graph.output ?? []).map((o) => o.name!));
  const onlyReader = (name: string): Node | undefined => {
    const r = readers.get(name);
    return r?.length === 1 && !graphOutputs.has(name) ? r[0] : undefined;
  };
  /** A constant, or a Cast of one (the value is judged before the cast: -inf stays -inf). */
  const constantOf = (name: string): Tensor | undefined => {
    const producer = producers.get(name);
    return producer?.opType === 'Cast' ? constants.get(producer.input![0]!) : constants.get(name);
  };

  const removed = new Set<Node>();
  for (const pad of graph.node ?? []) {
    if (pad.opType !== 'Pad' || pad.domain) continue;
    const mode = attributeOf(pad, 'mode');
    if (mode && Buffer.from(mode.s ?? []).toString() !== 'constant') continue;
    const [data, padsName, valueName, axes] = pad.input ?? [];
    if (!data || !padsName || !valueName || axes || !isMinusInfinity(constantOf(valueName))) continue;
    const pads = intsOf(constants.get(padsName));
    if (!pads || pads.length % 2 !== 0 || pads.length < 6) continue;
    const rank = pads.length / 2;
    // Only spatial padding (N and C untouched), never negative (a crop).
    if (pads[0] || pads[1] || pads[rank] || pads[rank + 1] || pads.some((p) => p < 0)) continue;

    // Through Transposes that together leave the layout as it was, to the MaxPool.
    let perm = [...Array(rank).keys()];
    let first: Node | undefined;
    let next = onlyReader(pad.output![0]!);
    while (next?.opType === 'Transpose' && !next.domain) {
      const p = attributeOf(next, 'perm')?.ints?.map(Number);
      if (!p || p.length !== rank) break;
      perm = p.map((axis) => perm[axis]!);
      first ??= next;
      next = onlyReader(next.output![0]!);
    }
    const pool = next;
    if (pool?.opType !== 'MaxPool' || pool.domain || perm.some((axis, i) => axis !== i) || (pool.output ?? []).length !== 1) continue;
    const kernel = attributeOf(pool, 'kernel_shape')?.ints?.map(Number);
    const autoPad = attributeOf(pool, 'auto_pad');
    const spatialPads = [...pads.slice(2, rank), ...pads.slice(rank + 2)];
    if (
      !kernel ||
      kernel.length !== rank - 2 ||
      (autoPad && Buffer.from(autoPad.s ?? []).toString() !== 'NOTSET') ||
      Number(attributeOf(pool, 'ceil_mode')?.i ?? 0) !== 0 ||
      (attributeOf(pool, 'dilations')?.ints ?? []).some((d) => Number(d) !== 1) ||
      (attributeOf(pool, 'pads')?.ints ?? []).some((p) => Number(p) !== 0) ||
      spatialPads.some((p, i) => p >= kernel[i % kernel.length]!)
    ) {
      continue;
    }

    (first ?? pool).input![0] = data;
    pool.attribute = [
      ...(pool.attribute ?? []).filter((a) => a.name !== 'pads'),
      onnx.AttributeProto.create({ name: 'pads', ints: spatialPads, type: onnx.AttributeProto.AttributeType.INTS }),
    ];
    removed.add(pad);
    const cast = producers.get(valueName);
    if (cast?.opType === 'Cast' && readers.get(valueName)?.length === 1) removed.add(cast);
  }
  if (removed.size === 0) return { model: modelBytes, folded: 0 };

  graph.node = (graph.node ?? []).filter((n) => !removed.has(n));
  // Constants only the removed nodes read go too (ORT would warn about them at load).
  const read = new Set((graph.node ?? []).flatMap((n) => n.input ?? []));
  const orphaned = new Set([...removed].flatMap((n) => n.input ?? []).filter((name) => !read.has(name) && !graphOutputs.has(name)));
  graph.initializer = (graph.initializer ?? []).filter((t) => !orphaned.has(t.name!));
  graph.node = graph.node.filter((n) => n.opType !== 'Constant' || !orphaned.has(n.output![0]!));
  return { model: onnx.ModelProto.encode(model).finish(), folded: [...removed].filter((n) => n.opType === 'Pad').length };
}
