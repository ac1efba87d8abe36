/**
 * Finds COCO objects in decoded photos with a COCO detector (YOLOX-Nano or NanoDet-g: the family
 * picks the input encoding and output decoding, see detector-families.ts) and returns them with
 * boxes normalized to the photo (0..1, x/y = top-left), the shape the records and post.enhanced carry.
 *
 * Must never invent objects: no detector without a resolved, verified model; and it keeps the
 * batch-shaped API even though this export is fixed at batch 1 (it loops), so callers need not care.
 */
import ort from 'onnxruntime-node';
import type { Box } from '@media-ai/contracts';
import type { DecodedImage } from './decoded-image.js';
import { DETECTOR_CODECS, type DetectorCodec, type DetectorFamily } from './detector-families.js';
import { createModelSession, runInference, type ExecutionProvider, type InferenceOptions } from './inference-session.js';
import type { ModelOutput } from './nanodet.js';

export interface DetectedObject {
  label: string;
  confidence: number;
  box: Box;
}

export interface ObjectDetectorOptions extends InferenceOptions {
  /** The model file, or its bytes (an in-memory edit of a verified file, as NanoDet's pool-padding fold). */
  modelPath: string | Uint8Array;
  /** COCO-80 names in model output order. */
  labels: string[];
  /** Model name for record `model` fields and model_versions keys. */
  name: string;
  version: string;
  /** Which input encoding and output decoding the model needs (default 'yolox'). */
  family?: DetectorFamily;
  /**
   * Minimum score (YOLOX: obj * max(cls); NanoDet: max(cls)). Defaults per family: YOLOX 0.3 (the
   * README's tested range 0.25..0.30, strict side), NanoDet 0.45.
   */
  scoreThreshold?: number;
  /** Per-class NMS IoU, as in Megvii's demo. */
  nmsIouThreshold?: number;
}

export class ObjectDetector {
  readonly name: string;
  readonly version: string;
  readonly executionProvider: ExecutionProvider;
  readonly family: DetectorFamily;
  readonly scoreThreshold: number;
  private readonly inputName: string;
  private readonly fixedBatch: boolean;
  private onInference: InferenceOptions['onInference'];

  private constructor(
    private readonly session: ort.InferenceSession,
    executionProvider: ExecutionProvider,
    private readonly codec: DetectorCodec,
    private readonly labels: string[],
    scoreThreshold: number,
    private readonly nmsIouThreshold: number,
    name: string,
    version: string,
  ) {
    this.name = name;
    this.version = version;
    this.executionProvider = executionProvider;
    this.family = codec.family;
    this.scoreThreshold = scoreThreshold;
    this.inputName = session.inputNames[0] ?? 'images';
    const meta = session.inputMetadata[0];
    this.fixedBatch = !!meta && meta.isTensor && typeof meta.shape[0] === 'number';
  }

  /** Opens the one session for this process; call at start-up, not per request. */
  static async create(options: ObjectDetectorOptions): Promise<ObjectDetector> {
    const codec = DETECTOR_CODECS[options.family ?? 'yolox'];
    const { session, executionProvider } = await createModelSession(options.modelPath, options);
    const detector = new ObjectDetector(
      session,
      executionProvider,
      codec,
      options.labels,
      options.scoreThreshold ?? codec.defaultScoreThreshold,
      options.nmsIouThreshold ?? 0.45,
      options.name,
      options.version,
    );
    detector.onInference = options.onInference;
    return detector;
  }

  /** Whether the model takes one image per run (then detect() loops over the batch). */
  get batchIsFixed(): boolean {
    return this.fixedBatch;
  }

  /** One list of objects per image, in input order, highest confidence first. */
  async detect(images: DecodedImage[]): Promise<DetectedObject[][]> {
    const results: DetectedObject[][] = [];
    // Both exports declare a [1,3,416,416] input: one run per image.
    for (const image of images) results.push(await this.detectOne(image));
    return results;
  }

  private detectOne(image: DecodedImage): Promise<DetectedObject[]> {
    return runInference(this, 1, this.onInference, async (span) => {
      const objects = await this.runOne(image);
      span.setAttribute('media_ai.objects', objects.length);
      return objects;
    });
  }

  private async runOne(image: DecodedImage): Promise<DetectedObject[]> {
    const { input: data, letterbox } = await this.codec.encode(image);
    const size = this.codec.inputSize;
    const input = new ort.Tensor('float32', data, [1, 3, size, size]);
    const results = await this.session.run({ [this.inputName]: input });
    let detections;
    try {
      const outputs: ModelOutput[] = this.session.outputNames.map((name) => {
        const tensor = results[name];
        if (!tensor) throw new Error(`${this.name} session returned no ${name} output`);
        return { dims: tensor.dims, data: tensor.data as Float32Array };
      });
      detections = this.codec.decode(outputs, letterbox, {
        imageWidth: image.width,
        imageHeight: image.height,
        numClasses: this.labels.length,
        scoreThreshold: this.scoreThreshold,
        nmsIouThreshold: this.nmsIouThreshold,
      });
    } finally {
      for (const tensor of Object.values(results)) tensor.dispose();
      input.dispose();
    }
    return detections.map((d) => ({
      label: this.labels[d.classIndex] ?? `class_${d.classIndex}`,
      confidence: d.score,
      box: {
        x: d.x1 / image.width,
        y: d.y1 / image.height,
        width: (d.x2 - d.x1) / image.width,
        height: (d.y2 - d.y1) / image.height,
      },
    }));
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
