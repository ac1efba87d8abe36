/**
 * Reads the one choice of a chat completion into a value the caller's check accepts. A refusal, an
 * answer cut off by max_tokens, a content-filtered answer, text that is not JSON, or JSON the check
 * rejects are unusable answers (the API itself is fine), each thrown as a MediaAiError whose code
 * says which: MEDIA_AI_LLM_REFUSED or MEDIA_AI_LLM_BAD_ANSWER.
 *
 * Must never return an answer that did not pass the check, and never quote the answer's text in an
 * error (it can hold what the model read off the photo).
 */
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { MediaAiError } from '@media-ai/contracts';
import { parseAnswerJson, type ResponseFormatMode } from './response-format.js';

/** What a caller's check says of the parsed answer: its own validated value, or why it is unusable. */
export type AnswerCheck<T> = { ok: true; value: T } | { ok: false; reason: string };

// Small models behind OpenAI-compatible servers refuse in prose instead of the `refusal` field.
const PROSE_REFUSAL = /^\s*(i'?m sorry|i am sorry|i can(?:'|no)t (?:help|assist|describe)|i (?:won'?t|will not) )/i;

export function readAnswer<T>(completion: ChatCompletion, mode: ResponseFormatMode, check: (value: unknown) => AnswerCheck<T>): T {
  const choice = completion.choices?.[0];
  if (!choice) throw badAnswer('the completion has no choices');
  const { message, finish_reason: finishReason } = choice;
  if (message.refusal) throw refused('refusal');
  // 'length' means the JSON was cut off by max_tokens; 'content_filter' means it was withheld.
  if (finishReason === 'content_filter') throw refused('content_filter');
  if (finishReason !== 'stop') throw badAnswer(`the answer ended with finish_reason=${finishReason}`, { finish_reason: finishReason });
  if (!message.content) throw badAnswer('the answer is empty');

  let parsed: unknown;
  try {
    parsed = parseAnswerJson(message.content, mode);
  } catch {
    if (PROSE_REFUSAL.test(message.content)) throw refused('prose');
    throw badAnswer('the answer is not JSON');
  }
  const checked = check(parsed);
  if (!checked.ok) throw badAnswer(`the answer does not match the schema (${checked.reason})`);
  return checked.value;
}

function badAnswer(reason: string, details: Record<string, string> = {}): MediaAiError {
  return new MediaAiError('MEDIA_AI_LLM_BAD_ANSWER', `The vision model answer is unusable: ${reason}`, {
    details: { reason: 'invalid_answer', ...details },
  });
}

function refused(how: string): MediaAiError {
  return new MediaAiError('MEDIA_AI_LLM_REFUSED', 'The vision model refused to describe the photo', {
    details: { reason: 'refused', refusal: how },
  });
}
