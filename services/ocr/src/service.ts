/** The ocr as a service of its own (legible text with personal data redacted), for main.ts and `media-ai stage ocr`. */
import { STAGES } from '@media-ai/contracts';
import type { StageServiceDefinition } from '@media-ai/runtime';
import { ocrFromConfig } from './from-config.js';

export const ocrService: StageServiceDefinition = {
  name: STAGES.ocr,
  hashesIdentifiers: true,
  build: ({ config, blobs, cache }) => ocrFromConfig(config, { blobs, cache }),
};
