/**
 * Classifies decoded photos with MobileNetV2 (int8, ImageNet-1k) and returns the top-k ImageNet
 * labels with softmax probabilities, each mapped to a lost-and-found item category (or null).
 * Batches for real: the model's batch dimension is dynamic, so N photos are one session run.
 * The same session also gives each image's pooled features (the fingerprint's embedding): the graph
 * gets that output in memory at load (fingerprint/pooled-embedding-graph.ts).
 *
 * Must never report logits as probabilities, and never map a label outside the explicit table
 * (item-categories.ts) to a category.
 */
import { readFile } from 'node:fs/promises';
import ort from 'onnxruntime-node';
import { FEATURE_MAP_OUTPUTS, POOLED_EMBEDDING_OUTPUT, withPooledEmbeddingOutput } from '../fingerprint/pooled-embedding-graph.js';
import { resizeRgb, type DecodedImage } from './decoded-image.js';
import { createModelSession, runInference, type ExecutionProvider, type InferenceOptions } from './inference-session.js';
import { itemCategoryFor } from './item-categories.js';
import { itemCellsOf, maskedMeanMax } from '../fingerprint/masked-pool.js';

/** Torchvision ImageNet evaluation transform: shorter side 256, centre crop 224. */
export const CLASSIFIER_RESIZE_SHORTER = 256;
export const CLASSIFIER_CROP = 224;
/** ImageNet channel statistics (RGB, on 0..1 values) the model zoo network was trained with. */
const MEAN = [0.485, 0.456, 0.406] as const;
const STD = [0.229, 0.224, 0.225] as const;

export interface ItemClassification {
  /** ImageNet class name as in imagenet1000.txt. */
  label: string;
  classIndex: number;
  /** Lost-and-found category, null when the class is not an item we map. */
  item: string | null;
  /** Softmax probability, 0..1. */
  confidence: number;
}

/**
 * The embedding's model id and version: the pooled features of this graph, as this code preprocesses
 * for them; :3 adds the item's own pool of ITEM_FEATURE_MAP to item crops' vectors (1280 + 64 values).
 */
export const POOLED_EMBEDDING_VERSION = 'global-average-pool+block-28x28x32:3';

/** The intermediate feature map an item's vector adds (FEATURE_MAP_OUTPUTS): texture and pattern the global pool averages away. */
export const ITEM_FEATURE_MAP = 'media_ai_block_28x28x32';

/** One image's feature map from inside the network: channels × height × width, row-major. */
export interface FeatureMap {
  data: Float32Array;
  channels: number;
  height: number;
  width: number;
}

export interface ItemClassifierOptions extends InferenceOptions {
  modelPath: string;
  /** ImageNet-1k names in model output order. */
  labels: string[];
  name: string;
  version: string;
  /** How many classes to return per photo (default 5). */
  topK?: number;
  /** Drop classes below this probability (default 0.01): the long tail is noise, not evidence. */
  minConfidence?: number;
}

export class ItemClassifier {
  readonly name: string;
  readonly version: string;
  readonly executionProvider: ExecutionProvider;
  private readonly inputName: string;
  private readonly outputName: string;
  private onInference: InferenceOptions['onInference'];

  private constructor(
    private readonly session: ort.InferenceSession,
    executionProvider: ExecutionProvider,
    private readonly labels: string[],
    private readonly topK: number,
    private readonly minConfidence: number,
    name: string,
    version: string,
  ) {
    this.name = name;
    this.version = version;
    this.executionProvider = executionProvider;
    this.inputName = session.inputNames[0] ?? 'input';
    this.outputName = session.outputNames[0] ?? 'output';
  }

  /** Opens the one session for this process; call at start-up, not per request. */
  static async create(options: ItemClassifierOptions): Promise<ItemClassifier> {
    const model = withPooledEmbeddingOutput(await readFile(options.modelPath));
    const { session, executionProvider } = await createModelSession(model, options);
    const classifier = new ItemClassifier(
      session,
      executionProvider,
      options.labels,
      options.topK ?? 5,
      options.minConfidence ?? 0.01,
      options.name,
      options.version,
    );
    classifier.onInference = options.onInference;
    return classifier;
  }

  /** The embedding's model id (`<classifier name>/<POOLED_EMBEDDING_VERSION>`): vectors of other ids never compare. */
  get embeddingModel(): string {
    return `${this.name}/${POOLED_EMBEDDING_VERSION}`;
  }

  /** Top-k classes per image, in input order, most probable first. One session run for all images. */
  async classify(images: DecodedImage[]): Promise<ItemClassification[][]> {
    return (await this.classifyAndEmbed(images)).classes;
  }

  /** Classes and pooled features (1280 values, not normalised) per image, from the same one session run. */
  async classifyAndEmbed(images: DecodedImage[]): Promise<{ classes: ItemClassification[][]; embeddings: Float32Array[] }> {
    if (images.length === 0) return { classes: [], embeddings: [] };
    // One span and one measurement per session run (preprocessing, run, softmax), over the whole batch.
    return runInference(this, images.length, this.onInference, () => this.classifyBatch(images));
  }

