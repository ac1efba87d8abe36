import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEVELOPMENT_IDENTIFIER_KEY, identifierKeyOf, loadConfig } from './index.js';
import { configProblems } from './test-support/config-problems.js';

const cwd = '/srv/media-ai';
const load = (env: Record<string, string | undefined>) => loadConfig(env, { cwd, cpuCount: 4 });

const problems = (env: Record<string, string | undefined>) => configProblems(() => load(env));

describe('loadConfig defaults', () => {
  const config = load({});

  it('fills the guide defaults for an empty environment', () => {
    expect(config.app).toEqual({ name: 'fn-media-ai', version: '0.1.0', environment: 'development', debug: false, logLevel: 'INFO' });
    expect(config.server.port).toBe(8000);
    expect(config.server.host).toBe('0.0.0.0');
    expect(config.kafka.transport).toBe('inprocess');
    expect(config.kafka.partitions).toBe(6);
    expect(config.kafka.consumerTopics).toEqual(['posts.events']);
    expect(config.kafka.postEnhancedTopic).toBe('media-ai.enrichment');
    expect(config.kafka.maxPollRecords).toBe(50);
    expect(config.kafka.stageRetry).toEqual({ maxAttempts: 3, initialDelayMs: 1000, maxDelayMs: 10_000 });
    expect(config.kafka.sessionTimeoutMs).toBe(30_000);
    expect(config.kafka.sasl).toBeUndefined();
    expect(config.gcs.downloadTimeoutMs).toBe(30_000);
    expect(config.gcs.maxConcurrentDownloads).toBe(10);
    expect(config.openai).toMatchObject({
      enabled: false,
      model: 'gpt-4o-mini',
      maxTokens: 1000,
      temperature: 0.1,
      requestTimeoutMs: 60_000,
      maxRetries: 3,
      retryDelayMs: 1000,
      imageDetail: 'low',
    });
    expect(config.openai.apiKey).toBeUndefined();
    expect(config.redis.url).toBeUndefined();
    expect(config.redis.ttlSeconds).toEqual({ aiResults: 3600, modelCache: 86_400, photoMetadata: 1800 });
    expect(config.thresholds).toEqual({ autoEnhance: 0.85, suggestTags: 0.7, humanReview: 0.5, discardBelow: 0.3 });
    expect(config.photos).toEqual({
      maxImageBytes: 10_485_760,
      allowedImageTypes: ['image/jpeg', 'image/png', 'image/webp'],
      stripExif: true,
      maxImagePixels: 50_000_000,
      urlAllowedHosts: [],
      allowFileUrls: true,
      urlAllowLoopback: false,
      maxPhotosPerPost: 10,
    });
    expect(config.pipeline).toEqual({
      blobStore: 'local',
      blobDir: path.join(cwd, '.media-ai/blobs'),
      blobPrefix: 'media-ai/normalized/',
      blobTtlMs: 24 * 3_600_000,
      blobSweepIntervalMs: 60 * 60_000,
      aggregatorDeadlineMs: 120_000,
      aggregatorLateParts: 'revise',
      tombstoneTtlMs: 7 * 24 * 3_600_000,
      deadLetterTopic: 'media-ai.dead-letter',
    });
  });

  it('reads MEDIA_AI_TOMBSTONE_TTL_HOURS and refuses zero', () => {
    expect(load({ MEDIA_AI_TOMBSTONE_TTL_HOURS: '720' }).pipeline.tombstoneTtlMs).toBe(720 * 3_600_000);
    expect(() => load({ MEDIA_AI_TOMBSTONE_TTL_HOURS: '0' })).toThrow(/MEDIA_AI_TOMBSTONE_TTL_HOURS/);
  });

  it('reads the runner retry policy and refuses a cap below the first delay', () => {
    expect(
      load({ MEDIA_AI_STAGE_MAX_ATTEMPTS: '5', KAFKA_RETRY_BACKOFF_MS: '200', KAFKA_RETRY_BACKOFF_MAX_MS: '800' }).kafka.stageRetry,
    ).toEqual({
      maxAttempts: 5,
      initialDelayMs: 200,
      maxDelayMs: 800,
    });
    // The default cap still clips a larger first delay, as it always has.
    expect(load({ KAFKA_RETRY_BACKOFF_MS: '20000' }).kafka.stageRetry.maxDelayMs).toBe(10_000);
    expect(problems({ KAFKA_RETRY_BACKOFF_MS: '2000', KAFKA_RETRY_BACKOFF_MAX_MS: '1000' }).join('\n')).toMatch(
      /KAFKA_RETRY_BACKOFF_MAX_MS: expected at least KAFKA_RETRY_BACKOFF_MS \(2000\), got 1000/,
    );
    expect(problems({ MEDIA_AI_STAGE_MAX_ATTEMPTS: '0' }).join('\n')).toMatch(/MEDIA_AI_STAGE_MAX_ATTEMPTS/);
  });

  it('reads AGGREGATOR_LATE_PARTS and refuses an unknown mode', () => {
    expect(load({ AGGREGATOR_LATE_PARTS: 'drop' }).pipeline.aggregatorLateParts).toBe('drop');
    expect(() => load({ AGGREGATOR_LATE_PARTS: 'keep' })).toThrow(/AGGREGATOR_LATE_PARTS/);
  });

  it('resolves model paths against cwd and sizes OCR workers to the cores', () => {
    expect(config.ai.modelCacheDir).toBe(path.join(cwd, 'models/cache'));
    expect(config.ai.modelSource).toBeUndefined();
    expect(config.ai.ocr).toEqual({ engine: 'hybrid', language: 'eng', engineMode: 3, workers: 4, threads: null });
    expect(load({ OCR_THREADS: 'true', OCR_WORKERS: '2' }).ai.ocr).toMatchObject({ workers: 2, threads: true });
    expect(load({ OCR_THREADS: 'false' }).ai.ocr.threads).toBe(false);
    expect(() => load({ OCR_THREADS: 'often' })).toThrow(/OCR_THREADS/);
    expect(config.ai).toMatchObject({
      modelDownloadTimeoutMs: 300_000,
      enableGpu: false,
      batchSize: 1,
      maxImageSize: 2048,
      imageQuality: 85,
      detectorScoreThreshold: 0.3,
    });
  });

  it('runs both detectors by default and refuses an unknown or empty AI_DETECTOR_MODELS', () => {
    expect(load({}).ai.detectorModels).toEqual(['yolox-nano', 'nanodet-g']);
    expect(load({ AI_DETECTOR_MODELS: 'nanodet-g' }).ai.detectorModels).toEqual(['nanodet-g']);
    expect(load({ AI_DETECTOR_MODELS: 'nanodet-g, yolox-nano,nanodet-g' }).ai.detectorModels).toEqual(['nanodet-g', 'yolox-nano']);
    expect(problems({ AI_DETECTOR_MODELS: 'yolov8' }).join('\n')).toMatch(/AI_DETECTOR_MODELS/);
    expect(problems({ AI_DETECTOR_MODELS: ',' }).join('\n')).toMatch(/AI_DETECTOR_MODELS: expected at least one/);
  });

  it('reads OCR_ENGINE case-insensitively and refuses an unknown engine', () => {
    expect(load({ OCR_ENGINE: 'paddle' }).ai.ocr.engine).toBe('paddle');
    expect(load({ OCR_ENGINE: 'Tesseract' }).ai.ocr.engine).toBe('tesseract');
    expect(load({ OCR_ENGINE: ' ' }).ai.ocr.engine).toBe('hybrid');
    expect(() => load({ OCR_ENGINE: 'easyocr' })).toThrow(/OCR_ENGINE/);
    expect(problems({ OCR_ENGINE: 'easyocr' }).join('\n')).toMatch(/OCR_ENGINE.*one of paddle\|tesseract\|hybrid.*"easyocr"/);
  });

  it('treats blank values as unset', () => {
    expect(load({ PORT: '  ', OPENAI_API_KEY: '' }).server.port).toBe(8000);
    expect(load({ OPENAI_API_KEY: '' }).openai.enabled).toBe(false);
  });
});

