import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { parseAnswerJson, ResponseFormatNegotiator } from './response-format.js';

const SCHEMA = {
  type: 'json_schema' as const,
  json_schema: { name: 'label', strict: true, schema: { type: 'object', properties: { label: { type: 'string' } } } },
};

const rejection = (status: number, message: string, param: string | null = null) =>
  OpenAI.APIError.generate(status, { error: { message, type: 'invalid_request_error', param, code: null } }, undefined, new Headers());

describe('ResponseFormatNegotiator', () => {
  it('in auto mode steps down json_schema -> json_object -> text on rejections about the response format', () => {
    const negotiator = new ResponseFormatNegotiator('auto');
    expect(negotiator.mode).toBe('json_schema');
    expect(negotiator.responseFormat(SCHEMA)).toBe(SCHEMA);
    expect(negotiator.schemaInPrompt).toBe(false);

    expect(negotiator.stepDownAfter(rejection(400, "response_format.type: Input should be 'text' or 'json_object'"))).toBe('json_object');
    expect(negotiator.responseFormat(SCHEMA)).toEqual({ type: 'json_object' });
    expect(negotiator.schemaInPrompt).toBe(true);

    // A server that knows json_schema but not JSON mode words it the other way round.
    expect(negotiator.stepDownAfter(rejection(400, "'response_format.type' must be 'json_schema' or 'text'"))).toBe('text');
    expect(negotiator.responseFormat(SCHEMA)).toBeUndefined();
    expect(negotiator.stepDownAfter(rejection(400, 'response_format unsupported'))).toBeNull();
  });

  it('never steps down for other errors, or when the format was configured', () => {
    const auto = new ResponseFormatNegotiator('auto');
    expect(auto.stepDownAfter(rejection(401, 'Incorrect API key provided'))).toBeNull();
    expect(auto.stepDownAfter(rejection(400, 'Invalid image'))).toBeNull();
    expect(auto.stepDownAfter(rejection(422, 'Field required', 'response_format'))).toBe('json_object');
    const fixed = new ResponseFormatNegotiator('json_schema');
    expect(fixed.stepDownAfter(rejection(400, 'response_format json_schema is not supported'))).toBeNull();
    expect(new ResponseFormatNegotiator('text').responseFormat(SCHEMA)).toBeUndefined();
  });
});

describe('parseAnswerJson', () => {
  it('is strict for json_schema and forgiving below it', () => {
    const fenced = 'Here you go:\n```json\n{"a":1}\n```';
    expect(() => parseAnswerJson(fenced, 'json_schema')).toThrow();
    expect(parseAnswerJson(fenced, 'json_object')).toEqual({ a: 1 });
    expect(parseAnswerJson('The answer is {"a": {"b": 2}} as requested.', 'text')).toEqual({ a: { b: 2 } });
    expect(() => parseAnswerJson('no json here', 'text')).toThrow();
  });
});
