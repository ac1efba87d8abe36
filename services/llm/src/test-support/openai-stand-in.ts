/**
 * Test stand-in for the OpenAI chat completions API: a real HTTP server on 127.0.0.1 (random port)
 * that answers `POST /v1/chat/completions` the way the API does (completion objects, error bodies
 * `{error:{message,type,param,code}}` with the real status codes, rate-limit headers), so tests drive
 * the real `openai` client through it with `baseURL`.
 *
 * It also checks what it receives — bearer key, model, a user message carrying the image as a JPEG
 * data URL without EXIF/XMP, a strict json_schema response_format, no e-mail address, phone number or
 * http(s) URL anywhere in the prompt — and records every request with the violations it found.
 * Violations answer 400 like the real API would for a bad request, and are kept for assertions.
 * Never used by product code.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export type ScriptedReply =
  | { kind: 'answer'; answer: unknown }
  /** Content that is not JSON at all. */
  | { kind: 'malformed'; content?: string }
  /** JSON cut off by max_tokens (finish_reason 'length'). */
  | { kind: 'truncated' }
  | { kind: 'refusal'; refusal?: string }
  | { kind: 'rate-limit'; retryAfterMs?: number }
  | { kind: 'server-error'; status?: 500 | 502 | 503 }
  /** Waits before answering (longer than the client's timeout, to test timeouts). */
  | { kind: 'slow'; delayMs: number; then: ScriptedReply };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  /** Every text the model would read (system and user text parts), joined. */
  promptText: string;
  /** The decoded image of each image_url part. */
  images: Buffer[];
  violations: string[];
  /** The reply the stand-in gave (kind, or 'rejected' when a violation answered 400). */
  answeredWith: string;
}

export interface OpenAiStandInOptions {
  apiKey?: string;
  model?: string;
  /** Answer when the script is empty. */
  fallback?: ScriptedReply;
}

export const STAND_IN_API_KEY = 'sk-test-stand-in-0123456789';
export const STAND_IN_MODEL = 'gpt-4o-mini';

export const VALID_ANSWER = {
  category: 'phone',
  brand: 'Apple',
  model: 'iPhone 13',
  colors: ['black'],
  material: 'glass',
  distinguishing_marks: ['cracked top-left corner', 'blue silicone case'],
  description: 'A black smartphone in a blue silicone case with a cracked top-left corner of the screen.',
  confidence: 0.87,
};

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/u;
const PHONE = /\+?\d[\d ().-]{6,}\d/;
const URL_IN_TEXT = /\bhttps?:\/\//i;

export class OpenAiStandIn {
  readonly requests: RecordedRequest[] = [];
  readonly apiKey: string;
  readonly model: string;
  private readonly script: ScriptedReply[] = [];
  private readonly fallback: ScriptedReply;
  private server: Server | undefined;
  private port = 0;

