/**
 * Test stand-in for an OpenAI-compatible chat completions server: a real HTTP server on 127.0.0.1
 * (random port) that answers `POST /v1/chat/completions` the way the API does (completion objects
 * with `usage`, error bodies `{error:{message,type,param,code}}` with the real status codes,
 * Retry-After and x-ratelimit-* headers), so tests drive the real `openai` client through it with
 * `baseURL`. It plays each scenario a client must survive: scripted answers, malformed JSON,
 * refusals, 429s, 5xx bursts, slow answers, a server without json_schema support, a request
 * limit per window that it enforces and counts, and spells in which every request gets the same
 * reply (a slow or rate-limited API for a while: see answerEveryRequestWith). What it answers is
 * the test's to script: it knows no answer schema (the llm stage's tests answer with
 * @media-ai/llm-service/test-support's VALID_ANSWER).
 *
 * It also checks what it receives — bearer key, model, one user image as a JPEG data URL without
 * EXIF/XMP and at most 1024 px, a strict json_schema (or, in JSON mode, a prompt that asks for
 * JSON), no e-mail address, phone number or http(s) URL anywhere in the prompt — and records every
 * request with the violations it found. Violations answer 400 like the real API would.
 *
 * Usage is counted the way OpenAI documents it, independently of the client's estimator: text by
 * a rough BPE rule (see textTokens), images by the model's tile rule (gpt-4o-mini: 2833 per
 * low-detail image, 2833 + 5667 per 512 px tile at high detail; gpt-4o: 85 and 170).
 * Never used by product code; binds 127.0.0.1 only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';

export type ScriptedReply =
  /** `wrap: 'fenced'` puts the JSON in a markdown code fence, as small self-hosted models do. */
  | { kind: 'answer'; answer: unknown; wrap?: 'fenced' }
  /** Content that is not JSON at all. */
  | { kind: 'malformed'; content?: string }
  /** JSON cut off by max_tokens (finish_reason 'length'). */
  | { kind: 'truncated' }
  | { kind: 'refusal'; refusal?: string }
  /** `retryAfterMs: null` sends no Retry-After header at all. */
  | { kind: 'rate-limit'; retryAfterMs?: number | null }
  | { kind: 'server-error'; status?: 500 | 502 | 503 }
  /** Waits before answering (longer than the client's timeout, to test timeouts). */
  | { kind: 'slow'; delayMs: number; then: ScriptedReply };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  /** ms since the stand-in started, when the request arrived. */
  receivedAt: number;
  /** Every text the model would read (system and user text parts), joined. */
  promptText: string;
  /** The decoded image of each image_url part. */
  images: Buffer[];
  /** `response_format.type`, or 'none'. */
  responseFormat: string;
  violations: string[];
  /** The reply the stand-in gave (kind, 'rejected' for a violation, 'unsupported', 'over-limit'). */
  answeredWith: string;
  usage: { prompt_tokens: number; completion_tokens: number } | null;
}

export interface OpenAiStandInOptions {
  apiKey?: string;
  model?: string;
  /** Answer when the script is empty. Default: an empty JSON object, which a schema check rejects. */
  fallback?: ScriptedReply;
  /** False plays a server that rejects `json_schema` (older vLLM, Ollama, llama.cpp) but takes JSON mode. */
  supportsJsonSchema?: boolean;
  /** Enforces a request limit per fixed window, answering 429 beyond it as the real API does. */
  requestLimit?: { requests: number; windowMs: number };
}

export const STAND_IN_API_KEY = 'sk-test-stand-in-0123456789';
export const STAND_IN_MODEL = 'gpt-4o-mini';
/**
 * The limits a healthy account's answers advertise (x-ratelimit-limit-*). Unless given a
 * requestLimit the stand-in enforces none: a client meant to run at its speed is configured with these.
 */
export const STAND_IN_LIMITS = { requestsPerMinute: 10_000, tokensPerMinute: 10_000_000 } as const;