describe('loadConfig parsing', () => {
  it('reads the guide production example', () => {
    const config = load({
      ENVIRONMENT: 'production',
      LOG_LEVEL: 'warning',
      PORT: '8080',
      CORS_ORIGINS: 'https://app.findlynow.com,https://admin.findlynow.com',
      KAFKA_BOOTSTRAP_SERVERS: 'your-kafka-cluster.confluent.cloud:9092',
      KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      KAFKA_SASL_USERNAME: 'key',
      KAFKA_SASL_PASSWORD: 'secret',
      MEDIA_AI_TRANSPORT: 'KAFKA',
      SCHEMA_REGISTRY_URL: 'https://registry.example',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_RETRY_DELAY: '1.5',
      REDIS_URL: 'redis://username:password@redis-host:6379/0',
      AI_MODEL_CACHE_DIR: '/app/models/cache',
    });
    expect(config.app.environment).toBe('production');
    expect(config.app.logLevel).toBe('WARNING');
    expect(config.server.port).toBe(8080);
    expect(config.server.cors.origins).toEqual(['https://app.findlynow.com', 'https://admin.findlynow.com']);
    expect(config.kafka.transport).toBe('kafka');
    expect(config.kafka.sasl).toEqual({ mechanism: 'PLAIN', username: 'key', password: 'secret' });
    expect(config.openai.enabled).toBe(true);
    expect(config.openai.retryDelayMs).toBe(1500);
    expect(config.redis.url).toBe('redis://username:password@redis-host:6379/0');
    expect(config.ai.modelCacheDir).toBe('/app/models/cache');
    // file:// photo URLs are a development convenience only.
    expect(config.photos.allowFileUrls).toBe(false);
  });

  it.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['YES', true],
    ['false', false],
    ['0', false],
    ['no', false],
    ['No', false],
  ])('reads boolean %s as %s', (raw, expected) => {
    expect(load({ DEBUG: raw }).app.debug).toBe(expected);
  });

  it('takes DEBUG=true as a request for debug logs unless LOG_LEVEL says otherwise', () => {
    expect(load({ DEBUG: 'true' }).app.logLevel).toBe('DEBUG');
    expect(load({ DEBUG: 'true', LOG_LEVEL: 'error' }).app.logLevel).toBe('ERROR');
  });

  it('accepts ALLOWED_IMAGE_TYPES as a comma list and as the guide JSON array', () => {
    expect(load({ ALLOWED_IMAGE_TYPES: 'image/jpeg, image/PNG' }).photos.allowedImageTypes).toEqual(['image/jpeg', 'image/png']);
    expect(load({ ALLOWED_IMAGE_TYPES: '["image/jpeg", "image/png", "image/webp"]' }).photos.allowedImageTypes).toEqual([
      'image/jpeg',
      'image/png',
      'image/webp',
    ]);
  });

  it('parses the service-account JSON', () => {
    const key = { type: 'service_account', project_id: 'p', private_key: '-----BEGIN PRIVATE KEY-----' };
    expect(load({ GOOGLE_APPLICATION_CREDENTIALS_JSON: JSON.stringify(key) }).gcs.credentials).toEqual(key);
  });

  it('tells a folder model source from a mirror URL', () => {
    expect(load({ AI_MODEL_SOURCE: '../shared/models' }).ai.modelSource).toEqual({
      kind: 'folder',
      path: path.resolve(cwd, '../shared/models'),
    });
    expect(load({ AI_MODEL_SOURCE: 'file:///opt/models' }).ai.modelSource).toEqual({ kind: 'folder', path: '/opt/models' });
    expect(load({ AI_MODEL_SOURCE: 'https://mirror.example/models/' }).ai.modelSource).toEqual({
      kind: 'mirror',
      url: 'https://mirror.example/models',
    });
  });

  it('lets ALLOW_FILE_URLS override the environment default', () => {
    expect(load({ ENVIRONMENT: 'staging', ALLOW_FILE_URLS: 'yes' }).photos.allowFileUrls).toBe(true);
    expect(load({ ALLOW_FILE_URLS: 'no' }).photos.allowFileUrls).toBe(false);
  });

  it('reads the schema registry only when a URL is given', () => {
    expect(load({}).kafka.schemaRegistry).toBeUndefined();
    expect(
      load({ SCHEMA_REGISTRY_URL: 'http://localhost:8081', SCHEMA_REGISTRY_USERNAME: 'u', SCHEMA_REGISTRY_PASSWORD: 'p' }).kafka
        .schemaRegistry,
    ).toEqual({
      url: 'http://localhost:8081/',
      username: 'u',
      password: 'p',
    });
  });

  it('defaults to process.env when called without arguments', () => {
    expect(loadConfig().app.name).toBeTypeOf('string');
  });
});

