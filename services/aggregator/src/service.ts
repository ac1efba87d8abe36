/** The aggregator as a service of its own (joins the parts of each post into post.enhanced), for main.ts and `media-ai stage aggregator`. */
import { STAGES } from '@media-ai/contracts';
import type { StageServiceDefinition } from '@media-ai/runtime';
import { aggregatorFromConfig } from './from-config.js';

export const aggregatorService: StageServiceDefinition = {
  name: STAGES.aggregator,
  usesJoinState: true,
  // It forgets deleted and resolved posts too: their images go from the blob store and the result cache.
  build: ({ config, joinStore, blobs, cache }) => ({ stage: aggregatorFromConfig(config, { store: joinStore, blobs, cache }) }),
};