/** What the stand-in answers when nothing is scripted and no fallback was given. */
export const EMPTY_ANSWER: ScriptedReply = { kind: 'answer', answer: {} };

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/u;
const PHONE = /\+?\d[\d ().-]{6,}\d/;
const URL_IN_TEXT = /\bhttps?:\/\//i;
const MAX_SIDE = 1024;

/** OpenAI's published image accounting for the two families the stand-in can play. */
const IMAGE_TOKENS: Record<string, { base: number; tile: number }> = {
  'gpt-4o-mini': { base: 2833, tile: 5667 },
  'gpt-4o': { base: 85, tile: 170 },
};

export class OpenAiStandIn {
  readonly requests: RecordedRequest[] = [];
  readonly apiKey: string;
  readonly model: string;
  private readonly script: ScriptedReply[] = [];
  private readonly fallback: ScriptedReply;
  private spell: ScriptedReply | null = null;
  private readonly options: OpenAiStandInOptions;
  private readonly windowCounts = new Map<number, number>();
  private server: Server | undefined;
  private port = 0;
  private startedAt = 0;

  constructor(options: OpenAiStandInOptions = {}) {
    this.options = options;
    this.apiKey = options.apiKey ?? STAND_IN_API_KEY;
    this.model = options.model ?? STAND_IN_MODEL;
    this.fallback = options.fallback ?? EMPTY_ANSWER;
  }

  /** The value for the client's baseURL (ends in /v1, like the real one). */
  get baseURL(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => {
        sendError(res, 500, String(error), 'server_error', null);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    this.startedAt = performance.now();
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  enqueue(...replies: ScriptedReply[]): void {
    this.script.push(...replies);
  }

  /**
   * From now on every valid request gets `reply` (before the script and the fallback, which wait),
   * until called with null: how a test plays the API being slow or rate-limited for a while. A slow
   * reply's `then` is what it finally answers; `fallbackReply` names the stand-in's usual answer.
   */
  answerEveryRequestWith(reply: ScriptedReply | null): void {
    this.spell = reply;
  }

  /** What the stand-in answers when nothing is scripted. */
  get fallbackReply(): ScriptedReply {
    return this.fallback;
  }

  /** Forgets recorded requests, window counts, pending replies and any spell (between tests). */
  reset(): void {
    this.requests.length = 0;
    this.script.length = 0;
    this.windowCounts.clear();
    this.spell = null;
  }

  /** Requests counted in each window of the enforced limit (arrivals, over-limit ones included). */
  callsPerWindow(): number[] {
    return [...this.windowCounts.entries()].sort(([a], [b]) => a - b).map(([, n]) => n);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.now() - this.startedAt;
    const raw = await readBody(req);
    const path = (req.url ?? '').split('?')[0] ?? '';
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      path,
      headers: req.headers,
      body: undefined,
      receivedAt,
      promptText: '',
      images: [],
      responseFormat: 'none',
      violations: [],
      answeredWith: 'rejected',
      usage: null,
    };
    this.requests.push(recorded);

    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      sendError(res, 404, `Invalid URL (${req.method} ${path})`, 'invalid_request_error', null);
      return;
    }
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ')) {
      recorded.violations.push('no bearer token');
      sendError(res, 401, "You didn't provide an API key.", 'invalid_request_error', null);
      return;
    }
    if (auth.slice('Bearer '.length) !== this.apiKey) {
      recorded.violations.push('wrong API key');
      sendError(res, 401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      recorded.violations.push('body is not JSON');
      sendError(res, 400, 'We could not parse the JSON body of your request.', 'invalid_request_error', null);
      return;
    }
    recorded.body = body;
    if (body.model !== this.model) {
      recorded.violations.push(`unexpected model ${String(body.model)}`);
      sendError(
        res,
        404,
        `The model \`${String(body.model)}\` does not exist or you do not have access to it.`,
        'invalid_request_error',
        'model_not_found',
      );
      return;
    }

    // The limit is counted on arrival, before the request is looked at, as an API gateway does.
    const limit = this.options.requestLimit;
    if (limit) {
      const window = Math.floor(receivedAt / limit.windowMs);
      const count = (this.windowCounts.get(window) ?? 0) + 1;
      this.windowCounts.set(window, count);
      if (count > limit.requests) {
        recorded.answeredWith = 'over-limit';
        const retryAfterMs = Math.ceil((window + 1) * limit.windowMs - receivedAt);
        sendRateLimited(res, this.model, retryAfterMs, limit.requests);
        return;
      }
    }

    const imageDetails = await inspectRequest(body, recorded);
    if (recorded.responseFormat === 'json_schema' && this.options.supportsJsonSchema === false) {
      recorded.answeredWith = 'unsupported';
      // What vLLM's request validation says about a response_format it does not know.
      sendError(
        res,
        400,
        "1 validation error: response_format.type: Input should be 'text' or 'json_object'",
        'BadRequestError',
        null,
        'response_format',
      );
      return;
    }
    if (recorded.violations.length > 0) {
      sendError(res, 400, `Invalid request: ${recorded.violations.join('; ')}`, 'invalid_request_error', null);
      return;
    }
    const promptTokens =
      textTokens(recorded.promptText) + schemaTokens(body) + imageTokens(this.model, imageDetails) + 4 * messageCount(body) + 3;
    await this.reply(res, this.spell ?? this.script.shift() ?? this.fallback, recorded, promptTokens);
  }