describe('loadConfig errors', () => {
  it('names the variable, what was given and what was expected', () => {
    expect(problems({ PORT: 'abc' })).toEqual(['PORT: expected an integer 1..65535, got "abc"']);
  });

  it('reports every offending variable in one error', () => {
    const found = problems({
      PORT: '70000',
      DEBUG: 'maybe',
      LOG_LEVEL: 'verbose',
      ENVIRONMENT: 'prod',
      OPENAI_TEMPERATURE: '0x1',
      OPENAI_IMAGE_DETAIL: 'ultra',
      MEDIA_AI_TRANSPORT: 'rabbitmq',
      AI_CONFIDENCE_AUTO_ENHANCE: '1.2',
      ALLOWED_IMAGE_TYPES: 'jpeg',
      REDIS_URL: 'http://cache:6379',
      AI_MODEL_SOURCE: 'ftp://mirror/models',
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'PORT: expected an integer 1..65535, got "70000"',
        'DEBUG: expected a boolean (true/false/1/0/yes/no), got "maybe"',
        'LOG_LEVEL: expected one of DEBUG|INFO|WARNING|ERROR|CRITICAL, got "verbose"',
        'ENVIRONMENT: expected one of development|staging|production, got "prod"',
        'OPENAI_TEMPERATURE: expected a number 0..2, got "0x1"',
        'OPENAI_IMAGE_DETAIL: expected one of low|high|auto, got "ultra"',
        'MEDIA_AI_TRANSPORT: expected one of inprocess|kafka, got "rabbitmq"',
        'AI_CONFIDENCE_AUTO_ENHANCE: expected a number 0..1, got "1.2"',
        'ALLOWED_IMAGE_TYPES: expected a comma-separated list or JSON array of image MIME types (image/...), got "jpeg"',
        'AI_MODEL_SOURCE: expected a folder path or an http(s)/file URL, got "ftp://mirror/models"',
      ]),
    );
    expect(found.find((p) => p.startsWith('REDIS_URL'))).toMatch(/^REDIS_URL: expected a redis:\/\/ or rediss:\/\/ URL, got <redacted/);
    expect(found).toHaveLength(11);
    const error = (() => {
      try {
        load({ PORT: 'abc', DEBUG: 'maybe' });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.message).toContain('PORT: expected an integer 1..65535, got "abc"');
    expect(error?.message).toContain('DEBUG: expected a boolean');
  });

  it('rejects fractions where an integer is expected', () => {
    expect(problems({ KAFKA_MAX_POLL_RECORDS: '2.5' })).toEqual(['KAFKA_MAX_POLL_RECORDS: expected an integer 1..100000, got "2.5"']);
  });

  it('never echoes a secret in an error', () => {
    const found = problems({ GOOGLE_APPLICATION_CREDENTIALS_JSON: '{"private_key": "-----BEGIN' });
    expect(found).toEqual(['GOOGLE_APPLICATION_CREDENTIALS_JSON: expected a JSON object, got <redacted, 27 characters>']);
    expect(problems({ GOOGLE_APPLICATION_CREDENTIALS_JSON: '["not", "an", "object"]' })[0]).toMatch(/expected a JSON object/);
  });

  it('requires the thresholds to be ordered', () => {
    expect(problems({ AI_CONFIDENCE_SUGGEST_TAGS: '0.9' })).toEqual([
      'AI_CONFIDENCE_SUGGEST_TAGS: expected at most AI_CONFIDENCE_AUTO_ENHANCE (0.85), got 0.9',
    ]);
    expect(problems({ AI_CONFIDENCE_DISCARD_BELOW: '0.6' })).toEqual([
      'AI_CONFIDENCE_DISCARD_BELOW: expected at most AI_CONFIDENCE_HUMAN_REVIEW (0.5), got 0.6',
    ]);
    expect(load({ AI_CONFIDENCE_SUGGEST_TAGS: '0.85' }).thresholds.suggestTags).toBe(0.85);
  });

  it('requires SASL credentials only when the Kafka transport uses SASL', () => {
    expect(
      problems({ MEDIA_AI_TRANSPORT: 'kafka', KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', SCHEMA_REGISTRY_URL: 'https://registry.example' }),
    ).toEqual([
      'KAFKA_SASL_USERNAME: required when KAFKA_SECURITY_PROTOCOL is SASL_SSL, got nothing',
      'KAFKA_SASL_PASSWORD: required when KAFKA_SECURITY_PROTOCOL is SASL_SSL, got nothing',
    ]);
    expect(load({ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL' }).kafka.sasl).toBeUndefined();
  });

  it('requires a schema registry for the Kafka transport: separate processes must agree on schema ids', () => {
    expect(problems({ MEDIA_AI_TRANSPORT: 'kafka' })).toEqual([
      'SCHEMA_REGISTRY_URL: required when MEDIA_AI_TRANSPORT is kafka, got nothing',
    ]);
    expect(load({ MEDIA_AI_TRANSPORT: 'kafka', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081' }).kafka.schemaRegistry).toEqual({
      url: 'http://127.0.0.1:8081/',
    });
  });

  it('rejects a heartbeat interval that is not below the session timeout', () => {
    expect(problems({ KAFKA_HEARTBEAT_INTERVAL_MS: '30000' })).toEqual([
      'KAFKA_HEARTBEAT_INTERVAL_MS: expected less than KAFKA_SESSION_TIMEOUT_MS (30000), got 30000',
    ]);
  });

  it('rejects malformed bootstrap servers and lists', () => {
    expect(problems({ KAFKA_BOOTSTRAP_SERVERS: 'broker-without-port' })[0]).toMatch(
      /^KAFKA_BOOTSTRAP_SERVERS: expected a comma-separated list or JSON array of host:port pairs/,
    );
    expect(problems({ ALLOWED_IMAGE_TYPES: '["image/jpeg", 3]' })[0]).toMatch(/^ALLOWED_IMAGE_TYPES:/);
    expect(problems({ ALLOWED_IMAGE_TYPES: '[broken' })[0]).toMatch(/^ALLOWED_IMAGE_TYPES:/);
  });
});

describe('PHOTO_URL_ALLOW_LOOPBACK', () => {
  it('is off unless asked for, and refused in production', () => {
    expect(loadConfig({}).photos.urlAllowLoopback).toBe(false);
    expect(loadConfig({ PHOTO_URL_ALLOW_LOOPBACK: 'true' }).photos.urlAllowLoopback).toBe(true);
    expect(() => loadConfig({ ENVIRONMENT: 'production', PHOTO_URL_ALLOW_LOOPBACK: 'true' })).toThrow(
      /PHOTO_URL_ALLOW_LOOPBACK: expected false in production/,
    );
  });
});

describe('blob store settings', () => {
  it('takes the bucket from MEDIA_AI_BLOB_BUCKET or GCS_BUCKET_NAME and requires one for gcs', () => {
    expect(loadConfig({ MEDIA_AI_BLOB_STORE: 'gcs', GCS_BUCKET_NAME: 'photos' }).pipeline).toMatchObject({
      blobStore: 'gcs',
      blobBucket: 'photos',
    });
    expect(loadConfig({ MEDIA_AI_BLOB_STORE: 'gcs', GCS_BUCKET_NAME: 'photos', MEDIA_AI_BLOB_BUCKET: 'norm' }).pipeline.blobBucket).toBe(
      'norm',
    );
    expect(() => loadConfig({ MEDIA_AI_BLOB_STORE: 'gcs' })).toThrow(/MEDIA_AI_BLOB_BUCKET: expected a bucket name/);
  });

  it('refuses a TTL shorter than the refresh window and aggregator deadline allow', () => {
    expect(() => loadConfig({ MEDIA_AI_BLOB_TTL_HOURS: '1' })).toThrow(/MEDIA_AI_BLOB_TTL_HOURS/);
    expect(loadConfig({ MEDIA_AI_BLOB_TTL_HOURS: '6', MEDIA_AI_BLOB_SWEEP_INTERVAL_MINUTES: '0' }).pipeline).toMatchObject({
      blobTtlMs: 6 * 3_600_000,
      blobSweepIntervalMs: 0,
    });
  });
});

describe('STRIP_EXIF_DATA', () => {
  it('refuses false at start-up, naming the variable', () => {
    expect(() => loadConfig({ STRIP_EXIF_DATA: 'false' })).toThrow(/STRIP_EXIF_DATA: expected true/);
    expect(loadConfig({ STRIP_EXIF_DATA: 'true' }).photos.stripExif).toBe(true);
  });
});

describe('MEDIA_AI_IDENTIFIER_KEY', () => {
  const key = 'k'.repeat(32);

  it('is the HMAC key of identifier hashes: the configured one, else the public development key in development only', () => {
    expect(identifierKeyOf(loadConfig({ MEDIA_AI_IDENTIFIER_KEY: key }))).toEqual({ key: Buffer.from(key), source: 'configured' });
    expect(identifierKeyOf(loadConfig({}))).toEqual({ key: Buffer.from(DEVELOPMENT_IDENTIFIER_KEY), source: 'development' });
    for (const environment of ['staging', 'production']) {
      const config = loadConfig({ ENVIRONMENT: environment });
      expect(() => identifierKeyOf(config)).toThrow(ConfigError);
      expect(() => identifierKeyOf(config)).toThrow(/MEDIA_AI_IDENTIFIER_KEY: expected a key of at least 32 characters/);
      expect(identifierKeyOf(loadConfig({ ENVIRONMENT: environment, MEDIA_AI_IDENTIFIER_KEY: key })).source).toBe('configured');
    }
  });

  it('refuses a short key without echoing it', () => {
    const short = 'short-secret-key';
    const messages = problems({ MEDIA_AI_IDENTIFIER_KEY: short });
    expect(messages).toEqual([
      'MEDIA_AI_IDENTIFIER_KEY: expected at least 32 characters (e.g. openssl rand -base64 32), got <redacted, 16 characters>',
    ]);
    expect(messages.join('\n')).not.toContain(short);
  });
});
