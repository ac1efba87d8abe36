/** The llm as a service of its own (category, brand and description from a vision model), for main.ts and `media-ai stage llm`. */
import type { StageServiceDefinition } from '@media-ai/runtime';
import { llmFromConfig } from './from-config.js';

export const llmService: StageServiceDefinition = {
  name: 'llm',
  // The metrics and logger carry the openai_* counters and the per-photo cost lines.
  build: ({ config, blobs, cache, metrics, logger }) => llmFromConfig(config, { blobs, cache, metrics, logger }),
};
