/**
 * The detector stage: for a batch of normalized photos, read each JPEG from the blob store (or take
 * the cached result for the same image and models), decode it once, find COCO objects and classify
 * the item in one classifier run for the whole batch, and publish one DetectionsRecord per photo to
 * media-ai.detections keyed by post id, with the photo's visual fingerprint (the main item's embedding
 * from the classifier's session, and a perceptual hash). A photo given up on gets a failed record, so the aggregator
 * never waits for it.
 *
 * Must never invent results for a capability whose model is missing: a missing model leaves its
 * list empty, drops it from model_versions and says MEDIA_AI_MODEL_UNAVAILABLE in the record; with
 * no model at all the stage refuses to be built (the wiring leaves it off, see detectorStageEnabled).
 * Never caches a failure.
 */
import {
  emptyDetections,
  failedPart,
  MediaAiError,
  okPart,
  STAGES,
  TOPICS,
  toMediaAiError,
  type ClassificationRecord,
  type DetectedObjectRecord,
  type DetectionsRecord,
  type NamedColor,
  type PartPayload,
  type PhotoFingerprint,
  type PhotoRecord,
  type SalientObjectRecord,
} from '@media-ai/contracts';
import { bestEffortCache, resultCacheKey, type ResultCache } from '@media-ai/state';
import type { BlobStore } from '@media-ai/storage';
import type { InboundRecord, OutboundRecord, Stage, StageContext } from '@media-ai/stream';
import {
  cocoOutline,
  decodeImage,
  fingerprintPhotos,
  itemColors,
  salientObject,
  type DecodedImage,
  type DetectedObject,
  type ItemClassification,
  type ItemMask,
  type PhotoEmbedder,
} from '@media-ai/vision';

export const DETECTOR_STAGE_NAME = STAGES.detector;
/**
 * Part of the cache key besides the model versions: bump it when decoding, thresholds' defaults or
 * the item table change what the same model files produce, so old cached results are not served
 * (r3: objects carry their measured colours; r4: the photo's salient object, when the classifier ran;
 * r5: the record carries the photo's fingerprint; r6: the salient object's background model leaves out the
 * ring cells of an item reaching the border; r7: the fingerprint's crop is the salient object's when no detected
 * object qualifies; r8: an item's and the salient object's colours end with their accent colours; r9: the
 * fingerprint's crop is the item alone, drawn into a neutral square with the salient object's mask greying out the
 * rest, and carries the item's colour histogram; r10: the crop's embedding adds the item's own pool of an
 * intermediate feature map, model id mobilenetv2-int8/global-average-pool+block-28x28x32:3; r11: an accent must be
 * mostly enclosed by the item's own colour; r12: an item's white (yellow) first colour on a surface with a metal's
 * lightness spread is named silver (gold); r13: an item's dim white beside a clearly brighter white in the photo is named
 * silver, and the vocabulary's own gold is a gold prototype; r14: every name's vocabulary colour is one of its
 * prototypes, so a shaded purple is no longer named navy; r15: an item's colours end with a thin part's vivid colour
 * that is rare around its box, surroundContrastColors; r16: with a context ring round the box, the item model drops
 * the colours of the surroundings and a few clearly separated cells are the item, so a thin or open item is no
 * longer named after the wall behind it; r17: not where the detector's label says the item is solid, cocoOutline, so a
 * black phone held over a black wall stays black; r18: a dark item's thin metal rim or bezel, a bright neutral run with
 * a metal's lightness swing between its face and what lies beyond, adds silver, metalRimColors; in an underexposed
 * photo (white point under L* 75) the item's lightest near-neutral colours are named as read with the exposure lifted,
 * so a dim white is white, scene-light.ts; and the photo's palette on a light page or card ends with its print's colour,
 * printColours: a book page's black text, a card's thin blue or greyish-green print. The palette is the fetcher's,
 * measured afresh on every fetch with no cache key of its own, and read with the detector's records).
 */
export const DETECTOR_RESULT_VERSION = 'r18';

/** The object detector as the stage uses it (DetectorEnsemble or ObjectDetector from @media-ai/vision). */
export interface PhotoObjectDetector {
  readonly name: string;
  readonly version: string;
  /** model_versions entries when it is several models (an ensemble); else {name: version}. */
  readonly versions?: Readonly<Record<string, string>>;
  /** Objects of an ensemble name the models that saw them (`models`); a single model's do not. */
  detect(images: DecodedImage[]): Promise<Array<Array<DetectedObject & { models?: string[] }>>>;
  close?(): Promise<void>;
}

