// What every service process shares: configuration, logging and metrics, the state stores and blob
// storage chosen by configuration, messaging (transport, registry, codecs), the stage host both
// hosts run their stages with, and the stage-service host.
export { createRuntime, reportStartupError, type Runtime, type RuntimeOptions } from './process-runtime.js';
export { gcsClientOptions } from './blob-storage.js';
// Blob storage and state stores are opened and closed by StageHost only, so there is one shutdown order.
export type { PipelineReadiness, StateConnections, StateStores } from './state-stores.js';
export { StageHost, stageCodecs, stageConsumerGroup, type RunStagesOptions } from './stage-host.js';
export { observeConfidence, stageMetricsHook } from './stage-metrics.js';
export { enrichmentLogFields, stageLogHook } from './stage-logs.js';
export { combineStageHooks, type StageEventHook } from './stage-events.js';
export type { BuiltCapability, CapabilityStatus } from './capability.js';
export { kafkaTransportOptions, type KafkaOptionsContext } from './kafka-options.js';
export {
  runStageService,
  startStageService,
  type BuiltStage,
  type StageService,
  type StageServiceContext,
  type StageServiceDefinition,
  type StageServiceOptions,
} from './stage-service.js';
