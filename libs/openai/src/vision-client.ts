/**
 * Adapter over the `openai` package: asks a vision chat model (OpenAI, or any OpenAI-compatible
 * server via baseURL) one question about one image and returns the answer the caller's check
 * accepted, with everything that makes that call dependable and accountable:
 *
 * - structured output (strict json_schema, or JSON mode / schema-in-prompt for servers without it);
 *   a refused or unusable answer is asked for once more, then reported;
 * - the client-side rate limiter (requests and tokens per minute), charged with an estimate before
 *   each request and corrected from the usage returned;
 * - retries for 429, 408, 409, 5xx, timeouts and connection failures: OPENAI_MAX_RETRIES of them,
 *   after Retry-After when the server gives one, else the repository's backoff (@media-ai/retry:
 *   full jitter under a ceiling that starts at OPENAI_RETRY_DELAY and doubles); the SDK's own
 *   retries are off: they would bypass the limiter;
 * - the tokens and estimated cost of every request, reported as it happens;
 * - a span per HTTP request (`chat <model>`, with token usage).
 *
 * What is asked (instructions, text, the image's preparation, the answer's schema and what is done
 * with the answer) is the caller's. Must never send anything but what the caller gave it, never
 * read settings from the environment behind the caller's back, and never return an answer that did
 * not pass the caller's check.
 */
import type OpenAI from 'openai';
import { APIError, APIUserAbortError } from 'openai/error';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ResponseFormatJSONSchema } from 'openai/resources/shared';
import { MediaAiError } from '@media-ai/contracts';
import { backoffDelayMs, sleep } from '@media-ai/retry';
import { SpanKind, tracerFor, withSpan } from '@media-ai/telemetry';
import { readAnswer, type AnswerCheck } from './answer-reader.js';
import { isTransientApiError, requestStatusOf, toLlmError } from './api-errors.js';
import { costUsd, priceFor, type ModelPrice, type PriceOverride } from './pricing.js';
import { readServerLimits } from './rate-limit-headers.js';
import { RateLimiter } from './rate-limiter.js';
import { ResponseFormatNegotiator, type ResponseFormatMode, type ResponseFormatSetting } from './response-format.js';
import { estimateRequestTokens, type ImageDetail } from './token-estimate.js';

const tracer = tracerFor('@media-ai/openai');

export interface OpenAiVisionClientOptions {
  /** Absent for self-hosted servers that need none (then baseURL is required). */
  apiKey?: string | undefined;
  /** OPENAI_MODEL, e.g. 'gpt-4o-mini'. */
  model: string;
  /** OPENAI_BASE_URL, for OpenAI-compatible servers; api.openai.com/v1 when absent. */
  baseURL?: string | undefined;
  /** OPENAI_REQUEST_TIMEOUT in ms, per attempt. */
  timeoutMs: number;
  /** OPENAI_MAX_RETRIES: attempts after the first, for transient failures. */
  maxRetries: number;
  /** OPENAI_RETRY_DELAY in ms: the ceiling of the first backoff wait. */
  retryDelayMs: number;
  /** OPENAI_MAX_TOKENS. */
  maxTokens: number;
  /** OPENAI_TEMPERATURE. */
  temperature: number;
  /** 'low' costs a fixed small number of tokens per image; enough for category and colours. */
  imageDetail: ImageDetail;
  /** OPENAI_RESPONSE_FORMAT. Default 'auto'. */
  responseFormat?: ResponseFormatSetting;
  /** OPENAI_MAX_REQUESTS_PER_MINUTE / OPENAI_MAX_TOKENS_PER_MINUTE; ignored when `limiter` is given. */
  maxRequestsPerMinute?: number;
  maxTokensPerMinute?: number;
  /** Shared limiter (tests shorten its window); built from the two limits above when absent. */
  limiter?: RateLimiter;
  /** Overrides of the price table (self-hosted: 0). */
  price?: PriceOverride;
  /** A Retry-After longer than this is not waited out inside one call. Default 60 s. */
  maxRetryAfterMs?: number;
  /** Cap of one backoff wait. Default 30 s. */
  maxRetryDelayMs?: number;
  /** Jitter source (tests pin it). */
  random?: () => number;
  /** One call per HTTP request, as it ends. Must not throw. */
  onRequest?: (event: ApiRequestEvent) => void;
  /** The server rejected the response format and the client stepped down (auto mode). Must not throw. */
  onResponseFormatChange?: (mode: ResponseFormatMode) => void;
}

