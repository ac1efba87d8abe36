/** The aggregator as a service of its own (joins the parts of each post into post.enhanced), for main.ts and `media-ai stage aggregator`. */
import { STAGES } from '@media-ai/contracts';
import type { StageServiceDefinition } from '@media-ai/runtime';
import { aggregatorFromConfig } from './from-config.js';

export const aggregatorService: StageServiceDefinition = {
  name: STAGES.aggregator,
  usesJoinState: true,
  build: ({ config, joinStore }) => ({ stage: aggregatorFromConfig(config, joinStore) }),
};
