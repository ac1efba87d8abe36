/**
 * The aggregator stage as configuration asks for it: join state in the given store, confidence
 * tiers, the output topic, the deadline and what late parts do; the blob store and result cache a
 * forgotten post's images are deleted from.
 */
import type { AppConfig } from '@media-ai/config';
import type { ForgettableResultCache, JoinStore } from '@media-ai/state';
import type { BlobStore } from '@media-ai/storage';
import { createAggregatorStage, type AggregatorInput } from './stage.js';
import type { Stage } from '@media-ai/stream';

/** What the aggregator keeps state in and forgets posts from (see buildStateStores, buildBlobStorage). */
export interface AggregatorStores {
  store: JoinStore;
  blobs: BlobStore;
  cache: ForgettableResultCache;
}

/** How often the aggregator looks for posts past their deadline. */
const DEADLINE_CHECK_MS = 1_000;

export function aggregatorFromConfig(config: AppConfig, { store, blobs, cache }: AggregatorStores): Stage<AggregatorInput> {
  return createAggregatorStage({
    store,
    blobs,
    cache,
    thresholds: config.thresholds,
    enrichmentTopic: config.kafka.postEnhancedTopic,
    deadlineCheckMs: DEADLINE_CHECK_MS,
    lateParts: config.pipeline.aggregatorLateParts,
  });
}