/** What one HTTP request to the API did: the metrics' unit. */
export interface ApiRequestEvent {
  /** openai_api_requests_total's label: ok, refused, invalid_answer, rate_limited, timeout, error, aborted, or the HTTP status. */
  status: string;
  model: string;
  /** Reported by the API; 0 when the request got no completion. */
  promptTokens: number;
  completionTokens: number;
  /** Null when the model has no known price. */
  costUsd: number | null;
  /** Time spent waiting for the rate limiter before sending. */
  limiterWaitMs: number;
}

/** One question about one image, and how its answer is checked. */
export interface ImageQuestion<T> {
  /**
   * The instructions (system message). `schemaInPrompt`: the server is not given the schema as
   * `response_format` (JSON mode, plain text), so the instructions must carry it.
   */
  instructions(format: { schemaInPrompt: boolean }): string;
  /** The text beside the image (user message), already free of anything that must not leave. */
  text: string;
  /** The image exactly as it may leave (the caller prepared it), with its size for the token estimate. */
  image: { jpeg: Buffer; width: number; height: number };
  /** The answer's shape as a strict `json_schema` response format (e.g. openai/helpers/zod's zodResponseFormat). */
  schema: ResponseFormatJSONSchema;
  /** Validates the parsed answer; a rejected one is unusable (asked once more, then MEDIA_AI_LLM_BAD_ANSWER). */
  check(value: unknown): AnswerCheck<T>;
}

export interface AskOptions {
  /** Aborts waits and the HTTP request (stage shutdown). */
  signal?: AbortSignal;
}

/** Tokens and spend of one question, over every request it took. */
export interface CallUsage {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  /** Null when the model has no known price. */
  costUsd: number | null;
}

export interface ImageAnswer<T> {
  /** What the caller's check returned. */
  answer: T;
  usage: CallUsage;
}

/** The OPENAI_* settings as @media-ai/config reads them (structural: no import of the config lib). */
export interface OpenAiSettingsLike {
  apiKey?: string | undefined;
  model: string;
  baseUrl?: string | undefined;
  requestTimeoutMs: number;
  maxRetries: number;
  retryDelayMs: number;
  maxTokens: number;
  temperature: number;
  imageDetail: ImageDetail;
  maxRequestsPerMinute: number;
  maxTokensPerMinute: number;
  responseFormat?: ResponseFormatSetting;
  inputCostPerMillionTokens?: number | undefined;
  outputCostPerMillionTokens?: number | undefined;
}

/** Maps configuration to client options. */
export function visionClientOptions(settings: OpenAiSettingsLike): OpenAiVisionClientOptions {
  return {
    apiKey: settings.apiKey,
    model: settings.model,
    baseURL: settings.baseUrl,
    timeoutMs: settings.requestTimeoutMs,
    maxRetries: settings.maxRetries,
    retryDelayMs: settings.retryDelayMs,
    maxTokens: settings.maxTokens,
    temperature: settings.temperature,
    imageDetail: settings.imageDetail,
    responseFormat: settings.responseFormat ?? 'auto',
    maxRequestsPerMinute: settings.maxRequestsPerMinute,
    maxTokensPerMinute: settings.maxTokensPerMinute,
    price: {
      inputCostPerMillionTokens: settings.inputCostPerMillionTokens,
      outputCostPerMillionTokens: settings.outputCostPerMillionTokens,
    },
  };
}

export function openAiModelVersion(model: string): string {
  return `openai/${model}`;
}

/** A refused or unusable answer is asked for once more: sampling may well give a usable one. */
const ANSWER_RETRIES = 1;
const DEFAULT_OPENAI_URL = 'https://api.openai.com/v1';
// Self-hosted servers usually ignore the key, but the SDK will not send a request without one.
const NO_KEY_PLACEHOLDER = 'no-key';

export class OpenAiVisionClient {
  readonly model: string;
  /** 'openai/<model>': the model_versions value and part of a result-cache key. */
  readonly modelVersion: string;
  readonly imageDetail: ImageDetail;
  readonly limiter: RateLimiter;
  /** Null when neither the price table nor the configuration knows the model. */
  readonly price: ModelPrice | null;
  /** Made by the first ask(): the SDK's client module is loaded then, not with the llm stage (see openClient). */
  private client: Promise<OpenAI> | undefined;
  private readonly format: ResponseFormatNegotiator;

  constructor(private readonly options: OpenAiVisionClientOptions) {
    if (!options.apiKey && !options.baseURL) {
      throw new Error('The OpenAI client needs an API key or an OpenAI-compatible base URL; leave the LLM stage off without either');
    }
    this.model = options.model;
    this.modelVersion = openAiModelVersion(options.model);
    this.imageDetail = options.imageDetail;
    this.price = priceFor(options.model, options.price);
    this.format = new ResponseFormatNegotiator(options.responseFormat ?? 'auto');
    this.limiter =
      options.limiter ??
      new RateLimiter({ requestsPerWindow: options.maxRequestsPerMinute ?? 1000, tokensPerWindow: options.maxTokensPerMinute ?? 50_000 });
  }

