/**
 * How the answer's shape is asked for, and how the answer's JSON is read back. OpenAI and recent
 * vLLM / Ollama take a strict `json_schema`; older or smaller OpenAI-compatible servers reject it
 * (400 or 422 naming `response_format`) but take JSON mode (`json_object`); some take neither and
 * need the schema in the prompt. With OPENAI_RESPONSE_FORMAT=auto the client starts with
 * json_schema and steps down on such a rejection, once per process; every mode below json_schema
 * puts the schema in the prompt, and every mode validates the answer with the same check.
 *
 * Must never step down on an error that is not about the response format (a bad key stays a bad
 * key), and never accept text around the JSON when the server promised strict output.
 */
import { APIError } from 'openai/error';
import type { ResponseFormatJSONObject, ResponseFormatJSONSchema } from 'openai/resources/shared';

export type ResponseFormatMode = 'json_schema' | 'json_object' | 'text';
export type ResponseFormatSetting = 'auto' | ResponseFormatMode;

const ORDER: readonly ResponseFormatMode[] = ['json_schema', 'json_object', 'text'];
const ABOUT_RESPONSE_FORMAT = /response_format|json_schema|json_object|structured output|guided/i;

export class ResponseFormatNegotiator {
  private current: ResponseFormatMode;
  private readonly adaptive: boolean;

  constructor(setting: ResponseFormatSetting) {
    this.current = setting === 'auto' ? 'json_schema' : setting;
    this.adaptive = setting === 'auto';
  }

  get mode(): ResponseFormatMode {
    return this.current;
  }

  /** Whether the prompt must carry the schema (the server is not given it as response_format). */
  get schemaInPrompt(): boolean {
    return this.current !== 'json_schema';
  }

  /** The `response_format` request parameter for an answer of this strict schema, or undefined for plain text. */
  responseFormat(schema: ResponseFormatJSONSchema): ResponseFormatJSONSchema | ResponseFormatJSONObject | undefined {
    if (this.current === 'json_schema') return schema;
    if (this.current === 'json_object') return { type: 'json_object' };
    return undefined;
  }

  /**
   * After a rejected request: the next mode when the rejection was about the response format and
   * auto mode may step down (the caller resends at once), else null.
   */
  stepDownAfter(error: unknown): ResponseFormatMode | null {
    if (!this.adaptive || !(error instanceof APIError)) return null;
    if (error.status !== 400 && error.status !== 422) return null;
    if (!ABOUT_RESPONSE_FORMAT.test(`${error.message} ${error.param ?? ''}`)) return null;
    const next = ORDER[ORDER.indexOf(this.current) + 1];
    if (!next) return null;
    this.current = next;
    return next;
  }
}

/**
 * The JSON value in an answer. Strict mode must be exactly one JSON document; the other modes
 * forgive what small models add around it (code fences, a sentence before or after).
 */
export function parseAnswerJson(content: string, mode: ResponseFormatMode): unknown {
  if (mode === 'json_schema') return JSON.parse(content);
  const unfenced = content.replace(/^\s*```(?:json)?\s*/i, '').replace(/\s*```\s*$/, '');
  try {
    return JSON.parse(unfenced);
  } catch {
    const start = unfenced.indexOf('{');
    const end = unfenced.lastIndexOf('}');
    if (start < 0 || end <= start) throw new SyntaxError('no JSON object in the answer');
    return JSON.parse(unfenced.slice(start, end + 1));
  }
}
