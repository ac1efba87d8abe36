import { describe, expect, it } from 'vitest';
import { openAiSchema } from './openai.js';

const parse = (env: Record<string, string | undefined>) => openAiSchema.parse(env);
const problems = (env: Record<string, string | undefined>) => {
  const result = openAiSchema.safeParse(env);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('OPENAI_* settings', () => {
  it('defaults to off, gpt-4o-mini at low detail, the guide limits, a 5-failure / 60 s breaker and auto response format', () => {
    expect(parse({})).toEqual({
      enabled: false,
      model: 'gpt-4o-mini',
      maxTokens: 1000,
      temperature: 0.1,
      requestTimeoutMs: 60_000,
      maxRetries: 3,
      retryDelayMs: 1000,
      maxRequestsPerMinute: 1000,
      maxTokensPerMinute: 50_000,
      imageDetail: 'low',
      responseFormat: 'auto',
      circuitBreakerThreshold: 5,
      circuitBreakerCooldownMs: 60_000,
    });
  });

  it('is on with a key, or with a base URL alone (self-hosted servers need no key)', () => {
    expect(parse({ OPENAI_API_KEY: 'sk-1' }).enabled).toBe(true);
    const local = parse({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1/' });
    expect(local).toMatchObject({ enabled: true, baseUrl: 'http://127.0.0.1:11434/v1' });
    expect(local.apiKey).toBeUndefined();
  });

  it('reads the guide variables in their units (seconds) and the additions', () => {
    const settings = parse({
      OPENAI_API_KEY: 'sk-1',
      OPENAI_MODEL: 'qwen2.5-vl-7b-instruct',
      OPENAI_REQUEST_TIMEOUT: '12.5',
      OPENAI_MAX_RETRIES: '0',
      OPENAI_RETRY_DELAY: '0.25',
      OPENAI_MAX_REQUESTS_PER_MINUTE: '60',
      OPENAI_MAX_TOKENS_PER_MINUTE: '200000',
      OPENAI_IMAGE_DETAIL: 'HIGH',
      OPENAI_RESPONSE_FORMAT: 'json_object',
      OPENAI_CIRCUIT_BREAKER_THRESHOLD: '3',
      OPENAI_CIRCUIT_BREAKER_COOLDOWN: '30',
      OPENAI_INPUT_COST_PER_MILLION_TOKENS: '0',
      OPENAI_OUTPUT_COST_PER_MILLION_TOKENS: '0.6',
    });
    expect(settings).toMatchObject({
      model: 'qwen2.5-vl-7b-instruct',
      requestTimeoutMs: 12_500,
      maxRetries: 0,
      retryDelayMs: 250,
      maxRequestsPerMinute: 60,
      maxTokensPerMinute: 200_000,
      imageDetail: 'high',
      responseFormat: 'json_object',
      circuitBreakerThreshold: 3,
      circuitBreakerCooldownMs: 30_000,
      inputCostPerMillionTokens: 0,
      outputCostPerMillionTokens: 0.6,
    });
  });

  it('names each wrong value, never echoing the key', () => {
    expect(
      problems({
        OPENAI_API_KEY: 'sk-secret-value',
        OPENAI_RESPONSE_FORMAT: 'xml',
        OPENAI_CIRCUIT_BREAKER_THRESHOLD: '0',
        OPENAI_INPUT_COST_PER_MILLION_TOKENS: '-1',
        OPENAI_BASE_URL: 'ftp://models.local',
      }),
    ).toEqual([
      'OPENAI_BASE_URL: expected a http:// or https:// URL, got "ftp://models.local"',
      'OPENAI_RESPONSE_FORMAT: expected one of auto|json_schema|json_object|text, got "xml"',
      'OPENAI_CIRCUIT_BREAKER_THRESHOLD: expected an integer 1..10000, got "0"',
      'OPENAI_INPUT_COST_PER_MILLION_TOKENS: expected a number 0..10000, got "-1"',
    ]);
  });
});
