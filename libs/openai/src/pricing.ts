/**
 * What the vision model's tokens cost, to show spend per photo and per post. A small table of
 * OpenAI's list prices (USD per million tokens, standard tier, no cached-input or batch discount —
 * so the estimate errs high), overridable per deployment (OPENAI_INPUT_COST_PER_MILLION_TOKENS /
 * OPENAI_OUTPUT_COST_PER_MILLION_TOKENS: a self-hosted model costs 0, a negotiated price differs).
 *
 * An estimate for dashboards, not an invoice: must never be used to bill anyone, and never guesses
 * a price for a model it does not know (it says so instead).
 */

export interface ModelPrice {
  /** USD per million input (prompt + image) tokens. */
  input: number;
  /** USD per million output tokens. */
  output: number;
}

/** List prices as published by OpenAI in 2025; longest prefix first so snapshots and minis match. */
export const PRICE_TABLE: ReadonlyArray<readonly [string, ModelPrice]> = [
  ['gpt-4o-mini', { input: 0.15, output: 0.6 }],
  ['gpt-4o', { input: 2.5, output: 10 }],
  ['gpt-4.1-nano', { input: 0.1, output: 0.4 }],
  ['gpt-4.1-mini', { input: 0.4, output: 1.6 }],
  ['gpt-4.1', { input: 2, output: 8 }],
  ['o4-mini', { input: 1.1, output: 4.4 }],
  ['gpt-4-turbo', { input: 10, output: 30 }],
];

export interface PriceOverride {
  inputCostPerMillionTokens?: number | undefined;
  outputCostPerMillionTokens?: number | undefined;
}

/** The model's price, the table's with any override applied; null when neither knows it. */
export function priceFor(model: string, override: PriceOverride = {}): ModelPrice | null {
  const listed = PRICE_TABLE.find(([prefix]) => model.startsWith(prefix))?.[1];
  const input = override.inputCostPerMillionTokens ?? listed?.input;
  const output = override.outputCostPerMillionTokens ?? listed?.output;
  return input === undefined || output === undefined ? null : { input, output };
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

export function costUsd(usage: TokenUsage, price: ModelPrice): number {
  return (usage.promptTokens * price.input + usage.completionTokens * price.output) / 1_000_000;
}
