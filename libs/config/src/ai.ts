/**
 * Model resolution and inference settings (AI_*, YOLO_*, OCR_*): where the model manager finds
 * models (cache dir, then a folder or mirror source, then upstream), how big images get, how many
 * OCR workers run. Must never touch the file system; paths are only resolved, not checked.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { boolean, decimal, integer, list, oneOf, text } from './env-fields.js';

export const YOLO_MODEL_SIZES = ['n', 's', 'm', 'l', 'x'] as const;
export type YoloModelSize = (typeof YOLO_MODEL_SIZES)[number];

/**
 * OCR engines (the same list as @media-ai/ocr's OCR_ENGINES; config depends on no other package).
 * paddle: PP-OCRv4 on onnxruntime-node; tesseract: tesseract.js; hybrid: paddle plus tesseract
 * re-reads of glued capitals. Default chosen by measurement: see libs/ocr/src/paddle/paddle-text-reader.ts.
 */
export const OCR_ENGINES = ['paddle', 'tesseract', 'hybrid'] as const;
export type OcrEngineName = (typeof OCR_ENGINES)[number];
export const DEFAULT_OCR_ENGINE: OcrEngineName = 'hybrid';

/**
 * COCO detectors the detector stage may run (the same names as @media-ai/vision's
 * DETECTOR_MODEL_NAMES): YOLOX-Nano when the model manager resolves it, NanoDet-g built into the
 * package. Both by default: their boxes are fused class by class (see detector-ensemble.ts).
 */
export const DETECTOR_MODELS = ['yolox-nano', 'nanodet-g'] as const;
export type DetectorModel = (typeof DETECTOR_MODELS)[number];

/** Where models come from after the cache: a folder (CI: ../shared/models) or an HTTP mirror. */
export type ModelSource = { kind: 'folder'; path: string } | { kind: 'mirror'; url: string };

export interface AiSettings {
  modelCacheDir: string;
  modelSource?: ModelSource;
  modelDownloadTimeoutMs: number;
  enableGpu: boolean;
  batchSize: number;
  /** Longest side, in pixels, images are scaled to before analysis. */
  maxImageSize: number;
  /** JPEG quality of normalized images. */
  imageQuality: number;
  yoloModelSize: YoloModelSize;
  detectorScoreThreshold: number;
  detectorModels: DetectorModel[];
  ocr: {
    engine: OcrEngineName;
    language: string;
    engineMode: number;
    workers: number;
    /**
     * true: read OCR_WORKERS photos at once on worker threads (more photos/min, a reader's memory per
     * thread); false: in the stage's own thread; null (unset): the host decides (the embedded pipeline
     * reads on one worker thread beside its other stages, a stage service in its own thread).
     */
    threads: boolean | null;
  };
}

/** What resolving paths and sizing pools depends on; injected so tests are deterministic. */
export interface AiContext {
  cwd: string;
  cpuCount: number;
}

const FOLDER_OR_URL = 'a folder path or an http(s)/file URL';

export function aiSchema(context: AiContext) {
  return z
    .object({
      AI_MODEL_CACHE_DIR: text(),
      AI_MODEL_SOURCE: text(),
      // Seconds, as in the guide.
      AI_MODEL_DOWNLOAD_TIMEOUT: integer(1, 24 * 3600),
      AI_ENABLE_GPU: boolean(),
      AI_BATCH_SIZE: integer(1, 256),
      AI_MAX_IMAGE_SIZE: integer(64, 16_384),
      AI_IMAGE_QUALITY: integer(1, 100),
      YOLO_MODEL_SIZE: oneOf(YOLO_MODEL_SIZES),
      OCR_ENGINE: oneOf(OCR_ENGINES),
      OCR_LANGUAGE: text(),
      // Tesseract OEM: 0 legacy, 1 LSTM, 2 both, 3 default.
      OCR_ENGINE_MODE: integer(0, 3),
      OCR_WORKERS: integer(1, 256),
      OCR_THREADS: boolean(),
      AI_DETECTOR_SCORE_THRESHOLD: decimal(0, 1),
      AI_DETECTOR_MODELS: list(DETECTOR_MODELS.join(' | '), (m) => (DETECTOR_MODELS as readonly string[]).includes(m)),
    })
    .superRefine((env, ctx) => {
      const source = env.AI_MODEL_SOURCE;
      if (source !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(source) && !/^(https?|file):\/\//i.test(source)) {
        ctx.addIssue({ code: 'custom', path: ['AI_MODEL_SOURCE'], message: `expected ${FOLDER_OR_URL}, got ${JSON.stringify(source)}` });
      }
      if (env.AI_DETECTOR_MODELS !== undefined && env.AI_DETECTOR_MODELS.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['AI_DETECTOR_MODELS'], message: `expected at least one of ${DETECTOR_MODELS.join(', ')}` });
      }
      if (source !== undefined && /^https?:\/\//i.test(source) && !URL.canParse(source)) {
        ctx.addIssue({ code: 'custom', path: ['AI_MODEL_SOURCE'], message: `expected ${FOLDER_OR_URL}, got ${JSON.stringify(source)}` });
      }
    })
    .transform((env): AiSettings => ({
      modelCacheDir: path.resolve(context.cwd, env.AI_MODEL_CACHE_DIR ?? 'models/cache'),
      ...(env.AI_MODEL_SOURCE !== undefined ? { modelSource: toModelSource(env.AI_MODEL_SOURCE, context.cwd) } : {}),
      modelDownloadTimeoutMs: (env.AI_MODEL_DOWNLOAD_TIMEOUT ?? 300) * 1000,
      enableGpu: env.AI_ENABLE_GPU ?? false,
      batchSize: env.AI_BATCH_SIZE ?? 1,
      maxImageSize: env.AI_MAX_IMAGE_SIZE ?? 2048,
      imageQuality: env.AI_IMAGE_QUALITY ?? 85,
      yoloModelSize: env.YOLO_MODEL_SIZE ?? 'n',
      detectorScoreThreshold: env.AI_DETECTOR_SCORE_THRESHOLD ?? 0.3,
      detectorModels: [...new Set((env.AI_DETECTOR_MODELS ?? DETECTOR_MODELS) as DetectorModel[])],
      ocr: {
        engine: env.OCR_ENGINE ?? DEFAULT_OCR_ENGINE,
        language: env.OCR_LANGUAGE ?? 'eng',
        engineMode: env.OCR_ENGINE_MODE ?? 3,
        workers: env.OCR_WORKERS ?? Math.max(1, context.cpuCount),
        threads: env.OCR_THREADS ?? null,
      },
    }));
}

function toModelSource(source: string, cwd: string): ModelSource {
  if (/^https?:\/\//i.test(source)) return { kind: 'mirror', url: source.replace(/\/+$/, '') };
  if (/^file:\/\//i.test(source)) return { kind: 'folder', path: fileURLToPath(source) };
  return { kind: 'folder', path: path.resolve(cwd, source) };
}
