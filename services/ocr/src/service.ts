/** The ocr as a service of its own (legible text with personal data redacted), for main.ts and `media-ai stage ocr`. */
import type { StageServiceDefinition } from '@media-ai/runtime';
import { ocrFromConfig } from './from-config.js';

export const ocrService: StageServiceDefinition = {
  name: 'ocr',
  build: ({ config, blobs, cache }) => ocrFromConfig(config, { blobs, cache }),
};
