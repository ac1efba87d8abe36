/**
 * The recogniser's CTC reduction moved into its graph: at session load the rec model's softmax
 * output [N, T, C] is replaced by three [N, T] outputs, the ArgMax over the classes (first index
 * of the maximum, as ctcDecode picks it), that maximum, and the space class's probability. The
 * model bytes are rewritten in memory only. Why: the full softmax is N x T x 6625 floats a batch
 * (~12 MB at width 640) copied into a new ArrayBuffer on every run, and that external memory drove
 * most of the OCR process's full garbage collections; the argmax over it also cost ~5 ms of JS a
 * photo. It must never change a reading: the softmax node is untouched and its values only feed
 * the reductions, so the decoded text, confidences and gaps are those ctcDecode gives on the full
 * output (rec-tail.test.ts checks both on the package's model).
 */
import { onnx, type Model, type Node } from '@media-ai/vision/onnx-graph';

type Attribute = NonNullable<Node['attribute']>[number];
type ValueInfo = NonNullable<NonNullable<Model['graph']>['output']>[number];

export const REC_TAIL_OUTPUTS = { best: 'ctc_best', bestProb: 'ctc_best_prob', spaceProb: 'ctc_space_prob' } as const;

const attr = (name: string, value: number | number[]): Attribute =>
  Array.isArray(value)
    ? onnx.AttributeProto.create({ name, ints: value, type: onnx.AttributeProto.AttributeType.INTS })
    : onnx.AttributeProto.create({ name, i: value, type: onnx.AttributeProto.AttributeType.INT });

/** The rec graph with the three [N, T] reductions as its outputs; `space` is the space class's index. */
export function withCtcReductions(modelBytes: Uint8Array, space: number): Uint8Array {
  const model = onnx.ModelProto.decode(modelBytes) as Model;
  const graph = model.graph!;
  const [softmaxOutput] = graph.output ?? [];
  if (graph.output?.length !== 1 || !softmaxOutput?.name) throw new Error('The rec model must have one output (its softmax)');
  const probs = softmaxOutput.name;
  const node = (opType: string, input: string[], output: string, attribute: Attribute[]): Node =>
    onnx.NodeProto.create({ opType, input, output: [output], name: output, attribute });
  const spaceIndex = `${REC_TAIL_OUTPUTS.spaceProb}_index`;
  const best64 = `${REC_TAIL_OUTPUTS.best}_int64`;
  graph.initializer!.push(
    onnx.TensorProto.create({ name: spaceIndex, dataType: onnx.TensorProto.DataType.INT64, dims: [], int64Data: [space] }),
  );
  graph.node!.push(
    node('ArgMax', [probs], best64, [attr('axis', 2), attr('keepdims', 0)]),
    node('Cast', [best64], REC_TAIL_OUTPUTS.best, [attr('to', onnx.TensorProto.DataType.INT32)]),
    node('ReduceMax', [probs], REC_TAIL_OUTPUTS.bestProb, [attr('axes', [2]), attr('keepdims', 0)]),
    node('Gather', [probs, spaceIndex], REC_TAIL_OUTPUTS.spaceProb, [attr('axis', 2)]),
  );
  const output = (name: string, elemType: number): ValueInfo =>
    onnx.ValueInfoProto.create({
      name,
      type: { tensorType: { elemType, shape: { dim: softmaxOutput.type!.tensorType!.shape!.dim!.slice(0, 2) } } },
    });
  graph.output = [
    output(REC_TAIL_OUTPUTS.best, onnx.TensorProto.DataType.INT32),
    output(REC_TAIL_OUTPUTS.bestProb, onnx.TensorProto.DataType.FLOAT),
    output(REC_TAIL_OUTPUTS.spaceProb, onnx.TensorProto.DataType.FLOAT),
  ];
  return onnx.ModelProto.encode(model).finish();
}
