/**
 * Adapter over the `openai` package: asks a vision chat model (OpenAI, or any OpenAI-compatible
 * server via baseURL) to describe one normalized photo, with strict structured output, and turns
 * every way that can go wrong into a MediaAiError whose code says whether a retry can help.
 *
 * Must never send anything but the metadata-stripped normalized JPEG (as a data URL) and the
 * redacted post text: never the photo's original URL, never user names, contacts or locations.
 * Must never return an answer that did not pass the schema.
 */
import OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { MediaAiError } from '@media-ai/contracts';
import { checkItemDescription, itemDescriptionResponseFormat, type ItemDescription } from './item-description.js';
import { stripJpegMetadata } from './jpeg-metadata.js';
import { contextText, systemPrompt, type PostContext } from './prompt.js';

export type ImageDetail = 'low' | 'high' | 'auto';

export interface VisionDescriberOptions {
  apiKey: string;
  /** OPENAI_MODEL, e.g. 'gpt-4o-mini'. */
  model: string;
  /** OPENAI_BASE_URL, for OpenAI-compatible servers; the SDK default (api.openai.com/v1) when absent. */
  baseURL?: string | undefined;
  /** OPENAI_REQUEST_TIMEOUT in ms, per attempt. */
  timeoutMs: number;
  /** OPENAI_MAX_RETRIES: retries the SDK makes itself on 408/409/429/5xx and connection errors. */
  maxRetries: number;
  /** OPENAI_MAX_TOKENS. */
  maxTokens: number;
  /** OPENAI_TEMPERATURE. */
  temperature: number;
  /** 'low' costs a fixed small number of tokens per image; enough for category and colours. */
  imageDetail: ImageDetail;
}

export interface DescribeInput {
  /** The normalized JPEG from the blob store. */
  jpeg: Buffer;
  context: PostContext;
}

export interface DescribeOptions {
  /** Aborts the HTTP request (stage shutdown). */
  signal?: AbortSignal;
}

/** What the LLM stage needs from a describer: lets tests and the embedded mode swap the adapter. */
export interface ItemDescriber {
  /** 'openai/<model>': the model_versions value and part of the result-cache key. */
  readonly modelVersion: string;
  describe(input: DescribeInput, options?: DescribeOptions): Promise<ItemDescription>;
}

/** The OPENAI_* settings as @media-ai/config reads them (structural: no import of the config lib). */
export interface OpenAiSettingsLike {
  apiKey?: string | undefined;
  model: string;
  baseUrl?: string | undefined;
  requestTimeoutMs: number;
  maxRetries: number;
  maxTokens: number;
  temperature: number;
  imageDetail: ImageDetail;
}

/** Maps configuration to describer options; throws without a key (check llmStageEnabled first). */
export function visionDescriberOptions(settings: OpenAiSettingsLike): VisionDescriberOptions {
  return {
    apiKey: settings.apiKey ?? '',
    model: settings.model,
    baseURL: settings.baseUrl,
    timeoutMs: settings.requestTimeoutMs,
    maxRetries: settings.maxRetries,
    maxTokens: settings.maxTokens,
    temperature: settings.temperature,
    imageDetail: settings.imageDetail,
  };
}

export function openAiModelVersion(model: string): string {
  return `openai/${model}`;
}

export class VisionDescriber implements ItemDescriber {
  readonly modelVersion: string;
  private readonly client: OpenAI;
  private readonly responseFormat = itemDescriptionResponseFormat();

  constructor(private readonly options: VisionDescriberOptions) {
    if (!options.apiKey) throw new Error('VisionDescriber needs an API key; leave the LLM stage off without one');
    this.modelVersion = openAiModelVersion(options.model);
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
    });
  }

  async describe(input: DescribeInput, options: DescribeOptions = {}): Promise<ItemDescription> {
    const { bytes } = stripJpegMetadata(input.jpeg);
    const params: ChatCompletionCreateParamsNonStreaming = {
      model: this.options.model,
      messages: [
        { role: 'system', content: systemPrompt() },
        {
          role: 'user',
          content: [
            { type: 'text', text: contextText(input.context) },
            {
              type: 'image_url',
              image_url: { url: `data:image/jpeg;base64,${bytes.toString('base64')}`, detail: this.options.imageDetail },
            },
          ],
        },
      ],
      response_format: this.responseFormat,
      max_tokens: this.options.maxTokens,
      temperature: this.options.temperature,
      n: 1,
    };

    let completion: ChatCompletion;
    try {
      completion = await this.client.chat.completions.create(params, { signal: options.signal });
    } catch (error) {
      throw toLlmError(error);
    }
    return readAnswer(completion);
  }
}