  /**
   * The SDK client, made on first use. `openai`'s client (~600 modules, 8 MB of RSS and 2 MiB of heap
   * in a fresh process) is imported here rather than with this module: every embedded pipeline
   * imports the llm stage, and most never ask a model. Its error classes come from `openai/error`.
   */
  private openClient(): Promise<OpenAI> {
    this.client ??= import('openai').then(
      ({ default: OpenAIClient }) =>
        new OpenAIClient({
          apiKey: this.options.apiKey || NO_KEY_PLACEHOLDER,
          // Explicit, so the SDK reads nothing from the environment behind the config's back.
          baseURL: this.options.baseURL ?? DEFAULT_OPENAI_URL,
          organization: null,
          project: null,
          timeout: this.options.timeoutMs,
          maxRetries: 0,
        }),
    );
    return this.client;
  }

  /** The response format in use now (auto mode may have stepped down). */
  get responseFormatMode(): ResponseFormatMode {
    return this.format.mode;
  }

  /**
   * Asks until an answer passes the check, the retries are spent or the signal aborts. Rejects with
   * a MediaAiError whose details carry the call's usage (requests, tokens, cost): see callUsageOf.
   */
  async ask<T>(question: ImageQuestion<T>, options: AskOptions = {}): Promise<ImageAnswer<T>> {
    const { signal } = options;
    const dataUrl = `data:image/jpeg;base64,${question.image.jpeg.toString('base64')}`;
    const usage: CallUsage = { requests: 0, promptTokens: 0, completionTokens: 0, costUsd: this.price ? 0 : null };
    let transientRetries = 0;
    let answerRetries = 0;

    for (;;) {
      const mode = this.format.mode;
      const params = this.request(question, dataUrl);
      const estimate = this.estimate(params, question.image);
      const grant = await this.limiter.acquire(estimate, signal).catch(() => {
        throw withUsage(toLlmError(new APIUserAbortError()), usage);
      });

      let completion: ChatCompletion;
      try {
        const client = await this.openClient();
        const { data, response } = await withSpan(
          tracer,
          `chat ${this.options.model}`,
          {
            kind: SpanKind.CLIENT,
            attributes: {
              'gen_ai.system': 'openai',
              'gen_ai.operation.name': 'chat',
              'gen_ai.request.model': this.options.model,
              'media_ai.response_format': mode,
            },
          },
          async (span) => {
            const answered = await linkedSignal(signal, (requestSignal) =>
              client.chat.completions.create(params, { signal: requestSignal }).withResponse(),
            );
            span.setAttributes({
              'gen_ai.usage.input_tokens': answered.data.usage?.prompt_tokens ?? 0,
              'gen_ai.usage.output_tokens': answered.data.usage?.completion_tokens ?? 0,
            });
            return answered;
          },
        );
        completion = data;
        this.limiter.observe(readServerLimits(response.headers));
      } catch (error) {
        usage.requests += 1;
        this.report({ status: requestStatusOf(error), promptTokens: 0, completionTokens: 0, limiterWaitMs: grant.waitedMs });
        const limits = readServerLimits(error instanceof APIError ? error.headers : undefined);
        this.limiter.observe(limits);

        const stepped = this.format.stepDownAfter(error);
        if (stepped) {
          // Not a retry: the same question asked in a form this server understands.
          grant.settle(0);
          this.notifyFormat(stepped);
          continue;
        }
        const failure = withUsage(toLlmError(error), usage);
        if (!isTransientApiError(error) || transientRetries >= this.options.maxRetries) throw failure;
        transientRetries += 1;

        const maxRetryAfter = this.options.maxRetryAfterMs ?? 60_000;
        if (limits.retryAfterMs !== undefined && limits.retryAfterMs > maxRetryAfter) throw failure;
        const delay =
          limits.retryAfterMs ??
          backoffDelayMs(
            transientRetries,
            { initialDelayMs: this.options.retryDelayMs, maxDelayMs: this.options.maxRetryDelayMs ?? 30_000 },
            this.options.random,
          );
        // A 429 or a Retry-After speaks for the whole account: every request of this process waits.
        if (limits.retryAfterMs !== undefined || (error instanceof APIError && error.status === 429)) this.limiter.pause(delay);
        if (!(await sleep(delay, signal))) throw withUsage(toLlmError(new APIUserAbortError()), usage);
        continue;
      }

      usage.requests += 1;
      const promptTokens = completion.usage?.prompt_tokens ?? 0;
      const completionTokens = completion.usage?.completion_tokens ?? 0;
      usage.promptTokens += promptTokens;
      usage.completionTokens += completionTokens;
      // No usage (some self-hosted servers): keep the estimate charged rather than guess lower.
      grant.settle(completion.usage ? promptTokens + completionTokens : estimate);
      const spent = this.price ? costUsd({ promptTokens, completionTokens }, this.price) : null;
      if (spent !== null) usage.costUsd = (usage.costUsd ?? 0) + spent;

      try {
        const answer = readAnswer(completion, mode, (value) => question.check(value));
        this.report({ status: 'ok', promptTokens, completionTokens, limiterWaitMs: grant.waitedMs });
        return { answer, usage };
      } catch (error) {
        const failure = toLlmError(error);
        this.report({
          status: failure.code === 'MEDIA_AI_LLM_REFUSED' ? 'refused' : 'invalid_answer',
          promptTokens,
          completionTokens,
          limiterWaitMs: grant.waitedMs,
        });
        if (answerRetries >= ANSWER_RETRIES) throw withUsage(failure, usage);
        answerRetries += 1;
      }
    }
  }

