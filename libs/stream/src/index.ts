// Stage contract, stream runner and transports: the only entry point of @media-ai/stream.
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

export { KafkaTransport, type KafkaTransportOptions, type KafkaConsumerSettings, type KafkaSaslOptions } from './kafka-transport.js';
export { InProcessTransport, type InProcessTransportOptions, type TopicRecord } from './in-process-transport.js';
export { murmur2, partitionForKey, toPositive } from './partitioner.js';
export { mapBounded } from './bounded-map.js';
export { PROPAGATED_HEADERS, propagatedHeaders } from './headers.js';
export { DLQ_DETAIL_HEADER_PREFIX } from './dead-letter.js';
