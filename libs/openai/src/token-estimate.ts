/**
 * Tokens a request will use, estimated before it is sent, so the client-side limiter can hold it
 * back under OPENAI_MAX_TOKENS_PER_MINUTE. Images follow OpenAI's published accounting (tiles for the
 * gpt-4o family, 32 px patches for gpt-4.1-mini/nano and o4-mini); text is counted at ~4 characters
 * per token. The estimate is corrected from the `usage` the API returns, so it only has to be close.
 *
 * Must never under-count on purpose: `auto` detail is counted as `high`, and the completion is
 * counted at max_tokens (which is also what the API reserves against the limit until it answers).
 */
import type { ChatCompletionContentPartImage } from 'openai/resources/chat/completions';

/** The `detail` of an image part: the resolution the API reads the image at, and bills it for. */
export type ImageDetail = NonNullable<ChatCompletionContentPartImage.ImageURL['detail']>;

interface TileRule {
  kind: 'tiles';
  base: number;
  perTile: number;
}
interface PatchRule {
  kind: 'patches';
  multiplier: number;
}

// Longest prefix first: 'gpt-4o-mini' before 'gpt-4o'. Dated snapshots ('gpt-4o-2024-08-06') match by prefix.
const IMAGE_RULES: ReadonlyArray<readonly [string, TileRule | PatchRule]> = [
  ['gpt-4o-mini', { kind: 'tiles', base: 2833, perTile: 5667 }],
  ['gpt-4.1-mini', { kind: 'patches', multiplier: 1.62 }],
  ['gpt-4.1-nano', { kind: 'patches', multiplier: 2.46 }],
  ['o4-mini', { kind: 'patches', multiplier: 1.72 }],
  ['o1', { kind: 'tiles', base: 75, perTile: 150 }],
  ['o3', { kind: 'tiles', base: 75, perTile: 150 }],
];
/** gpt-4o, gpt-4.1, gpt-4-turbo, and the assumption for self-hosted models. */
const DEFAULT_RULE: TileRule = { kind: 'tiles', base: 85, perTile: 170 };
const MAX_PATCHES = 1536;
const PATCH = 32;

export function imageTokens(model: string, detail: ImageDetail, width: number, height: number): number {
  const rule = IMAGE_RULES.find(([prefix]) => model.startsWith(prefix))?.[1] ?? DEFAULT_RULE;
  if (rule.kind === 'patches') return Math.ceil(patchCount(width, height) * rule.multiplier);
  if (detail === 'low') return rule.base;
  return rule.base + rule.perTile * tileCount(width, height);
}

/** High detail: fit in 2048 × 2048, then shortest side down to 768, then 512 px tiles. */
function tileCount(width: number, height: number): number {
  let w = Math.max(1, width);
  let h = Math.max(1, height);
  const fit = Math.min(1, 2048 / Math.max(w, h));
  w *= fit;
  h *= fit;
  const shortest = Math.min(w, h);
  if (shortest > 768) {
    w *= 768 / shortest;
    h *= 768 / shortest;
  }
  return Math.ceil(w / 512) * Math.ceil(h / 512);
}

function patchCount(width: number, height: number): number {
  const w = Math.max(1, width);
  const h = Math.max(1, height);
  const patches = Math.ceil(w / PATCH) * Math.ceil(h / PATCH);
  if (patches <= MAX_PATCHES) return patches;
  // Scaled down until the patches fit the cap, as the API does.
  const scale = Math.sqrt((MAX_PATCHES * PATCH * PATCH) / (w * h));
  return Math.min(MAX_PATCHES, Math.ceil((w * scale) / PATCH) * Math.ceil((h * scale) / PATCH));
}

/** ~4 characters per token for English text and JSON. */
export function textTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

// Chat formatting: a few tokens per message and to prime the reply.
const PER_MESSAGE_OVERHEAD = 4;
const REPLY_PRIMING = 3;

export interface RequestEstimateInput {
  model: string;
  detail: ImageDetail;
  image: { width: number; height: number };
  /** Every text part and the response-format schema, if one is sent. */
  texts: readonly string[];
  messages: number;
  maxTokens: number;
}

export interface RequestEstimate {
  promptTokens: number;
  /** promptTokens + maxTokens: what the request is charged against the token limit before usage is known. */
  totalTokens: number;
}

export function estimateRequestTokens(input: RequestEstimateInput): RequestEstimate {
  const text = input.texts.reduce((sum, t) => sum + textTokens(t), 0);
  const promptTokens =
    text +
    imageTokens(input.model, input.detail, input.image.width, input.image.height) +
    PER_MESSAGE_OVERHEAD * input.messages +
    REPLY_PRIMING;
  return { promptTokens, totalTokens: promptTokens + input.maxTokens };
}
