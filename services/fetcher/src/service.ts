/** The fetcher as a service of its own (downloads and normalizes the photos of posts.events), for main.ts and `media-ai stage fetcher`. */
import { STAGES } from '@media-ai/contracts';
import type { StageServiceDefinition } from '@media-ai/runtime';
import { deployedAnalysisStages, fetcherFromConfig } from './from-config.js';

export const fetcherService: StageServiceDefinition = {
  name: STAGES.fetcher,
  build: ({ config, blobs, metrics }) => ({
    stage: fetcherFromConfig(config, { blobs, metrics, expectedStages: deployedAnalysisStages(config) }),
  }),
};
