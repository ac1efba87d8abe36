/**
 * The vision-language model API used by the llm stage (OPENAI_*). Without a key the capability is
 * off, visibly (`enabled: false`), never faked. Must never echo the key in a message.
 */
import { z } from 'zod';
import { decimal, integer, oneOf, text, url } from './env-fields.js';

export const IMAGE_DETAILS = ['low', 'high', 'auto'] as const;
export type ImageDetail = (typeof IMAGE_DETAILS)[number];

export interface OpenAiSettings {
  enabled: boolean;
  apiKey?: string;
  model: string;
  /** An OpenAI-compatible endpoint (a proxy, or the test stand-in). */
  baseUrl?: string;
  maxTokens: number;
  temperature: number;
  requestTimeoutMs: number;
  maxRetries: number;
  retryDelayMs: number;
  maxRequestsPerMinute: number;
  maxTokensPerMinute: number;
  /** `low` sends a 512px rendition: a fixed, small token cost per photo. */
  imageDetail: ImageDetail;
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
  })
  .transform(
    (env): OpenAiSettings => ({
      enabled: env.OPENAI_API_KEY !== undefined,
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
    }),
  );