  private async reply(res: ServerResponse, reply: ScriptedReply, recorded: RecordedRequest, promptTokens: number): Promise<void> {
    recorded.answeredWith = reply.kind;
    const completion = (message: { content: string | null; refusal: string | null }, finish: 'stop' | 'length') => {
      const completionTokens = textTokens(message.content ?? message.refusal ?? '');
      recorded.usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens };
      sendCompletion(res, this.model, message, finish, recorded.usage);
    };
    switch (reply.kind) {
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
        if (res.destroyed) return;
        return this.reply(res, reply.then, recorded, promptTokens);
      case 'rate-limit':
        sendRateLimited(res, this.model, reply.retryAfterMs === undefined ? 20 : reply.retryAfterMs, 500);
        return;
      case 'server-error':
        sendError(
          res,
          reply.status ?? 500,
          'The server had an error while processing your request. Sorry about that!',
          'server_error',
          null,
        );
        return;
      case 'answer': {
        const json = JSON.stringify(reply.answer);
        completion(
          { content: reply.wrap === 'fenced' ? `Here is the description:\n\`\`\`json\n${json}\n\`\`\`` : json, refusal: null },
          'stop',
        );
        return;
      }
      case 'malformed':
        completion({ content: reply.content ?? 'Sure! The item is a black phone.', refusal: null }, 'stop');
        return;
      case 'truncated':
        completion({ content: '{"category":"phone","brand":"App', refusal: null }, 'length');
        return;
      case 'refusal':
        completion({ content: null, refusal: reply.refusal ?? "I'm sorry, I can't help with that request." }, 'stop');
        return;
    }
  }
}

interface ImageSeen {
  width: number;
  height: number;
  detail: string;
}

