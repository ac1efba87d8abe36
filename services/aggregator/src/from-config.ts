/**
 * The aggregator stage as configuration asks for it: join state in the given store, confidence
 * tiers, the output topic, the deadline and what late parts do.
 */
import type { AppConfig } from '@media-ai/config';
import type { JoinStore } from '@media-ai/state';
import { createAggregatorStage, type AggregatorInput } from './stage.js';
import type { Stage } from '@media-ai/stream';

/** How often the aggregator looks for posts past their deadline. */
const DEADLINE_CHECK_MS = 1_000;

export function aggregatorFromConfig(config: AppConfig, store: JoinStore): Stage<AggregatorInput> {
  return createAggregatorStage({
    store,
    thresholds: config.thresholds,
    enrichmentTopic: config.kafka.postEnhancedTopic,
    deadlineCheckMs: DEADLINE_CHECK_MS,
    lateParts: config.pipeline.aggregatorLateParts,
  });
}
