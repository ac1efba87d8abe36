/**
 * Adapter over the `openai` package: asks a vision chat model (OpenAI, or any OpenAI-compatible
 * server via baseURL) to describe one normalized photo, and owns everything that makes that call
 * dependable and accountable:
 *
 * - structured output (strict json_schema, or JSON mode / schema-in-prompt for servers without it),
 *   validated with zod; a refused or unusable answer is asked for once more, then reported;
 * - the client-side rate limiter (requests and tokens per minute), charged with an estimate before
 *   each request and corrected from the usage returned;
 * - retries for 429, 408, 409, 5xx, timeouts and connection failures: OPENAI_MAX_RETRIES of them,
 *   after Retry-After when the server gives one, else exponential backoff from OPENAI_RETRY_DELAY
 *   with jitter (the SDK's own retries are off: they would bypass the limiter);
 * - the personal-data redaction of the answer's free text;
 * - the tokens and estimated cost of every request, reported as it happens;
 * - a span per photo (`openai describe`) and per HTTP request (`chat <model>`, with token usage).
 *
 * Must never send anything but the metadata-free normalized JPEG (at most 1024 px) and the redacted
 * post text: never the photo's URL, user names, contacts or locations. Must never return an answer
 * that did not pass the schema.
 */
import OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { MediaAiError } from '@media-ai/contracts';
import { backoffDelayMs } from '@media-ai/stream';
import { SpanKind, tracerFor, withSpan } from '@media-ai/telemetry';
import { readAnswer } from './answer-reader.js';
import { redactAnswer } from './answer-redaction.js';
import { isTransientApiError, requestStatusOf, toLlmError } from './api-errors.js';
import type { ItemDescription } from './item-description.js';
import { outgoingSideFor, prepareOutgoingImage, type ImageDetail, type OutgoingImage } from './outgoing-image.js';
import { costUsd, priceFor, type ModelPrice, type PriceOverride } from './pricing.js';
import { contextText, systemPrompt, type PostContext } from './prompt.js';
import { readServerLimits } from './rate-limit-headers.js';
import { RateLimiter } from './rate-limiter.js';
import { ResponseFormatNegotiator, type ResponseFormatMode, type ResponseFormatSetting } from './response-format.js';
import { estimateRequestTokens } from './token-estimate.js';

export type { ImageDetail } from './outgoing-image.js';

const tracer = tracerFor('@media-ai/llm-service');