  private request(question: ImageQuestion<unknown>, dataUrl: string): ChatCompletionCreateParamsNonStreaming {
    const responseFormat = this.format.responseFormat(question.schema);
    return {
      model: this.options.model,
      messages: [
        { role: 'system', content: question.instructions({ schemaInPrompt: this.format.schemaInPrompt }) },
        {
          role: 'user',
          content: [
            { type: 'text', text: question.text },
            { type: 'image_url', image_url: { url: dataUrl, detail: this.imageDetail } },
          ],
        },
      ],
      ...(responseFormat ? { response_format: responseFormat } : {}),
      max_tokens: this.options.maxTokens,
      temperature: this.options.temperature,
      n: 1,
    };
  }

  private estimate(params: ChatCompletionCreateParamsNonStreaming, image: { width: number; height: number }): number {
    const texts: string[] = [];
    for (const message of params.messages) {
      if (typeof message.content === 'string') texts.push(message.content);
      else if (Array.isArray(message.content)) {
        for (const part of message.content) if (part.type === 'text') texts.push(part.text);
      }
    }
    // A strict schema is put in front of the model too, and counted as prompt tokens.
    if (params.response_format?.type === 'json_schema') texts.push(JSON.stringify(params.response_format.json_schema));
    return estimateRequestTokens({
      model: this.options.model,
      detail: this.imageDetail,
      image,
      texts,
      messages: params.messages.length,
      maxTokens: this.options.maxTokens,
    }).totalTokens;
  }

  private report(event: Omit<ApiRequestEvent, 'model' | 'costUsd'>): void {
    const costUsdValue = this.price ? costUsd(event, this.price) : null;
    try {
      this.options.onRequest?.({ ...event, model: this.options.model, costUsd: costUsdValue });
    } catch {
      // Metrics must never fail a call.
    }
  }

  private notifyFormat(mode: ResponseFormatMode): void {
    try {
      this.options.onResponseFormatChange?.(mode);
    } catch {
      // Logging must never fail a call.
    }
  }
}

/**
 * Runs one request under its own signal, aborted with the caller's. The SDK adds an abort listener
 * to the signal it is given and never removes it: given the stage's signal, which lives as long as
 * the process, every request would leave one behind (a leak, and Node's MaxListeners warning).
 */
async function linkedSignal<T>(signal: AbortSignal | undefined, run: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
  if (!signal) return run(undefined);
  const request = new AbortController();
  const abort = (): void => request.abort(signal.reason);
  if (signal.aborted) abort();
  else signal.addEventListener('abort', abort, { once: true });
  try {
    return await run(request.signal);
  } finally {
    signal.removeEventListener('abort', abort);
  }
}

/** The usage so far travels in the error's details, so a failed call's spend is still counted. */
function withUsage(error: MediaAiError, usage: CallUsage): MediaAiError {
  Object.assign(error.details, {
    requests: usage.requests,
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    ...(usage.costUsd !== null ? { cost_usd: usage.costUsd } : {}),
  });
  return error;
}

/** What a failed `ask` had spent, read back from its error's details; null when no request was made. */
export function callUsageOf(failure: MediaAiError): CallUsage | null {
  const { requests, prompt_tokens: promptTokens, completion_tokens: completionTokens, cost_usd: cost } = failure.details;
  if (typeof requests !== 'number' || requests === 0) return null;
  return {
    requests,
    promptTokens: typeof promptTokens === 'number' ? promptTokens : 0,
    completionTokens: typeof completionTokens === 'number' ? completionTokens : 0,
    costUsd: typeof cost === 'number' ? cost : null,
  };
}