/** The item classifier as the stage uses it (ItemClassifier from @media-ai/vision). */
export interface PhotoItemClassifier {
  readonly name: string;
  readonly version: string;
  classify(images: DecodedImage[]): Promise<ItemClassification[][]>;
  /**
   * Classes and pooled features from one run (ItemClassifier): with `embed` and `embeddingModel`, the
   * stage fingerprints each photo; a classifier without them publishes fingerprint null.
   */
  classifyAndEmbed?(images: DecodedImage[]): Promise<{ classes: ItemClassification[][]; embeddings: Float32Array[] }>;
  embed?: PhotoEmbedder['embed'];
  readonly embeddingModel?: string;
  close?(): Promise<void>;
}

export interface DetectorStageOptions {
  /** null when its model could not be resolved (loadDetectionModels reports why). */
  detector: PhotoObjectDetector | null;
  classifier: PhotoItemClassifier | null;
  /** Reasons for the missing capabilities, for the records' error_message (loadDetectionModels().unavailable). */
  unavailable?: ReadonlyArray<{ model: string; reason: string }>;
  blobs: BlobStore;
  cache: ResultCache;
  /** REDIS_AI_RESULTS_TTL. */
  cacheTtlSeconds: number;
  /** Most photos per runner batch and per classifier run. */
  maxBatchSize: number;
  /** A cache that fails is skipped, not fatal (the models still answer); the wiring logs and counts it. */
  onCacheError?: (error: unknown, operation: 'get' | 'set') => void;
  now?: () => number;
}

/** What is cached per image: everything in the record that depends only on the pixels and the models (the payload). */
type CachedDetections = PartPayload<DetectionsRecord>;

/**
 * Whether a detector stage is worth starting: at least one capability loaded. When false, the wiring
 * must not start the stage and must not list 'detector' among a post's expected stages.
 */
export function detectorStageEnabled(models: { detector: unknown; classifier: unknown }): boolean {
  return models.detector != null || models.classifier != null;
}

