/**
 * Builds the typed AppConfig from a set of environment variables, once, at start-up; everything
 * else receives the result. Must never be called deep inside a stage, and never reads process.env
 * except as the default argument.
 */
import os from 'node:os';
import type { z } from 'zod';
import { aiSchema, type AiSettings } from './ai.js';
import { appSchema, type AppSettings } from './app.js';
import { ConfigError, type ConfigIssue } from './config-error.js';
import type { RawEnv } from './env-fields.js';
import { gcsSchema, type GcsSettings } from './gcs.js';
import { kafkaSchema, type KafkaSettings } from './kafka.js';
import { malwareScanSchema, type MalwareScanSettings } from './malware-scan.js';
import { openAiSchema, type OpenAiSettings } from './openai.js';
import { otelSchema, type OtelSettings } from './otel.js';
import { photosSchema, type PhotoSettings } from './photos.js';
import { pipelineSchema, type PipelineSettings } from './pipeline.js';
import { privacySchema, type PrivacySettings } from './privacy.js';
import { redisSchema, type RedisSettings } from './redis.js';
import { reviewSchema, type ReviewSettings } from './review.js';
import { serverSchema, type ServerSettings } from './server.js';
import { thresholdsSchema, type ConfidenceThresholds } from './thresholds.js';

export interface AppConfig {
  app: AppSettings;
  server: ServerSettings;
  kafka: KafkaSettings;
  gcs: GcsSettings;
  openai: OpenAiSettings;
  redis: RedisSettings;
  ai: AiSettings;
  thresholds: ConfidenceThresholds;
  photos: PhotoSettings;
  malwareScan: MalwareScanSettings;
  pipeline: PipelineSettings;
  otel: OtelSettings;
  privacy: PrivacySettings;
  review: ReviewSettings;
}

/** What the environment alone does not say; injectable so tests do not depend on the machine. */
export interface LoadConfigOptions {
  /** Relative paths (model cache, blob dir) resolve against this. Default: process.cwd(). */
  cwd?: string;
  /** Default OCR worker count. Default: os.availableParallelism(). */
  cpuCount?: number;
}

/** @throws ConfigError naming every offending variable. */
export function loadConfig(env: RawEnv = process.env, options: LoadConfigOptions = {}): AppConfig {
  const cwd = options.cwd ?? process.cwd();
  const cpuCount = options.cpuCount ?? os.availableParallelism();
  const issues: ConfigIssue[] = [];

  function parse<T>(schema: z.ZodType<T>): T | undefined {
    const result = schema.safeParse(env);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      issues.push({ variable: issue.path.map(String).join('.') || '(environment)', problem: issue.message });
    }
    return undefined;
  }

  const app = parse(appSchema);
  // A bad ENVIRONMENT is already reported; keep checking the rest under the strictest reading
  // so every other problem still shows up in the same error.
  const environment = app?.environment ?? 'production';
  const config = {
    app,
    server: parse(serverSchema),
    kafka: parse(kafkaSchema),
    gcs: parse(gcsSchema),
    openai: parse(openAiSchema),
    redis: parse(redisSchema),
    ai: parse(aiSchema({ cwd, cpuCount })),
    thresholds: parse(thresholdsSchema),
    photos: parse(photosSchema({ environment })),
    malwareScan: parse(malwareScanSchema({ environment })),
    pipeline: parse(pipelineSchema({ cwd })),
    otel: parse(otelSchema),
    privacy: parse(privacySchema),
    review: parse(reviewSchema),
  };
  if (issues.length > 0) throw new ConfigError(issues);
  return config as AppConfig;
}
