import { describe, expect, it } from 'vitest';
import { estimateRequestTokens, imageTokens, textTokens } from './token-estimate.js';
import { costUsd, priceFor } from './pricing.js';

describe('imageTokens (OpenAI accounting)', () => {
  it.each([
    // Tiles: low is the base; high fits 2048, shortest side 768, then 512 px tiles.
    ['gpt-4o', 'low', 1024, 768, 85],
    ['gpt-4o', 'high', 1024, 1024, 85 + 170 * 4],
    ['gpt-4o-2024-08-06', 'high', 512, 384, 85 + 170],
    ['gpt-4o', 'auto', 2048, 4096, 85 + 170 * 6],
    ['gpt-4o-mini', 'low', 512, 384, 2833],
    ['gpt-4o-mini', 'high', 1024, 683, 2833 + 5667 * 4],
    ['gpt-4.1', 'high', 1024, 1024, 85 + 170 * 4],
    // Patches of 32 px: detail does not matter, the multiplier does.
    ['gpt-4.1-mini', 'low', 1024, 1024, Math.ceil(1024 * 1.62)],
    ['gpt-4.1-nano', 'high', 512, 512, Math.ceil(256 * 2.46)],
    // Self-hosted: counted like gpt-4o.
    ['llava:13b', 'low', 512, 512, 85],
  ] as const)('%s at %s, %ix%i: %i', (model, detail, width, height, tokens) => {
    expect(imageTokens(model, detail, width, height)).toBe(tokens);
  });

  it('caps patch-based images at 1536 patches', () => {
    expect(imageTokens('gpt-4.1-mini', 'high', 4096, 4096)).toBeLessThanOrEqual(Math.ceil(1536 * 1.62));
  });
});

describe('estimateRequestTokens', () => {
  it('adds text, image, message overhead and the completion budget', () => {
    const estimate = estimateRequestTokens({
      model: 'gpt-4o-mini',
      detail: 'low',
      image: { width: 512, height: 384 },
      texts: ['x'.repeat(400), 'y'.repeat(40)],
      messages: 2,
      maxTokens: 1000,
    });
    expect(estimate.promptTokens).toBe(100 + 10 + 2833 + 8 + 3);
    expect(estimate.totalTokens).toBe(estimate.promptTokens + 1000);
    expect(textTokens('')).toBe(0);
  });
});

describe('pricing', () => {
  it('prices known models per million tokens, snapshots included', () => {
    expect(priceFor('gpt-4o-mini-2024-07-18')).toEqual({ input: 0.15, output: 0.6 });
    expect(priceFor('gpt-4o')).toEqual({ input: 2.5, output: 10 });
    expect(priceFor('gpt-4.1-mini')).toEqual({ input: 0.4, output: 1.6 });
    expect(costUsd({ promptTokens: 1_000_000, completionTokens: 1_000_000 }, { input: 0.15, output: 0.6 })).toBeCloseTo(0.75, 10);
  });

  it('says when it does not know a model, and takes the deployment’s price over the table', () => {
    expect(priceFor('qwen2.5-vl:7b')).toBeNull();
    expect(priceFor('qwen2.5-vl:7b', { inputCostPerMillionTokens: 0 })).toBeNull();
    expect(priceFor('qwen2.5-vl:7b', { inputCostPerMillionTokens: 0, outputCostPerMillionTokens: 0 })).toEqual({ input: 0, output: 0 });
    expect(priceFor('gpt-4o', { inputCostPerMillionTokens: 1.25 })).toEqual({ input: 1.25, output: 10 });
  });
});