  constructor(options: OpenAiStandInOptions = {}) {
    this.apiKey = options.apiKey ?? STAND_IN_API_KEY;
    this.model = options.model ?? STAND_IN_MODEL;
    this.fallback = options.fallback ?? { kind: 'answer', answer: VALID_ANSWER };
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

  /** Forgets recorded requests and pending replies (between tests). */
  reset(): void {
    this.requests.length = 0;
    this.script.length = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? '').split('?')[0] ?? '';
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      path,
      headers: req.headers,
      body: undefined,
      promptText: '',
      images: [],
      violations: [],
      answeredWith: 'rejected',
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
      sendError(res, 404, `The model \`${String(body.model)}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found');
      return;
    }
    inspectRequest(body, recorded);
    if (recorded.violations.length > 0) {
      sendError(res, 400, `Invalid request: ${recorded.violations.join('; ')}`, 'invalid_request_error', null);
      return;
    }
    await this.reply(res, this.script.shift() ?? this.fallback, recorded);
  }

  private async reply(res: ServerResponse, reply: ScriptedReply, recorded: RecordedRequest): Promise<void> {
    recorded.answeredWith = reply.kind;
    switch (reply.kind) {
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
        if (res.destroyed) return;
        return this.reply(res, reply.then, recorded);
      case 'rate-limit': {
        const retryAfterMs = reply.retryAfterMs ?? 20;
        res.setHeader('retry-after', String(Math.ceil(retryAfterMs / 1000)));
        res.setHeader('retry-after-ms', String(retryAfterMs));
        res.setHeader('x-ratelimit-limit-requests', '500');
        res.setHeader('x-ratelimit-remaining-requests', '0');
        res.setHeader('x-ratelimit-reset-requests', `${retryAfterMs}ms`);
        res.setHeader('x-ratelimit-limit-tokens', '200000');
        res.setHeader('x-ratelimit-remaining-tokens', '199000');
        res.setHeader('x-ratelimit-reset-tokens', '300ms');
        sendError(
          res,
          429,
          `Rate limit reached for ${this.model} in organization org-standin on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in ${retryAfterMs}ms.`,
          'requests',
          'rate_limit_exceeded',
        );
        return;
      }
      case 'server-error':
        sendError(res, reply.status ?? 500, 'The server had an error while processing your request. Sorry about that!', 'server_error', null);
        return;
      case 'answer':
        sendCompletion(res, this.model, { content: JSON.stringify(reply.answer), refusal: null }, 'stop');
        return;
      case 'malformed':
        sendCompletion(res, this.model, { content: reply.content ?? 'Sure! The item is a black phone.', refusal: null }, 'stop');
        return;
      case 'truncated':
        sendCompletion(res, this.model, { content: '{"category":"phone","brand":"App', refusal: null }, 'length');
        return;
      case 'refusal':
        sendCompletion(res, this.model, { content: null, refusal: reply.refusal ?? "I'm sorry, I can't help with that request." }, 'stop');
        return;
    }
  }
}

/** The checks a privacy-minded reviewer would make on every request leaving the service. */
function inspectRequest(body: Record<string, unknown>, recorded: RecordedRequest): void {
  const violations = recorded.violations;
  const messages = Array.isArray(body.messages) ? (body.messages as Array<Record<string, unknown>>) : [];
  if (messages.length === 0) violations.push('no messages');
  const texts: string[] = [];
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
        const url = String((part.image_url as Record<string, unknown> | undefined)?.url ?? '');
        const match = /^data:image\/jpeg;base64,([A-Za-z0-9+/=]+)$/.exec(url);
        if (!match) {
          violations.push(`image_url is not a JPEG data URL (${url.slice(0, 30)})`);
          continue;
        }
        const image = Buffer.from(match[1]!, 'base64');
        recorded.images.push(image);
        if (!(image[0] === 0xff && image[1] === 0xd8 && image[2] === 0xff)) violations.push('image does not decode to a JPEG');
        if (headerContains(image, 'Exif\0\0')) violations.push('image carries EXIF');
        if (headerContains(image, 'http://ns.adobe.com/xap/')) violations.push('image carries XMP');
      }
    }
  }
  if (userImageParts !== 1) violations.push(`expected one image part, got ${userImageParts}`);
  recorded.promptText = texts.join('\n');
  if (EMAIL.test(recorded.promptText)) violations.push('prompt contains an e-mail address');
  if (PHONE.test(recorded.promptText)) violations.push('prompt contains a phone number');
  if (URL_IN_TEXT.test(recorded.promptText)) violations.push('prompt contains a URL');

  const format = body.response_format as Record<string, unknown> | undefined;
  const jsonSchema = format?.json_schema as Record<string, unknown> | undefined;
  const schema = jsonSchema?.schema as Record<string, unknown> | undefined;
  if (format?.type !== 'json_schema') violations.push('response_format is not json_schema');
  else if (jsonSchema?.strict !== true || typeof jsonSchema.name !== 'string') violations.push('json_schema is not strict or has no name');
  else if (!schema || schema.type !== 'object' || schema.additionalProperties !== false) {
    violations.push('strict schema must be an object with additionalProperties false');
  } else {
    // Strict mode: every property must be required.
    const properties = Object.keys((schema.properties as Record<string, unknown> | undefined) ?? {});
    const required = new Set((schema.required as string[] | undefined) ?? []);
    const optional = properties.filter((name) => !required.has(name));
    if (optional.length > 0) violations.push(`strict schema leaves properties optional: ${optional.join(', ')}`);
  }
  if (body.stream === true) violations.push('streaming is not expected');
}

/** Looks for a marker string before the first scan, where metadata segments live. */
function headerContains(jpeg: Buffer, text: string): boolean {
  const sos = jpeg.indexOf(Buffer.from([0xff, 0xda]));
  return jpeg.subarray(0, sos < 0 ? jpeg.length : sos).includes(Buffer.from(text, 'latin1'));
}

function sendCompletion(
  res: ServerResponse,
  model: string,
  message: { content: string | null; refusal: string | null },
  finishReason: 'stop' | 'length',
): void {
  const completionTokens = Math.ceil((message.content ?? message.refusal ?? '').length / 4);
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
      prompt_tokens: 1190,
      completion_tokens: completionTokens,
      total_tokens: 1190 + completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_standin01',
  });
}

function sendError(res: ServerResponse, status: number, message: string, type: string, code: string | null): void {
  send(res, status, { error: { message, type, param: null, code } });
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
