/**
 * Exposes MobileNetV2-int8's global-average-pool features as a second graph output, so one session
 * run gives both the ImageNet logits (the classifier) and the photo's embedding (the fingerprint).
 * The edit is done in memory on the model bytes the ModelManager verified: the model file on disk is
 * never changed, and nothing derived from it is written anywhere.
 *
 * Also exposes a few intermediate feature maps (FEATURE_MAP_OUTPUTS) the same way, for the item's
 * instance-level pool (masked-pool.ts).
 *
 * Must never change what the existing output computes: it only appends DequantizeLinear nodes that
 * read a uint8 tensor with its producer's own output scale and zero point, and graph outputs.
 */
import { onnx } from '../models/onnx-graph.js';

/** The name of the added output: [N, 1280, 1, 1] float32, the pooled features (all >= 0, after ReLU6). */
export const POOLED_EMBEDDING_OUTPUT = 'media_ai_pooled_embedding';

/**
 * The model with the pooled features as an added output. Throws when the graph has no
 * QLinearGlobalAveragePool (another model than the int8 MobileNetV2 the manifest pins).
 */
export function withPooledEmbeddingOutput(modelBytes: Uint8Array): Uint8Array {
  const model = onnx.ModelProto.decode(modelBytes);
  const graph = model.graph;
  const pool = graph?.node?.find((n) => n.opType === 'QLinearGlobalAveragePool');
  // Inputs: X, x_scale, x_zero_point, y_scale, y_zero_point: the output is read with y's.
  if (!graph || !pool || pool.input?.length !== 5 || pool.output?.length !== 1) {
    throw new Error('The classifier graph has no QLinearGlobalAveragePool node to take the embedding from');
  }
  if (graph.output?.some((o) => o.name === POOLED_EMBEDDING_OUTPUT)) return modelBytes;
  // The input's height and width are left free (the network is convolutional up to its global pool, whose
  // reshape reads the shape at run time): an item crop may be embedded at a smaller side than the photo's 224.
  const dims = graph.input?.[0]?.type?.tensorType?.shape?.dim;
  if (dims?.length === 4) {
    dims[2] = onnx.TensorShapeProto.Dimension.create({ dimParam: 'height' });
    dims[3] = onnx.TensorShapeProto.Dimension.create({ dimParam: 'width' });
    // The recorded intermediate shapes are the 224 input's: inferred again from the input at load instead.
    graph.valueInfo = [];
  }
  graph.node!.push(
    onnx.NodeProto.create({
      opType: 'DequantizeLinear',
      name: `${POOLED_EMBEDDING_OUTPUT}_dequantize`,
      input: [pool.output[0]!, pool.input[3]!, pool.input[4]!],
      output: [POOLED_EMBEDDING_OUTPUT],
    }),
  );
  graph.output!.push(
    onnx.ValueInfoProto.create({ name: POOLED_EMBEDDING_OUTPUT, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } }),
  );
  for (const [tensor, name] of Object.entries(FEATURE_MAP_OUTPUTS)) {
    // QLinearConv and QLinearAdd both take their output's scale and zero point as inputs 6 and 7.
    const producer = graph.node!.find((n) => n.output?.[0] === tensor && (n.opType === 'QLinearAdd' || n.opType === 'QLinearConv'));
    if (!producer || (producer.input?.length ?? 0) < 8)
      throw new Error(`The classifier graph has no quantized ${tensor} to take a feature map from`);
    graph.node!.push(
      onnx.NodeProto.create({
        opType: 'DequantizeLinear',
        name: `${name}_dequantize`,
        input: [tensor, producer.input![6]!, producer.input![7]!],
        output: [name],
      }),
    );
    graph.output!.push(onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } }));
  }
  return onnx.ModelProto.encode(model).finish();
}

/**
 * Intermediate feature maps also exposed (quantized tensor name in the graph -> added output):
 * the end of MobileNetV2's 32-channel 28 × 28 stage, its 64-channel and 96-channel 14 × 14 stages
 * (each a residual block's sum: linear, so signed). Earlier layers keep an instance's texture and
 * pattern that the global pool of the last one averages into a category.
 */
export const FEATURE_MAP_OUTPUTS: Readonly<Record<string, string>> = {
  '365_quantized': 'media_ai_block_28x28x32',
  '400_quantized': 'media_ai_block_14x14x64',
  '426_quantized': 'media_ai_block_14x14x96',
};