  /**
   * The instance vectors of item images (fingerprint's itemImage), one session run: the global pool
   * (category-level, L2-normalised) ++ the ITEM_FEATURE_MAP pooled over the item's own cells (mean ++ max,
   * unit length: maskedMeanMax), so a cosine of two is the mean of both parts' cosines. Measured on the
   * matching benchmark's tune split (`npm run eval:match -- --layers`): the 28 × 28 × 32 block beat the
   * 14 × 14 ones and the global pool alone (HACKING.md). Any other image counts as all item.
   * `side`: the network's input side (the graph's height and width are free, pooled-embedding-graph.ts);
   * the framing stays the 224-of-256 one, so the item's cells map as at 224. Only measurements use another.
   */
  async embed(images: DecodedImage[], side: number = CLASSIFIER_CROP): Promise<Float32Array[]> {
    const { embeddings, maps } = await this.embedWithFeatureMaps(images, side);
    return images.map((image, i) => {
      const global = embeddings[i]!;
      const map = maps[i]![ITEM_FEATURE_MAP]!;
      const own = maskedMeanMax(map, itemCellsOf(image, map.height, map.width, CLASSIFIER_CROP));
      let norm = 0;
      for (const v of global) norm += v * v;
      norm = Math.sqrt(norm) || 1;
      const both = new Float32Array(global.length + own.length);
      for (let k = 0; k < global.length; k++) both[k] = global[k]! / norm;
      both.set(own, global.length);
      return both;
    });
  }

  /** Pooled features and the intermediate feature maps (FEATURE_MAP_OUTPUTS, by output name) per image, one session run. */
  async embedWithFeatureMaps(
    images: DecodedImage[],
    side: number = CLASSIFIER_CROP,
  ): Promise<{ embeddings: Float32Array[]; maps: Array<Record<string, FeatureMap>> }> {
    if (images.length === 0) return { embeddings: [], maps: [] };
    const { embeddings, maps } = await runInference(this, images.length, this.onInference, () => this.classifyBatch(images, side));
    return { embeddings, maps };
  }

  private async classifyBatch(
    images: DecodedImage[],
    side: number = CLASSIFIER_CROP,
  ): Promise<{ classes: ItemClassification[][]; embeddings: Float32Array[]; maps: Array<Record<string, FeatureMap>> }> {
    const plane = side * side;
    const batch = new Float32Array(images.length * 3 * plane);
    for (let i = 0; i < images.length; i++) {
      await this.writeInput(images[i]!, batch, i * 3 * plane, side);
    }
    const input = new ort.Tensor('float32', batch, [images.length, 3, side, side]);
    const outputs = await this.session.run({ [this.inputName]: input });
    const output = outputs[this.outputName];
    const pooled = outputs[POOLED_EMBEDDING_OUTPUT];
    if (!output || !pooled) throw new Error(`Classifier session returned no ${output ? POOLED_EMBEDDING_OUTPUT : this.outputName} output`);
    const logits = output.data as Float32Array;
    const classes = logits.length / images.length;
    const features = pooled.data as Float32Array;
    const dims = features.length / images.length;
    const results: ItemClassification[][] = [];
    const embeddings: Float32Array[] = [];
    const maps: Array<Record<string, FeatureMap>> = images.map(() => ({}));
    for (let i = 0; i < images.length; i++) {
      results.push(this.topClasses(softmax(logits.subarray(i * classes, (i + 1) * classes))));
      embeddings.push(features.slice(i * dims, (i + 1) * dims));
    }
    for (const name of Object.values(FEATURE_MAP_OUTPUTS)) {
      const tensor = outputs[name];
      if (!tensor) throw new Error(`Classifier session returned no ${name} output`);
      const [, channels, height, width] = tensor.dims as number[];
      const size = channels! * height! * width!;
      const data = tensor.data as Float32Array;
      for (let i = 0; i < images.length; i++)
        maps[i]![name] = { data: data.slice(i * size, (i + 1) * size), channels: channels!, height: height!, width: width! };
      tensor.dispose();
    }
    output.dispose();
    pooled.dispose();
    input.dispose();
    return { classes: results, embeddings, maps };
  }

  async close(): Promise<void> {
    await this.session.release();
  }

  /**
   * Shorter side to 256 (bilinear), centre crop 224, RGB planes, x/255 then (x - mean) / std; at another
   * `side`, the same framing scaled (shorter side to side × 256 / 224, centre crop side).
   */
  private async writeInput(image: DecodedImage, target: Float32Array, offset: number, side: number = CLASSIFIER_CROP): Promise<void> {
    const scale = Math.round((CLASSIFIER_RESIZE_SHORTER * side) / CLASSIFIER_CROP) / Math.min(image.width, image.height);
    const width = Math.max(side, Math.round(image.width * scale));
    const height = Math.max(side, Math.round(image.height * scale));
    const resized = await resizeRgb(image, width, height);
    const left = Math.floor((width - side) / 2);
    const top = Math.floor((height - side) / 2);
    const plane = side * side;
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const src = ((top + y) * width + (left + x)) * 3;
        const dst = offset + y * side + x;
        for (let c = 0; c < 3; c++) {
          target[dst + c * plane] = (resized[src + c]! / 255 - MEAN[c]!) / STD[c]!;
        }
      }
    }
  }

  private topClasses(probabilities: Float32Array): ItemClassification[] {
    const order = Array.from(probabilities.keys()).sort((a, b) => probabilities[b]! - probabilities[a]!);
    const top: ItemClassification[] = [];
    for (const index of order.slice(0, this.topK)) {
      const confidence = probabilities[index]!;
      if (confidence < this.minConfidence) break;
      const label = this.labels[index] ?? `class_${index}`;
      top.push({ label, classIndex: index, item: itemCategoryFor(label, index), confidence });
    }
    return top;
  }
}

/** Numerically stable softmax (the model outputs logits). */
export function softmax(logits: ArrayLike<number>): Float32Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  const out = new Float32Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    out[i] = Math.exp(logits[i]! - max);
    sum += out[i]!;
  }
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / sum;
  return out;
}