/** The checks a privacy-minded reviewer would make on every request leaving the service. */
async function inspectRequest(body: Record<string, unknown>, recorded: RecordedRequest): Promise<ImageSeen[]> {
  const violations = recorded.violations;
  const messages = Array.isArray(body.messages) ? (body.messages as Array<Record<string, unknown>>) : [];
  if (messages.length === 0) violations.push('no messages');
  const texts: string[] = [];
  const seen: ImageSeen[] = [];
  let userImageParts = 0;
  for (const message of messages) {
    const content = message.content;
    if (typeof content === 'string') {
      texts.push(content);
      continue;
    }
    if (!Array.isArray(content)) continue;
    for (const part of content as Array<Record<string, unknown>>) {
      if (part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
      if (part.type === 'image_url') {
        if (message.role !== 'user') violations.push('image outside a user message');
        userImageParts += 1;
        const imageUrl = (part.image_url as Record<string, unknown> | undefined) ?? {};
        const url = String(imageUrl.url ?? '');
        const match = /^data:image\/jpeg;base64,([A-Za-z0-9+/=]+)$/.exec(url);
        if (!match) {
          violations.push(`image_url is not a JPEG data URL (${url.slice(0, 30)})`);
          continue;
        }
        const image = Buffer.from(match[1]!, 'base64');
        recorded.images.push(image);
        if (!(image[0] === 0xff && image[1] === 0xd8 && image[2] === 0xff)) {
          violations.push('image does not decode to a JPEG');
          continue;
        }
        if (headerContains(image, 'Exif\0\0')) violations.push('image carries EXIF');
        if (headerContains(image, 'http://ns.adobe.com/xap/')) violations.push('image carries XMP');
        const meta = await sharp(image)
          .metadata()
          .catch(() => ({ width: 0, height: 0 }));
        const width = meta.width ?? 0;
        const height = meta.height ?? 0;
        if (Math.max(width, height) > MAX_SIDE) violations.push(`image is ${width}x${height}, above ${MAX_SIDE} px`);
        seen.push({ width, height, detail: String(imageUrl.detail ?? 'auto') });
      }
    }
  }
  if (userImageParts !== 1) violations.push(`expected one image part, got ${userImageParts}`);
  recorded.promptText = texts.join('\n');
  if (EMAIL.test(recorded.promptText)) violations.push('prompt contains an e-mail address');
  if (PHONE.test(recorded.promptText)) violations.push('prompt contains a phone number');
  if (URL_IN_TEXT.test(recorded.promptText)) violations.push('prompt contains a URL');

  const format = body.response_format as Record<string, unknown> | undefined;
  recorded.responseFormat = typeof format?.type === 'string' ? format.type : 'none';
  if (recorded.responseFormat === 'json_schema') {
    const jsonSchema = format?.json_schema as Record<string, unknown> | undefined;
    const schema = jsonSchema?.schema as Record<string, unknown> | undefined;
    if (jsonSchema?.strict !== true || typeof jsonSchema.name !== 'string') violations.push('json_schema is not strict or has no name');
    else if (!schema || schema.type !== 'object' || schema.additionalProperties !== false) {
      violations.push('strict schema must be an object with additionalProperties false');
    } else {
      // Strict mode: every property must be required.
      const properties = Object.keys((schema.properties as Record<string, unknown> | undefined) ?? {});
      const required = new Set((schema.required as string[] | undefined) ?? []);
      const optional = properties.filter((name) => !required.has(name));
      if (optional.length > 0) violations.push(`strict schema leaves properties optional: ${optional.join(', ')}`);
    }
  } else if (recorded.responseFormat === 'json_object') {
    // The API's own rule for JSON mode.
    if (!/json/i.test(recorded.promptText))
      violations.push("'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'");
  } else if (recorded.responseFormat !== 'none' && recorded.responseFormat !== 'text') {
    violations.push(`unknown response_format ${recorded.responseFormat}`);
  }
  if (body.stream === true) violations.push('streaming is not expected');
  return seen;
}

/** Looks for a marker string before the first scan, where metadata segments live. */
function headerContains(jpeg: Buffer, text: string): boolean {
  const sos = jpeg.indexOf(Buffer.from([0xff, 0xda]));
  return jpeg.subarray(0, sos < 0 ? jpeg.length : sos).includes(Buffer.from(text, 'latin1'));
}

/**
 * Roughly what a BPE tokenizer (o200k) makes of English and JSON: a token per word of up to six
 * letters (longer words split), and punctuation merged in runs of up to three (`":"`, `"},`).
 */
function textTokens(text: string): number {
  const pieces = text.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]+/gu) ?? [];
  return pieces.reduce((sum, piece) => sum + Math.ceil(piece.length / (/^[\p{L}\p{N}]/u.test(piece) ? 6 : 3)), 0);
}

