import { describe, expect, it } from 'vitest';
import { loadConfig } from '@media-ai/config';
import { MemoryResultCache } from '@media-ai/state';
import { createMetrics, Registry } from '@media-ai/telemetry';
import { llmFromConfig } from './from-config.js';
import { MemoryBlobStore } from './test-support/fixtures.js';

const deps = () => ({ blobs: new MemoryBlobStore(), cache: new MemoryResultCache() });
const config = (env: Record<string, string>) => loadConfig(env, { cwd: '/srv', cpuCount: 1 });

describe('llmFromConfig', () => {
  it('is off, with the reason, without a key or a base URL', () => {
    const built = llmFromConfig(config({}), deps());
    expect(built.stage).toBeNull();
    expect(built.status).toMatchObject({ stage: 'llm', enabled: false, reason: expect.stringContaining('OPENAI_API_KEY is not set') });
  });

  it('is on with a key, naming the model version', () => {
    const built = llmFromConfig(config({ OPENAI_API_KEY: 'sk-1', OPENAI_MODEL: 'gpt-4o' }), deps());
    expect(built.stage?.name).toBe('llm');
    expect(built.status).toEqual({ stage: 'llm', enabled: true, reason: null, versions: { openai: 'openai/gpt-4o' } });
  });

  it('is on for a self-hosted server without a key, and warns when the model has no price', async () => {
    const warnings: string[] = [];
    const logger = { info() {}, error() {}, warn: (_f: Record<string, unknown>, message: string) => warnings.push(message) };
    const metrics = createMetrics(new Registry(), { defaultMetrics: false });
    const built = llmFromConfig(config({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', OPENAI_MODEL: 'llava:13b' }), {
      ...deps(),
      metrics,
      logger,
    });
    expect(built.status.enabled).toBe(true);
    expect(warnings.join('\n')).toContain('OPENAI_INPUT_COST_PER_MILLION_TOKENS');
    expect(await metrics.registry.metrics()).toContain('openai_circuit_breaker_open 0');

    warnings.length = 0;
    llmFromConfig(
      config({
        OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
        OPENAI_MODEL: 'llava:13b',
        OPENAI_INPUT_COST_PER_MILLION_TOKENS: '0',
        OPENAI_OUTPUT_COST_PER_MILLION_TOKENS: '0',
      }),
      { ...deps(), logger },
    );
    expect(warnings).toEqual([]);
  });
});
