/**
 * Test-only: what every end-to-end suite needs around its stage processes — the environment a
 * deployment gives each stage (cluster, registry, OpenAI, Redis database, shared blob folder, model
 * source), the deploy step that registers the schemas, and a wait that shows every stage's output
 * when it times out. Each suite passes its own Redis database: aggregators scan their database's
 * deadline set, so two suites must never share one.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { OpenAiTarget } from '@media-ai/openai/test-support';
import { MODELS_DIR } from '@media-ai/pipeline/test-support';
import type { TestCluster } from './kafka-cluster.js';
import { REPO_ROOT, type StageProcess } from './stage-process.js';

const REDIS_URL = process.env['MEDIA_AI_TEST_REDIS_URL'] || process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';

/** The test Redis, on a database of the suite's own. */
export function redisDbUrl(db: number): string {
  const parsed = new URL(REDIS_URL);
  parsed.pathname = `/${db}`;
  return parsed.toString();
}

export interface DeploymentEnvOptions {
  cluster: TestCluster;
  openAi: OpenAiTarget;
  /** Holds the model cache and the blob folder every stage shares, as one bucket is in production. */
  workDir: string;
  appName: string;
  groupId: string;
  redisDb: number;
  logLevel?: string;
}

/** The API token every stage of a suite accepts, as a deployment's Secret gives one to each pod. */
export const E2E_API_TOKEN = { name: 'e2e', token: 'e2e-token-0123456789abcdef0123456789abcdef' };

/** The variables every stage process of a suite gets; a suite adds or overrides per stage. */
export function deploymentEnv(options: DeploymentEnvOptions): Record<string, string> {
  const { cluster, openAi, workDir } = options;
  return {
    ENVIRONMENT: 'development',
    LOG_LEVEL: options.logLevel ?? 'WARNING',
    APP_NAME: options.appName,
    ...cluster.env,
    KAFKA_CONSUMER_GROUP_ID: options.groupId,
    KAFKA_FETCH_MIN_BYTES: '1',
    KAFKA_FETCH_MAX_WAIT_MS: '200',
    KAFKA_AUTO_OFFSET_RESET: 'earliest',
    REDIS_URL: redisDbUrl(options.redisDb),
    MEDIA_AI_EXPECTED_STAGES: 'detector,ocr,llm',
    OPENAI_BASE_URL: openAi.baseURL,
    OPENAI_API_KEY: openAi.apiKey,
    OPENAI_MODEL: openAi.model,
    AI_MODEL_SOURCE: MODELS_DIR,
    AI_MODEL_CACHE_DIR: path.join(workDir, 'models'),
    MEDIA_AI_BLOB_DIR: path.join(workDir, 'blobs'),
    ALLOW_FILE_URLS: 'true',
    MEDIA_AI_API_TOKENS: `${E2E_API_TOKEN.name}:${E2E_API_TOKEN.token}`,
    // Long: a post must be published because its parts arrived, never because time ran out.
    AGGREGATOR_DEADLINE_MS: '600000',
  };
}

/**
 * The deploy step: `media-ai schemas register`, once, before any stage starts (pods only look ids
 * up). Run asynchronously: the stand-in registry answers from this very process.
 */
export async function registerSchemas(cluster: TestCluster): Promise<void> {
  await promisify(execFile)(process.execPath, ['bin/media-ai.js', 'schemas', 'register'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...cluster.env, LOG_LEVEL: 'WARNING' },
    encoding: 'utf8',
  });
}

/** Polls `probe` until it gives a value; on timeout the error carries every stage's last output. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false,
  stages: Iterable<StageProcess>,
  timeoutMs = 180_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${[...stages].map((s) => s.logs()).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