function schemaTokens(body: Record<string, unknown>): number {
  const format = body.response_format as { type?: string; json_schema?: unknown } | undefined;
  return format?.type === 'json_schema' ? textTokens(JSON.stringify(format.json_schema)) : 0;
}

function messageCount(body: Record<string, unknown>): number {
  return Array.isArray(body.messages) ? body.messages.length : 0;
}

function imageTokens(model: string, images: ImageSeen[]): number {
  const rule = IMAGE_TOKENS[model] ?? IMAGE_TOKENS['gpt-4o']!;
  return images.reduce((sum, image) => {
    if (image.detail === 'low') return sum + rule.base;
    // High (and auto, as the API may choose high): fit 2048, shortest side 768, 512 px tiles.
    let w = image.width;
    let h = image.height;
    const fit = Math.min(1, 2048 / Math.max(w, h, 1));
    w *= fit;
    h *= fit;
    const shortest = Math.min(w, h);
    if (shortest > 768) {
      w *= 768 / shortest;
      h *= 768 / shortest;
    }
    return sum + rule.base + rule.tile * Math.ceil(w / 512) * Math.ceil(h / 512);
  }, 0);
}

function sendRateLimited(res: ServerResponse, model: string, retryAfterMs: number | null, limit: number): void {
  if (retryAfterMs !== null) {
    res.setHeader('retry-after', String(Math.ceil(retryAfterMs / 1000)));
    res.setHeader('retry-after-ms', String(retryAfterMs));
  }
  res.setHeader('x-ratelimit-limit-requests', String(limit));
  res.setHeader('x-ratelimit-remaining-requests', '0');
  res.setHeader('x-ratelimit-reset-requests', `${retryAfterMs ?? 1000}ms`);
  sendError(
    res,
    429,
    `Rate limit reached for ${model} in organization org-standin on requests per min (RPM): Limit ${limit}, Used ${limit}, Requested 1. Please try again in ${retryAfterMs ?? 1000}ms.`,
    'requests',
    'rate_limit_exceeded',
  );
}

function sendCompletion(
  res: ServerResponse,
  model: string,
  message: { content: string | null; refusal: string | null },
  finishReason: 'stop' | 'length',
  usage: { prompt_tokens: number; completion_tokens: number },
): void {
  // Plenty left: a healthy account's headers, so the client's limiter sees but is not held by them.
  res.setHeader('x-ratelimit-limit-requests', String(STAND_IN_LIMITS.requestsPerMinute));
  res.setHeader('x-ratelimit-remaining-requests', String(STAND_IN_LIMITS.requestsPerMinute - 1));
  res.setHeader('x-ratelimit-reset-requests', '6ms');
  res.setHeader('x-ratelimit-limit-tokens', String(STAND_IN_LIMITS.tokensPerMinute));
  res.setHeader('x-ratelimit-remaining-tokens', String(STAND_IN_LIMITS.tokensPerMinute - 10_000));
  res.setHeader('x-ratelimit-reset-tokens', '0s');
  send(res, 200, {
    id: `chatcmpl-${randomBytes(12).toString('base64url')}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: `${model}-2024-07-18`,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: message.content, refusal: message.refusal, annotations: [] },
        logprobs: null,
        finish_reason: finishReason,
      },
    ],
    usage: {
      ...usage,
      total_tokens: usage.prompt_tokens + usage.completion_tokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_standin01',
  });
}

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
): void {
  send(res, status, { error: { message, type, param, code } });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('x-request-id', `req_${randomBytes(16).toString('hex')}`);
  res.setHeader('openai-processing-ms', '42');
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