/** Reads the one choice: refusals, truncation and schema mismatches are bad answers, not retries. */
export function readAnswer(completion: ChatCompletion): ItemDescription {
  const choice = completion.choices?.[0];
  if (!choice) throw badAnswer('the completion has no choices');
  const { message, finish_reason: finishReason } = choice;
  if (message.refusal) throw badAnswer('the model refused to describe the photo', { refused: true });
  // 'length' means the JSON was cut off by max_tokens; 'content_filter' means it was withheld.
  if (finishReason !== 'stop') throw badAnswer(`the answer ended with finish_reason=${finishReason}`, { finish_reason: finishReason });
  if (!message.content) throw badAnswer('the answer is empty');

  let parsed: unknown;
  try {
    parsed = JSON.parse(message.content);
  } catch {
    throw badAnswer('the answer is not JSON');
  }
  const checked = checkItemDescription(parsed);
  if (!checked.ok) throw badAnswer(`the answer does not match the schema (${checked.reason})`);
  return checked.value;
}

/**
 * Maps the SDK's error classes to the catalogue. The SDK has already retried 408/409/429/5xx and
 * connection failures `maxRetries` times when one of these arrives, so the stream runner's own
 * backoff is the next line of defence for the retryable ones.
 */
export function toLlmError(error: unknown): MediaAiError {
  if (error instanceof MediaAiError) return error;
  const cause = { cause: error };
  // Timeouts are a subclass of connection errors; both mean "no answer", and may work later.
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new MediaAiError('MEDIA_AI_LLM_UNAVAILABLE', 'The vision model API timed out', { ...cause, details: { reason: 'timeout' } });
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return new MediaAiError('MEDIA_AI_LLM_UNAVAILABLE', 'The vision model API could not be reached', { ...cause, details: { reason: 'connection' } });
  }
  // Our own abort (stage stopping): the record is not done, so it must be retried, not dead-lettered.
  if (error instanceof OpenAI.APIUserAbortError) {
    return new MediaAiError('MEDIA_AI_LLM_UNAVAILABLE', 'The vision model request was aborted', { ...cause, details: { reason: 'aborted' } });
  }
  if (error instanceof OpenAI.RateLimitError) return apiError('MEDIA_AI_LLM_UNAVAILABLE', 'The vision model API rate-limited the request', error);
  if (error instanceof OpenAI.InternalServerError || error instanceof OpenAI.ConflictError) {
    return apiError('MEDIA_AI_LLM_UNAVAILABLE', 'The vision model API failed', error);
  }
  // A wrong key, a revoked permission or an unknown model is the deployment's fault, not the photo's:
  // retryable, so the records wait for an operator instead of being dead-lettered as bad photos.
  if (
    error instanceof OpenAI.AuthenticationError ||
    error instanceof OpenAI.PermissionDeniedError ||
    error instanceof OpenAI.NotFoundError
  ) {
    return apiError('MEDIA_AI_LLM_UNAVAILABLE', 'The vision model API refused the credentials or model', error);
  }
  // 400/422: the API rejected this request (image it cannot read, schema it does not accept).
  // Sending the same bytes again gives the same answer, so this is permanent for this record.
  if (error instanceof OpenAI.BadRequestError || error instanceof OpenAI.UnprocessableEntityError) {
    return apiError('MEDIA_AI_LLM_BAD_ANSWER', 'The vision model API rejected the request', error);
  }
  if (error instanceof OpenAI.APIError) {
    const retryable = error.status === undefined || error.status === 408 || error.status >= 500;
    return apiError(retryable ? 'MEDIA_AI_LLM_UNAVAILABLE' : 'MEDIA_AI_LLM_BAD_ANSWER', 'The vision model API answered with an error', error);
  }
  return new MediaAiError('MEDIA_AI_INTERNAL', error instanceof Error ? error.message : String(error), cause);
}

function apiError(code: 'MEDIA_AI_LLM_UNAVAILABLE' | 'MEDIA_AI_LLM_BAD_ANSWER', message: string, error: InstanceType<typeof OpenAI.APIError>): MediaAiError {
  const details: Record<string, string | number | boolean> = {};
  if (error.status !== undefined) details.status = error.status;
  if (typeof error.code === 'string') details.api_code = error.code;
  if (typeof error.type === 'string') details.api_type = error.type;
  if (error.requestID) details.request_id = error.requestID;
  // The API's own message is kept (it names the limit or the invalid parameter); it never echoes prompt text.
  return new MediaAiError(code, `${message}: ${error.message}`, { cause: error, details });
}

function badAnswer(reason: string, details: Record<string, string | boolean> = {}): MediaAiError {
  return new MediaAiError('MEDIA_AI_LLM_BAD_ANSWER', `The vision model answer is unusable: ${reason}`, { details });
}