export function createDetectorStage(options: DetectorStageOptions): Stage<PhotoRecord> {
  const { detector, classifier, blobs, cache, cacheTtlSeconds, onCacheError } = options;
  if (!detector && !classifier) {
    throw new MediaAiError(
      'MEDIA_AI_MODEL_UNAVAILABLE',
      `Detector stage has no model: ${describeUnavailable(options.unavailable) || 'neither detector nor classifier given'}`,
    );
  }
  if (!Number.isInteger(options.maxBatchSize) || options.maxBatchSize < 1) {
    throw new RangeError(`maxBatchSize must be a positive integer, got ${options.maxBatchSize}`);
  }
  const maxBatchSize = options.maxBatchSize;
  const now = options.now ?? Date.now;
  const modelVersions: Record<string, string> = {};
  if (detector) Object.assign(modelVersions, detector.versions ?? { [detector.name]: detector.version });
  if (classifier) modelVersions[classifier.name] = classifier.version;
  const cacheVersion = [detector?.version ?? 'no-detector', classifier?.version ?? 'no-classifier', DETECTOR_RESULT_VERSION].join('+');
  const missing = missingCapabilities(detector, classifier, options.unavailable);

  const results = bestEffortCache(cache, {
    key: (sha256) => resultCacheKey(DETECTOR_STAGE_NAME, cacheVersion, sha256),
    // An entry of another shape (older code under the same key) is a miss, not trusted.
    accept: (entry) => {
      const value = entry as Partial<CachedDetections> | null;
      return value && Array.isArray(value.objects) && Array.isArray(value.classifications) ? (value as CachedDetections) : undefined;
    },
    ttlSeconds: cacheTtlSeconds,
    onError: onCacheError,
  });

  // The fingerprint's embeddings come from the classifier's session: whole photos from its one run, crops from one more.
  const embedder: PhotoEmbedder | null =
    classifier?.classifyAndEmbed && classifier.embed && classifier.embeddingModel
      ? { embeddingModel: classifier.embeddingModel, embed: (images) => classifier.embed!(images) }
      : null;
  async function classifyAndEmbed(images: DecodedImage[]): Promise<{ classes: ItemClassification[][]; embeddings: Float32Array[] }> {
    if (!classifier) return { classes: images.map(() => []), embeddings: [] };
    if (embedder) return classifier.classifyAndEmbed!(images);
    return { classes: await classifier.classify(images), embeddings: [] };
  }

  /** Runs both models on up to maxBatchSize distinct images: one classifier run, detector per its batch rule. */
  async function analyse(images: DecodedImage[]): Promise<CachedDetections[]> {
    const results: CachedDetections[] = [];
    for (let start = 0; start < images.length; start += maxBatchSize) {
      const chunk = images.slice(start, start + maxBatchSize);
      let objects: Array<Array<DetectedObject & { models?: string[] }>>;
      let classes: ItemClassification[][];
      let fingerprints: Array<PhotoFingerprint | null>;
      let salient: Array<SalientObjectRecord | null>;
      try {
        let wholePhoto: Float32Array[];
        [objects, { classes, embeddings: wholePhoto }] = await Promise.all([
          detector ? detector.detect(chunk) : chunk.map(() => []),
          classifyAndEmbed(chunk),
        ]);
        // The salient object is measured first: its box is the fingerprint's crop when no detected object qualifies.
        const found = chunk.map((image, i) => salientObjectOf(classes[i] ?? [], image));
        salient = found.map((f) => f?.record ?? null);
        fingerprints = embedder
          ? await fingerprintPhotos(
              embedder,
              chunk,
              objects,
              wholePhoto,
              found.map((f) => (f ? { box: f.record.box, mask: f.mask } : null)),
            )
          : chunk.map(() => null);
      } catch (error) {
        throw error instanceof MediaAiError
          ? error
          : new MediaAiError('MEDIA_AI_INFERENCE_FAILED', `Detector inference failed: ${(error as Error).message}`, { cause: error });
      }
      chunk.forEach((_, i) =>
        results.push({
          objects: withColors(objects[i] ?? [], chunk[i]!).map(([o, colors]) => objectRecord(o, detector!.name, colors)),
          classifications: (classes[i] ?? []).map((c) => classificationRecord(c, classifier!.name)),
          salient_object: salient[i] ?? null,
          fingerprint: fingerprints[i] ?? null,
        }),
      );
    }
    return results;
  }

  async function handleBatch(records: InboundRecord<PhotoRecord>[], _ctx: StageContext): Promise<Array<OutboundRecord[] | Error>> {
    const started = now();
    const found = new Map<string, CachedDetections | Error>();

    // 1. Cache, once per distinct image (the same photo may arrive for several posts).
    const distinct = [...new Set(records.map((r) => r.value.sha256))];
    await Promise.all(
      distinct.map(async (sha256) => {
        const hit = await results.get(sha256);
        if (hit) found.set(sha256, hit);
      }),
    );

    // 2. Read and decode each missing image once; a failure belongs to that photo alone.
    const toAnalyse: Array<{ sha256: string; image: DecodedImage }> = [];
    await Promise.all(
      distinct
        .filter((sha256) => !found.has(sha256))
        .map(async (sha256) => {
          const photo = records.find((r) => r.value.sha256 === sha256)!.value;
          try {
            const image = await decodeImage(await blobs.get(photo.blob_key));
            toAnalyse.push({ sha256, image });
          } catch (error) {
            found.set(sha256, toMediaAiError(error));
          }
        }),
    );

    // 3. One inference pass over every image that needs it.
    if (toAnalyse.length > 0) {
      try {
        const analysed = await analyse(toAnalyse.map((t) => t.image));
        await Promise.all(
          toAnalyse.map(async ({ sha256 }, i) => {
            found.set(sha256, analysed[i]!);
            await results.set(sha256, analysed[i]!);
          }),
        );
      } catch (error) {
        const failure = toMediaAiError(error);
        for (const { sha256 } of toAnalyse) found.set(sha256, failure);
      }
    }

    const durationMs = Math.max(0, Math.round(now() - started));
    return records.map((record) => {
      const result = found.get(record.value.sha256);
      if (result instanceof Error) return result;
      if (!result) return new MediaAiError('MEDIA_AI_INTERNAL', 'Detector produced no result for a photo');
      return [output(record.value, detectedRecord(record.value, result, modelVersions, missing, durationMs))];
    });
  }

  return {
    name: DETECTOR_STAGE_NAME,
    inputs: [TOPICS.photos],
    maxBatchSize,

    /** A first run on a blank image, so readiness means "sessions answer" and no photo pays the warm-up. */
    async start(): Promise<void> {
      const blank: DecodedImage = { data: Buffer.alloc(64 * 64 * 3, 114), width: 64, height: 64 };
      await analyse([blank]);
    },

    /** The stage owns the sessions it was given: they live exactly as long as the stage. */
    async stop(): Promise<void> {
      await Promise.all([detector?.close?.(), classifier?.close?.()]);
    },

    async handle(record: InboundRecord<PhotoRecord>, ctx: StageContext): Promise<OutboundRecord[]> {
      const [result] = await handleBatch([record], ctx);
      if (result instanceof Error) throw result;
      return result!;
    },

    handleBatch,

    onGiveUp(record: InboundRecord<PhotoRecord>, error: Error): OutboundRecord[] {
      return [output(record.value, failedDetectionsRecord(record.value, error, modelVersions))];
    },
  };
}