export interface VisionDescriberOptions {
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
  /** OPENAI_RETRY_DELAY in ms: the first backoff step. */
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
  /** A Retry-After longer than this is not waited out inside one photo's call. Default 60 s. */
  maxRetryAfterMs?: number;
  /** Cap of one backoff step. Default 30 s. */
  maxRetryDelayMs?: number;
  /** Jitter source (tests pin it). */
  random?: () => number;
  /** One call per HTTP request, as it ends. Must not throw. */
  onRequest?: (event: ApiRequestEvent) => void;
  /** The server rejected the response format and the describer stepped down (auto mode). Must not throw. */
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

export interface DescribeInput {
  /** The normalized JPEG from the blob store. */
  jpeg: Buffer;
  context: PostContext;
}

export interface DescribeOptions {
  /** Aborts waits and the HTTP request (stage shutdown). */
  signal?: AbortSignal;
}

/** Tokens and spend of one photo, over every request it took. */
export interface CallUsage {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  /** Null when the model has no known price. */
  costUsd: number | null;
}

export interface DescribeResult {
  /** Validated, normalized and redacted. */
  answer: ItemDescription;
  usage: CallUsage;
  /** Kinds of personal data removed from the answer's text. */
  redactedKinds: string[];
}

/** What the LLM stage needs from a describer: lets tests and the embedded mode swap the adapter. */
export interface ItemDescriber {
  /** 'openai/<model>': the model_versions value and part of the result-cache key. */
  readonly modelVersion: string;
  /** Part of the result-cache key: the same photo at another detail is another answer. */
  readonly imageDetail: ImageDetail;
  /** Rejects with a MediaAiError whose details carry the call's usage (requests, tokens, cost). */
  describe(input: DescribeInput, options?: DescribeOptions): Promise<DescribeResult>;
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

/** Maps configuration to describer options. */
export function visionDescriberOptions(settings: OpenAiSettingsLike): VisionDescriberOptions {
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

export class VisionDescriber implements ItemDescriber {
  readonly modelVersion: string;
  readonly imageDetail: ImageDetail;
  readonly limiter: RateLimiter;
  /** Null when neither the price table nor the configuration knows the model. */
  readonly price: ModelPrice | null;
  private readonly client: OpenAI;
  private readonly format: ResponseFormatNegotiator;

  constructor(private readonly options: VisionDescriberOptions) {
    if (!options.apiKey && !options.baseURL) {
      throw new Error('VisionDescriber needs an API key or an OpenAI-compatible base URL; leave the LLM stage off without either');
    }
    this.modelVersion = openAiModelVersion(options.model);
    this.imageDetail = options.imageDetail;
    this.price = priceFor(options.model, options.price);
    this.format = new ResponseFormatNegotiator(options.responseFormat ?? 'auto');
    this.limiter =
      options.limiter ??
      new RateLimiter({ requestsPerWindow: options.maxRequestsPerMinute ?? 1000, tokensPerWindow: options.maxTokensPerMinute ?? 50_000 });
    this.client = new OpenAI({
      apiKey: options.apiKey || NO_KEY_PLACEHOLDER,
      // Explicit, so the SDK reads nothing from the environment behind the config's back.
      baseURL: options.baseURL ?? DEFAULT_OPENAI_URL,
      organization: null,
      project: null,
      timeout: options.timeoutMs,
      maxRetries: 0,
    });
  }

  /** The response format in use now (auto mode may have stepped down). */
  get responseFormatMode(): ResponseFormatMode {
    return this.format.mode;
  }

  describe(input: DescribeInput, options: DescribeOptions = {}): Promise<DescribeResult> {
    // Attributes are ids of the model and counts only: never the prompt, the image or the answer.
    return withSpan(
      tracer,
      'openai describe',
      { attributes: { 'gen_ai.system': 'openai', 'gen_ai.request.model': this.options.model, 'media_ai.image_detail': this.imageDetail } },
      async (span) => {
        const result = await this.describeWithRetries(input, options);
        span.setAttributes({
          'media_ai.requests': result.usage.requests,
          'gen_ai.usage.input_tokens': result.usage.promptTokens,
          'gen_ai.usage.output_tokens': result.usage.completionTokens,
        });
        return result;
      },
    );
  }

  private async describeWithRetries(input: DescribeInput, options: DescribeOptions): Promise<DescribeResult> {
    const { signal } = options;
    const image = await prepareOutgoingImage(input.jpeg, outgoingSideFor(this.imageDetail));
    const dataUrl = `data:image/jpeg;base64,${image.jpeg.toString('base64')}`;
    const usage: CallUsage = { requests: 0, promptTokens: 0, completionTokens: 0, costUsd: this.price ? 0 : null };
    let transientRetries = 0;
    let answerRetries = 0;

    for (;;) {
      const mode = this.format.mode;
      const params = this.request(input.context, dataUrl);
      const estimate = this.estimate(params, image);
      const grant = await this.limiter.acquire(estimate, signal).catch(() => {
        throw withUsage(toLlmError(new OpenAI.APIUserAbortError()), usage);
      });

      let completion: ChatCompletion;
      try {
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
            const answered = await this.client.chat.completions.create(params, { signal }).withResponse();
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
        const limits = readServerLimits(error instanceof OpenAI.APIError ? error.headers : undefined);
        this.limiter.observe(limits);

        const stepped = this.format.stepDownAfter(error);
        if (stepped) {
          // Not a retry: the same photo asked in a form this server understands.
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
        if (limits.retryAfterMs !== undefined || (error instanceof OpenAI.APIError && error.status === 429)) this.limiter.pause(delay);
        if (!(await sleep(delay, signal))) throw withUsage(toLlmError(new OpenAI.APIUserAbortError()), usage);
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
        const answer = readAnswer(completion, mode);
        this.report({ status: 'ok', promptTokens, completionTokens, limiterWaitMs: grant.waitedMs });
        const redacted = redactAnswer(answer);
        return { answer: redacted.answer, usage, redactedKinds: redacted.redactedKinds };
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

  private request(context: PostContext, dataUrl: string): ChatCompletionCreateParamsNonStreaming {
    const responseFormat = this.format.responseFormat();
    return {
      model: this.options.model,
      messages: [
        { role: 'system', content: systemPrompt({ schemaInPrompt: this.format.schemaInPrompt }) },
        {
          role: 'user',
          content: [
            { type: 'text', text: contextText(context) },
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

  private estimate(params: ChatCompletionCreateParamsNonStreaming, image: OutgoingImage): number {
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
      // Metrics must never fail a photo.
    }
  }

  private notifyFormat(mode: ResponseFormatMode): void {
    try {
      this.options.onResponseFormatChange?.(mode);
    } catch {
      // Logging must never fail a photo.
    }
  }
}

/** The usage so far travels in the error's details, so a failed photo's spend is still counted. */
function withUsage(error: MediaAiError, usage: CallUsage): MediaAiError {
  Object.assign(error.details, {
    requests: usage.requests,
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    ...(usage.costUsd !== null ? { cost_usd: usage.costUsd } : {}),
  });
  return error;
}

/** Resolves true after ms, or false as soon as the signal aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
