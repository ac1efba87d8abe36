/**
 * The vision-language model API used by the llm stage (OPENAI_*): OpenAI, or any OpenAI-compatible
 * server (vLLM, Ollama, LM Studio) named by OPENAI_BASE_URL. Without a key and without a base URL the
 * capability is off, visibly (`enabled: false`), never faked. Must never echo the key in a message.
 */
import { z } from 'zod';
import { decimal, integer, oneOf, text, url } from './env-fields.js';

export const IMAGE_DETAILS = ['low', 'high', 'auto'] as const;
export type ImageDetail = (typeof IMAGE_DETAILS)[number];

/**
 * How the answer's shape is asked for. `json_schema`: strict structured output (OpenAI, recent vLLM
 * and Ollama). `json_object`: JSON mode, the schema in the prompt. `text`: the schema in the prompt
 * only. `auto` starts with json_schema and steps down when the server rejects it. Every mode
 * validates the answer against the same schema.
 */
export const RESPONSE_FORMATS = ['auto', 'json_schema', 'json_object', 'text'] as const;
export type ResponseFormatMode = (typeof RESPONSE_FORMATS)[number];

export interface OpenAiSettings {
  enabled: boolean;
  apiKey?: string;
  model: string;
  /** An OpenAI-compatible endpoint (a self-hosted server, a proxy, or the test stand-in). */
  baseUrl?: string;
  maxTokens: number;
  temperature: number;
  /** Per attempt. */
  requestTimeoutMs: number;
  /** Retries after the first attempt, for 429, 408, 409, 5xx, timeouts and connection failures. */
  maxRetries: number;
  /** First backoff step; doubles per retry, with jitter. A Retry-After from the server wins. */
  retryDelayMs: number;
  maxRequestsPerMinute: number;
  maxTokensPerMinute: number;
  /** `low` sends a 512px rendition: a fixed, small token cost per photo. */
  imageDetail: ImageDetail;
  responseFormat: ResponseFormatMode;
  /** Consecutive failed photos (after their retries) that open the circuit breaker. */
  circuitBreakerThreshold: number;
  /** How long the breaker stays open before one trial request is let through. */
  circuitBreakerCooldownMs: number;
  /** USD per million tokens; overrides the built-in price table (self-hosted: 0). */
  inputCostPerMillionTokens?: number;
  outputCostPerMillionTokens?: number;
}

export const openAiSchema = z
  .object({
    OPENAI_API_KEY: text({ secret: true }),
    OPENAI_MODEL: text(),
    OPENAI_BASE_URL: url(['http:', 'https:']),
    OPENAI_MAX_TOKENS: integer(1, 128_000),
    OPENAI_TEMPERATURE: decimal(0, 2),
    // Seconds, as in the guide.
    OPENAI_REQUEST_TIMEOUT: decimal(0.1, 3600),
    OPENAI_MAX_RETRIES: integer(0, 20),
    OPENAI_RETRY_DELAY: decimal(0, 600),
    OPENAI_MAX_REQUESTS_PER_MINUTE: integer(1, 1_000_000),
    OPENAI_MAX_TOKENS_PER_MINUTE: integer(1, 1_000_000_000),
    OPENAI_IMAGE_DETAIL: oneOf(IMAGE_DETAILS),
    OPENAI_RESPONSE_FORMAT: oneOf(RESPONSE_FORMATS),
    OPENAI_CIRCUIT_BREAKER_THRESHOLD: integer(1, 10_000),
    // Seconds, like the other durations of this concern.
    OPENAI_CIRCUIT_BREAKER_COOLDOWN: decimal(0.1, 86_400),
    OPENAI_INPUT_COST_PER_MILLION_TOKENS: decimal(0, 10_000),
    OPENAI_OUTPUT_COST_PER_MILLION_TOKENS: decimal(0, 10_000),
  })
  .transform((env): OpenAiSettings => ({
    // Self-hosted servers (Ollama, LM Studio, vLLM without --api-key) need no key: a base URL alone
    // is an operator's explicit choice to send photos there.
    enabled: env.OPENAI_API_KEY !== undefined || env.OPENAI_BASE_URL !== undefined,
    ...(env.OPENAI_API_KEY !== undefined ? { apiKey: env.OPENAI_API_KEY } : {}),
    // gpt-4-vision-preview (the guide's value) is retired; gpt-4o-mini reads images at low cost.
    model: env.OPENAI_MODEL ?? 'gpt-4o-mini',
    ...(env.OPENAI_BASE_URL !== undefined ? { baseUrl: env.OPENAI_BASE_URL.toString().replace(/\/$/, '') } : {}),
    maxTokens: env.OPENAI_MAX_TOKENS ?? 1000,
    temperature: env.OPENAI_TEMPERATURE ?? 0.1,
    requestTimeoutMs: Math.round((env.OPENAI_REQUEST_TIMEOUT ?? 60) * 1000),
    maxRetries: env.OPENAI_MAX_RETRIES ?? 3,
    retryDelayMs: Math.round((env.OPENAI_RETRY_DELAY ?? 1.0) * 1000),
    maxRequestsPerMinute: env.OPENAI_MAX_REQUESTS_PER_MINUTE ?? 1000,
    maxTokensPerMinute: env.OPENAI_MAX_TOKENS_PER_MINUTE ?? 50_000,
    imageDetail: env.OPENAI_IMAGE_DETAIL ?? 'low',
    responseFormat: env.OPENAI_RESPONSE_FORMAT ?? 'auto',
    // The original service's breaker (around publishing) opened after 5 failures for 60 s.
    circuitBreakerThreshold: env.OPENAI_CIRCUIT_BREAKER_THRESHOLD ?? 5,
    circuitBreakerCooldownMs: Math.round((env.OPENAI_CIRCUIT_BREAKER_COOLDOWN ?? 60) * 1000),
    ...(env.OPENAI_INPUT_COST_PER_MILLION_TOKENS !== undefined
      ? { inputCostPerMillionTokens: env.OPENAI_INPUT_COST_PER_MILLION_TOKENS }
      : {}),
    ...(env.OPENAI_OUTPUT_COST_PER_MILLION_TOKENS !== undefined
      ? { outputCostPerMillionTokens: env.OPENAI_OUTPUT_COST_PER_MILLION_TOKENS }
      : {}),
  }));
