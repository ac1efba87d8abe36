/**
 * Chooses what the tests talk to: the stand-in by default, or a real OpenAI-compatible server when
 * MEDIA_AI_TEST_OPENAI_BASE_URL and OPENAI_API_KEY are set (MEDIA_AI_TEST_OPENAI_MODEL picks the
 * model). Tests that script the server's answers or inspect recorded requests skip against a real one.
 */
import { OpenAiStandIn, type OpenAiStandInOptions } from './openai-stand-in.js';

export interface OpenAiTarget {
  baseURL: string;
  apiKey: string;
  model: string;
  /** Present only when the stand-in serves the tests. */
  standIn: OpenAiStandIn | undefined;
  close(): Promise<void>;
}

const realBaseURL = process.env.MEDIA_AI_TEST_OPENAI_BASE_URL;
const realApiKey = process.env.OPENAI_API_KEY;

/** True when the suite runs against a real server: scripted-answer tests must skip. */
export const USING_REAL_OPENAI = Boolean(realBaseURL && realApiKey);

export async function openAiTarget(standInOptions: OpenAiStandInOptions = {}): Promise<OpenAiTarget> {
  if (USING_REAL_OPENAI) {
    return {
      baseURL: realBaseURL!,
      apiKey: realApiKey!,
      model: process.env.MEDIA_AI_TEST_OPENAI_MODEL ?? 'gpt-4o-mini',
      standIn: undefined,
      close: async () => {},
    };
  }
  const standIn = new OpenAiStandIn(standInOptions);
  await standIn.start();
  return { baseURL: standIn.baseURL, apiKey: standIn.apiKey, model: standIn.model, standIn, close: () => standIn.stop() };
}
