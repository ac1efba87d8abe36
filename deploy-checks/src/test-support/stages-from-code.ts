/**
 * What the code says each stage service consumes: its service definition's name (the consumer
 * group is `<KAFKA_CONSUMER_GROUP_ID>.<name>`, libs/runtime stage-service) and its Stage's
 * `inputs`, read from stages built with inert stand-ins (building a stage does no I/O; nothing
 * here is ever handled). The chart tests compare the autoscalers with these, never with a copy.
 */
import { createAggregatorStage, aggregatorService } from '@media-ai/aggregator-service';
import { createDetectorStage, detectorService } from '@media-ai/detector-service';
import { createFetcherStage, fetcherService } from '@media-ai/fetcher-service';
import { createLlmStage, llmService } from '@media-ai/llm-service';
import { createOcrStage, ocrService } from '@media-ai/ocr-service';
import type { StageServiceDefinition } from '@media-ai/runtime';

export interface StageFacts {
  /** The service definition's name (consumer-group suffix). */
  service: string;
  /** The Stage's own name (the runner's group suffix); must equal `service`. */
  stage: string;
  inputs: readonly string[];
}

/** Never called: building a stage only stores its dependencies. */
const inert = new Proxy(
  {},
  {
    get: () => () => {
      throw new Error('a stand-in dependency was used');
    },
  },
) as never;

const options = {
  blobs: inert,
  cache: inert,
  store: inert,
  sources: inert,
  reader: inert,
  describer: inert,
  detector: inert,
  classifier: inert,
  unavailable: [],
  expectedStages: [],
  normalize: {},
  thresholds: {},
  enrichmentTopic: 'media-ai.enrichment',
  deadlineCheckMs: 1000,
  lateParts: 'drop',
  concurrency: 1,
  maxBatchSize: 1,
  cacheTtlSeconds: 1,
  // The fetcher and ocr stages check their identifier key's length when built.
  identifierKey: Buffer.alloc(32),
} as never;

const BUILDERS: Array<[StageServiceDefinition, (o: never) => { name: string; inputs: readonly string[] }]> = [
  [fetcherService, createFetcherStage],
  [detectorService, createDetectorStage],
  [ocrService, createOcrStage],
  [llmService, createLlmStage],
  [aggregatorService, createAggregatorStage],
];

export function stagesFromCode(): Map<string, StageFacts> {
  const facts = new Map<string, StageFacts>();
  for (const [service, build] of BUILDERS) {
    const stage = build(options);
    facts.set(service.name, { service: service.name, stage: stage.name, inputs: [...stage.inputs] });
  }
  return facts;
}

/** Stages whose service keeps join state (readiness needs Redis). */
export const JOIN_STATE_STAGES = [fetcherService, detectorService, ocrService, llmService, aggregatorService]
  .filter((s) => s.usesJoinState)
  .map((s) => s.name);
