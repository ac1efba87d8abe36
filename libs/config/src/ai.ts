/**
 * Model resolution and inference settings (AI_*, YOLO_*, OCR_*): where the model manager finds
 * models (cache dir, then a folder or mirror source, then upstream), how big images get, how many
 * OCR workers run. Must never touch the file system; paths are only resolved, not checked.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { boolean, decimal, integer, oneOf, text } from './env-fields.js';

export const YOLO_MODEL_SIZES = ['n', 's', 'm', 'l', 'x'] as const;
export type YoloModelSize = (typeof YOLO_MODEL_SIZES)[number];

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
  ocr: { language: string; engineMode: number; workers: number };
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
      OCR_LANGUAGE: text(),
      // Tesseract OEM: 0 legacy, 1 LSTM, 2 both, 3 default.
      OCR_ENGINE_MODE: integer(0, 3),
      OCR_WORKERS: integer(1, 256),
      AI_DETECTOR_SCORE_THRESHOLD: decimal(0, 1),
    })
    .superRefine((env, ctx) => {
      const source = env.AI_MODEL_SOURCE;
      if (source !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(source) && !/^(https?|file):\/\//i.test(source)) {
        ctx.addIssue({ code: 'custom', path: ['AI_MODEL_SOURCE'], message: `expected ${FOLDER_OR_URL}, got ${JSON.stringify(source)}` });
      }
      if (source !== undefined && /^https?:\/\//i.test(source) && !URL.canParse(source)) {
        ctx.addIssue({ code: 'custom', path: ['AI_MODEL_SOURCE'], message: `expected ${FOLDER_OR_URL}, got ${JSON.stringify(source)}` });
      }
    })
    .transform(
      (env): AiSettings => ({
        modelCacheDir: path.resolve(context.cwd, env.AI_MODEL_CACHE_DIR ?? 'models/cache'),
        ...(env.AI_MODEL_SOURCE !== undefined ? { modelSource: toModelSource(env.AI_MODEL_SOURCE, context.cwd) } : {}),
        modelDownloadTimeoutMs: (env.AI_MODEL_DOWNLOAD_TIMEOUT ?? 300) * 1000,
        enableGpu: env.AI_ENABLE_GPU ?? false,
        batchSize: env.AI_BATCH_SIZE ?? 1,
        maxImageSize: env.AI_MAX_IMAGE_SIZE ?? 2048,
        imageQuality: env.AI_IMAGE_QUALITY ?? 85,
        yoloModelSize: env.YOLO_MODEL_SIZE ?? 'n',
        detectorScoreThreshold: env.AI_DETECTOR_SCORE_THRESHOLD ?? 0.3,
        ocr: {
          language: env.OCR_LANGUAGE ?? 'eng',
          engineMode: env.OCR_ENGINE_MODE ?? 3,
          workers: env.OCR_WORKERS ?? Math.max(1, context.cpuCount),
        },
      }),
    );
}

function toModelSource(source: string, cwd: string): ModelSource {
  if (/^https?:\/\//i.test(source)) return { kind: 'mirror', url: source.replace(/\/+$/, '') };
  if (/^file:\/\//i.test(source)) return { kind: 'folder', path: fileURLToPath(source) };
  return { kind: 'folder', path: path.resolve(cwd, source) };
}