/** A part that says "no detections for this photo", so the join can complete without it. */
export function failedDetectionsRecord(photo: PhotoRecord, error: Error, modelVersions: Record<string, string>): DetectionsRecord {
  return failedPart(photo, modelVersions, error, emptyDetections());
}

function detectedRecord(
  photo: PhotoRecord,
  result: CachedDetections,
  modelVersions: Record<string, string>,
  missing: string | null,
  durationMs: number,
): DetectionsRecord {
  const notRun = missing ? { code: 'MEDIA_AI_MODEL_UNAVAILABLE' as const, message: missing } : null;
  return okPart(
    photo,
    modelVersions,
    {
      objects: result.objects,
      classifications: result.classifications,
      salient_object: result.salient_object ?? null,
      fingerprint: result.fingerprint ?? null,
    },
    { durationMs, notRun },
  );
}

function output(photo: PhotoRecord, value: DetectionsRecord): OutboundRecord<DetectionsRecord> {
  return { topic: TOPICS.detections, key: photo.post_id, value };
}

/** Four decimals: more would only be model noise, and every digit travels in every record. */
function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * Most objects of one photo whose colours are measured, most confident first: each box costs ~5-20 ms
 * of CPU (tools/colour-eval.ts), and fusion uses the colours of a photo's few most confident things.
 */
export const MAX_COLORED_OBJECTS = 6;

/**
 * Each object with its own colours, measured in its box on the decoded photo with what its label says of its outline
 * (a solid item keeps a colour it shares with its surroundings); [] past MAX_COLORED_OBJECTS.
 */
function withColors<T extends DetectedObject>(objects: readonly T[], image: DecodedImage): Array<[T, NamedColor[]]> {
  const measured = new Set([...objects].sort((a, b) => b.confidence - a.confidence).slice(0, MAX_COLORED_OBJECTS));
  return objects.map((o) => [o, measured.has(o) ? itemColors(image, o.box, { outline: cocoOutline(o.label) ?? undefined }) : []]);
}

/**
 * The photo's salient object, whenever the classifier ran: its colours (and box) stand in for a
 * detector box when no detected object is the classifier's item, which fusion decides (it owns the
 * taxonomy; the classifier's own item field misses words fusion maps, "ballpoint" -> pen). 10-150 ms of
 * CPU per photo, by size (tools/colour-eval.ts).
 */
function salientObjectOf(
  classes: readonly ItemClassification[],
  image: DecodedImage,
): { record: SalientObjectRecord; mask: ItemMask } | null {
  if (classes.length === 0) return null;
  const found = salientObject(image);
  if (!found) return null;
  const { x, y, width, height } = found.box;
  // The mask is the fingerprint's (it greys out the crop's background); the record does not carry it.
  return {
    record: { box: { x: round(x), y: round(y), width: round(width), height: round(height) }, colors: found.colors },
    mask: found.mask,
  };
}

function objectRecord(o: DetectedObject & { models?: string[] }, model: string, colors: NamedColor[]): DetectedObjectRecord {
  return {
    label: o.label,
    confidence: round(o.confidence),
    box: { x: round(o.box.x), y: round(o.box.y), width: round(o.box.width), height: round(o.box.height) },
    // The evidence of a fused object is every model that saw it.
    model: o.models?.join('+') ?? model,
    colors,
  };
}

function classificationRecord(c: ItemClassification, model: string): ClassificationRecord {
  return { label: c.label, item: c.item, confidence: round(c.confidence), model };
}

function missingCapabilities(
  detector: PhotoObjectDetector | null,
  classifier: PhotoItemClassifier | null,
  unavailable: DetectorStageOptions['unavailable'],
): string | null {
  const parts: string[] = [];
  if (!detector) parts.push('object detection');
  if (!classifier) parts.push('item classification');
  if (parts.length === 0) return null;
  const why = describeUnavailable(unavailable);
  return `Not run, model unavailable: ${parts.join(', ')}${why ? ` (${why})` : ''}`.slice(0, 300);
}

function describeUnavailable(unavailable: DetectorStageOptions['unavailable']): string {
  return (unavailable ?? []).map((u) => `${u.model}: ${u.reason}`).join('; ');
}
