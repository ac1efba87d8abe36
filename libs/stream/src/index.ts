// Stage contract and stream runner: what a stage may import of @media-ai/stream. The transports are
// '@media-ai/stream/transports' (transports.ts); the test broker is '@media-ai/stream/test-support'.
export type * from './transport.js';
export type * from './stage.js';

export { runStage } from './runner.js';
export {
  DEFAULT_MAX_BATCH_SIZE,
  DEFAULT_RETRY,
  SILENT_LOGGER,
  type RetryPolicy,
  type RunStageOptions,
  type RunningStage,
  type StageEvent,
  type StageLogger,
} from './runner-options.js';

export { murmur2, partitionForKey, toPositive } from './partitioner.js';
export { mapBounded } from './bounded-map.js';
export { PROPAGATED_HEADERS, propagatedHeaders } from './headers.js';
export { DLQ_DETAIL_HEADER_PREFIX } from './dead-letter.js';
