/**
 * The fetcher stage as configuration asks for it: photo sources (gs, https behind the SSRF guard,
 * file only when allowed), the malware scanner (SCAN_FOR_MALWARE, clamd at CLAMAV_*), normalization
 * limits, the face detector, and the analysis stages each manifest says the aggregator must wait
 * for, the photo cap of a post. Counts downloads, scans, failed photos and faces in the shared
 * metrics, and counts and logs the records it skips.
 */
import { ClamdClient, PhotoScanner } from '@media-ai/clamav';
import { ConfigError, identifierKeyOf, type AppConfig } from '@media-ai/config';
import { STAGES } from '@media-ai/contracts';
import { gcsClientOptions } from '@media-ai/runtime';
import { createPhotoSources, createSsrfGuard, type BlobStore, type PhotoSource } from '@media-ai/storage';
import type { Stage } from '@media-ai/stream';
import type { Logger, MediaAiMetrics } from '@media-ai/telemetry';
import { FaceDetector, type NormalizeOptions } from '@media-ai/vision';
import { skippedEventReporter } from './skipped-events.js';
import { createFetcherStage } from './stage.js';

export interface FetcherDeps {
  blobs: BlobStore;
  metrics: MediaAiMetrics;
  /** Where skipped records are logged. */
  logger: Logger;
  /** The analysis stages that are on, so no post waits for one that is off. */
  expectedStages: readonly string[];
  /** Lets a host put its own source in front (the embedded REST API's uploaded photos). */
  wrapSources?: (configured: PhotoSource) => PhotoSource;
  /** From loadFaceDetector; null: the model could not be opened, photo records say `faces: null`. */
  faces: FaceDetector | null;
  /** From malwareScannerFromConfig: null only when SCAN_FOR_MALWARE is off. */
  scanner: PhotoScanner | null;
}

/**
 * The clamd scanner SCAN_FOR_MALWARE asks for, each scan timed into malware_scan_duration_seconds;
 * null when scanning is off. Connects to nothing until it is used.
 */
export function malwareScannerFromConfig(config: AppConfig, metrics: MediaAiMetrics): PhotoScanner | null {
  if (!config.malwareScan.enabled) return null;
  const client = new ClamdClient({ address: config.malwareScan.clamd, timeoutMs: config.malwareScan.timeoutMs });
  return new PhotoScanner(client, { onScan: (result, seconds) => metrics.malwareScanDuration.observe({ result }, seconds) });
}

/**
 * For the hosts a person starts by hand (`media-ai analyze`, `media-ai serve`): clamd must answer
 * now, or start-up stops with a configuration error naming the address variable and what to do. A
 * stage service does not call it: beside a clamd sidecar still loading its signatures it starts not
 * ready and waits instead of crash-looping.
 */
export async function requireReachableScanner(config: AppConfig, scanner: PhotoScanner): Promise<void> {
  const state = await scanner.readiness();
  if (state.ready) return;
  const variable = 'socketPath' in config.malwareScan.clamd ? 'CLAMAV_SOCKET' : 'CLAMAV_HOST';
  throw new ConfigError([
    {
      variable,
      problem:
        `expected a clamd answering PING, as SCAN_FOR_MALWARE is on, got ${state.reason ?? `no answer from ${scanner.describe()}`}: ` +
        'run clamd there, point CLAMAV_HOST and CLAMAV_PORT (or CLAMAV_SOCKET) at one, or set SCAN_FOR_MALWARE=false',
    },
  ]);
}

/**
 * Opens BlazeFace (the file @media-ai/vision places at build) for the fetcher. A model that cannot
 * be opened is not fatal: the fetcher runs, its records say nobody looked for faces, and no photo
 * leaves the process (the llm stage refuses them); `reason` says why, for the start-up warning.
 */
export async function loadFaceDetector(
  config: AppConfig,
  metrics?: MediaAiMetrics,
  options: { modelPath?: string } = {},
): Promise<{ faces: FaceDetector | null; reason: string | null }> {
  try {
    const faces = await FaceDetector.create({
      modelPath: options.modelPath,
      enableGpu: config.ai.enableGpu,
      onInference: metrics ? (modelName, seconds) => metrics.modelInferenceDuration.observe({ model_name: modelName }, seconds) : undefined,
    });
    return { faces, reason: null };
  } catch (error) {
    const reason = `no face detection, so no photo leaves the process: ${error instanceof Error ? error.message : String(error)}`;
    return { faces: null, reason };
  }
}

/**
 * The analysis stages a per-stage deployment runs (MEDIA_AI_EXPECTED_STAGES), else detector and ocr
 * plus llm when OPENAI_API_KEY or OPENAI_BASE_URL is set. The embedded process passes the stages it actually started.
 */
export function deployedAnalysisStages(config: AppConfig): string[] {
  return config.pipeline.expectedStages ?? [STAGES.detector, STAGES.ocr, ...(config.openai.enabled ? [STAGES.llm] : [])];
}

export function photoSourcesFromConfig(config: AppConfig, metrics: MediaAiMetrics): PhotoSource {
  return createPhotoSources({
    maxBytes: config.photos.maxImageBytes,
    onDownload: ({ source, durationMs }) => metrics.gcsDownloadDuration.observe({ source }, durationMs / 1000),
    // Every https URL and redirect hop is resolved and vetted; loopback only when configured (tests, dev).
    guard: createSsrfGuard({ allowLoopback: config.photos.urlAllowLoopback }),
    https: { allowedHosts: config.photos.urlAllowedHosts, timeoutMs: config.gcs.downloadTimeoutMs },
    gcs: gcsClientOptions(config),
    file: config.photos.allowFileUrls ? {} : undefined,
  });
}

/** How the fetcher normalizes a photo under this configuration (benchmarks and tools normalize the same way). */
export function normalizeOptionsOf(config: AppConfig): NormalizeOptions {
  return {
    maxSide: config.ai.maxImageSize,
    quality: config.ai.imageQuality,
    maxPixels: config.photos.maxImagePixels,
    allowedTypes: config.photos.allowedImageTypes,
    stripMetadata: true,
  };
}

export function fetcherFromConfig(
  config: AppConfig,
  { blobs, metrics, logger, expectedStages, wrapSources, faces, scanner }: FetcherDeps,
): Stage {
  // A wiring slip must not turn scanning off silently.
  if (config.malwareScan.enabled && !scanner) throw new Error('SCAN_FOR_MALWARE is on but the fetcher was given no scanner');
  const configured = photoSourcesFromConfig(config, metrics);
  return createFetcherStage({
    inputs: config.kafka.consumerTopics,
    sources: wrapSources ? wrapSources(configured) : configured,
    blobs,
    normalize: normalizeOptionsOf(config),
    expectedStages,
    deadlineMs: config.pipeline.aggregatorDeadlineMs,
    concurrency: config.gcs.maxConcurrentDownloads,
    onPhotoFailure: (code) => metrics.photoFailures.inc({ code }),
    faces,
    onFacesFound: (count) => metrics.facesDetected.inc(count),
    scanner,
    maxPhotosPerPost: config.photos.maxPhotosPerPost,
    onSkippedEvent: skippedEventReporter(metrics, logger),
    // Throws a ConfigError outside development without MEDIA_AI_IDENTIFIER_KEY.
    identifierKey: identifierKeyOf(config).key,
  });
}
