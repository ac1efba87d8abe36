/**
 * Test-only: the environment, runtime and shared fixtures (photos, labelled manifest, platform
 * examples) of the pipeline's end-to-end tests. Real models from ../shared/models copied into a temp
 * cache, a temp blob folder, no OpenAI key (the llm stage is off). Never imported by product code.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '@media-ai/config';
import { readLabelledPhotos, sharedDir, type LabelledPhoto } from '@media-ai/contracts/test-support';
import { createLogger, createMetrics } from '@media-ai/telemetry';
import type { Runtime } from '@media-ai/runtime';

export const SHARED = sharedDir();
export const PHOTOS_DIR = path.join(SHARED, 'photos');
export const MODELS_DIR = path.join(SHARED, 'models');

export interface TestEnv {
  env: Record<string, string>;
  dir: string;
  /** Removes the temp folders. */
  cleanup(): void;
}

/**
 * The variables a test run needs, and nothing from the caller's environment (no OPENAI_API_KEY
 * leaking in from a developer's shell). `extra` overrides or adds.
 */
export function testEnv(extra: Record<string, string> = {}): TestEnv {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'media-ai-pipeline-'));
  const env: Record<string, string> = {
    ENVIRONMENT: 'development',
    LOG_LEVEL: 'ERROR',
    AI_MODEL_SOURCE: MODELS_DIR,
    AI_MODEL_CACHE_DIR: path.join(dir, 'models'),
    MEDIA_AI_BLOB_DIR: path.join(dir, 'blobs'),
    // Long enough that a slow OCR on a loaded machine is not cut off by the deadline.
    AGGREGATOR_DEADLINE_MS: '90000',
    ...extra,
  };
  return { env, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function testRuntime(env: Record<string, string>): Runtime {
  const config = loadConfig(env, { cwd: os.tmpdir() });
  return {
    config,
    logger: createLogger({ service: config.app.name, level: config.app.logLevel }),
    metrics: createMetrics(),
  };
}

export function photoPath(file: string): string {
  return path.join(PHOTOS_DIR, file);
}

export function photoUrl(file: string): string {
  return pathToFileURL(photoPath(file)).href;
}

export function readJson<T = Record<string, unknown>>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** A platform example from ../shared/contracts/examples, parsed afresh (tests may change it). */
export function contractExample(name: string): Record<string, unknown> {
  return readJson(path.join(SHARED, 'contracts', 'examples', name));
}

export function labelOf(file: string): LabelledPhoto {
  const label = readLabelledPhotos(path.join(PHOTOS_DIR, 'manifest.json')).find((l) => l.file === file);
  if (!label) throw new Error(`${file} is not in the photo manifest`);
  return label;
}

/**
 * Points every photo of a posts.events example (either `payload` or `data` envelope) at the given
 * URLs, in order; photos beyond the list are copies of the first with fresh ids.
 */
export function withPhotos(event: Record<string, unknown>, urls: readonly string[]): Record<string, unknown> {
  const envelope = (event['payload'] ?? event['data']) as { post: { id: string; photos: Array<Record<string, unknown>> } };
  const post = envelope.post;
  const template = post.photos[0]!;
  post.photos = urls.map((url, index) => ({
    ...template,
    id: index === 0 ? template['id'] : `${String(template['id']).slice(0, -2)}${String(index).padStart(2, '0')}`,
    original_url: url,
    thumbnail_url: null,
    order: index + 1,
  }));
  return event;
}

export function setPostId(event: Record<string, unknown>, postId: string): Record<string, unknown> {
  const envelope = (event['payload'] ?? event['data']) as { post: { id: string; photos: Array<Record<string, unknown>> } };
  envelope.post.id = postId;
  for (const photo of envelope.post.photos) photo['post_id'] = postId;
  if ('aggregate_id' in event) event['aggregate_id'] = postId;
  if ('post_id' in event) event['post_id'] = postId;
  return event;
}
