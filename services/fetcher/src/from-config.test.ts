import { describe, expect, it } from 'vitest';
import { loadConfig } from '@media-ai/config';
import { MemoryBlobStore } from '@media-ai/storage/test-support';
import { createLogger, createMetrics } from '@media-ai/telemetry';
import { Registry } from 'prom-client';
import { deployedAnalysisStages, fetcherFromConfig, malwareScannerFromConfig } from './from-config.js';

const load = (env: Record<string, string>) => loadConfig(env, { cwd: '/srv', cpuCount: 2 });

describe('fetcherFromConfig', () => {
  it('reads the platform topics KAFKA_CONSUMER_TOPICS names, not a fixed posts.events', () => {
    const deps = {
      blobs: new MemoryBlobStore(),
      metrics: createMetrics(new Registry(), { defaultMetrics: false }),
      logger: createLogger({ service: 'test', level: 'ERROR' }),
      expectedStages: ['ocr'],
      faces: null,
      scanner: null,
    };
    expect(fetcherFromConfig(load({ KAFKA_CONSUMER_TOPICS: 'staging.posts.events' }), deps).inputs).toEqual(['staging.posts.events']);
    expect(fetcherFromConfig(load({}), deps).inputs).toEqual(['posts.events']);
  });

  it('builds the clamd scanner SCAN_FOR_MALWARE asks for, and refuses to run a scanning fetcher without one', () => {
    const metrics = createMetrics(new Registry(), { defaultMetrics: false });
    expect(malwareScannerFromConfig(load({}), metrics)).toBeNull();
    expect(
      malwareScannerFromConfig(load({ SCAN_FOR_MALWARE: 'true', CLAMAV_HOST: 'clamd', CLAMAV_PORT: '3311' }), metrics)?.describe(),
    ).toBe('tcp://clamd:3311');
    expect(
      malwareScannerFromConfig(load({ ENVIRONMENT: 'production', CLAMAV_SOCKET: '/run/clamav/clamd.sock' }), metrics)?.describe(),
    ).toBe('unix:/run/clamav/clamd.sock');
    const logger = createLogger({ service: 'test', level: 'ERROR' });
    const deps = { blobs: new MemoryBlobStore(), metrics, logger, expectedStages: ['ocr'], faces: null, scanner: null };
    expect(() => fetcherFromConfig(load({ SCAN_FOR_MALWARE: 'true' }), deps)).toThrow(
      /SCAN_FOR_MALWARE is on but the fetcher was given no scanner/,
    );
  });

  it('expects the stages MEDIA_AI_EXPECTED_STAGES lists, else detector and ocr plus llm when it can be reached', () => {
    expect(deployedAnalysisStages(load({ MEDIA_AI_EXPECTED_STAGES: 'ocr,llm' }))).toEqual(['ocr', 'llm']);
    expect(deployedAnalysisStages(load({}))).toEqual(['detector', 'ocr']);
    expect(deployedAnalysisStages(load({ OPENAI_API_KEY: 'sk-test' }))).toEqual(['detector', 'ocr', 'llm']);
    expect(deployedAnalysisStages(load({ OPENAI_BASE_URL: 'http://vllm:8000/v1' }))).toEqual(['detector', 'ocr', 'llm']);
  });
});
