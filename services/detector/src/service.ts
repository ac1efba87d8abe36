/** The detector as a service of its own (objects and item classes with ONNX models), for main.ts and `media-ai stage detector`. */
import { STAGES } from '@media-ai/contracts';
import type { StageServiceDefinition } from '@media-ai/runtime';
import { detectorFromConfig } from './from-config.js';

export const detectorService: StageServiceDefinition = {
  name: STAGES.detector,
  build: ({ config, blobs, cache, logger, metrics }) =>
    detectorFromConfig(config, { blobs, cache, metrics, onWarning: (message) => logger.warn({ message }, 'detector') }),
};
