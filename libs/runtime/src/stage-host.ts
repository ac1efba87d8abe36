/**
 * Runs a set of stages on one transport with one set of codecs: what the stage-service host (one
 * stage over Kafka, stage-service.ts) and the embedded pipeline (every stage in one process) share.
 * It opens what stages keep their work in (blob storage with its sweeper, state stores), runs each
 * stage the way configuration says (consumer group `<KAFKA_CONSUMER_GROUP_ID>.<stage>`, the
 * dead-letter topic, KAFKA_MAX_POLL_RECORDS unless the stage says otherwise, the retry policy of
 * MEDIA_AI_STAGE_MAX_ATTEMPTS and KAFKA_RETRY_BACKOFF_MS / _MAX_MS), with a logger child and the
 * stage-event hooks (metrics, logs, the host's own), and owns the one shutdown order: stages newest
 * first (each finishes or abandons its batch and commits through the transport), then the
 * transport, then the blob sweeper, then the state stores (the stages' last writes must reach
 * Redis). close() undoes exactly what was opened and started, so a host whose start fails at any
 * step closes it and throws.
 * Must never choose a transport or a schema registry, or know a stage: the hosts do.
 */
import { createCodecs, type Codecs, type CreateCodecsOptions } from '@media-ai/contracts';
import type { AppConfig, KafkaSettings } from '@media-ai/config';
import type { SweepableBlobStore, BlobSweeper } from '@media-ai/storage';
import { runStage, type RunningStage, type Stage, type Transport } from '@media-ai/stream';
import { buildBlobStorage } from './blob-storage.js';
import type { Runtime } from './process-runtime.js';
import { combineStageHooks, type StageEventHook } from './stage-events.js';
import { stageLogHook } from './stage-logs.js';
import { stageMetricsHook } from './stage-metrics.js';
import { buildStateStores, closeStateStores, type StateStores } from './state-stores.js';

/** The consumer group a stage reads in: one per stage, so each scales and commits on its own. */
export function stageConsumerGroup(kafka: Pick<KafkaSettings, 'consumerGroupId'>, stage: string): string {
  return `${kafka.consumerGroupId}.${stage}`;
}

/** The codecs of every topic, with the topic names configuration gives (enrichment, dead letters, posts events). */
export function stageCodecs(config: AppConfig, schemas: Pick<CreateCodecsOptions, 'registry' | 'schemaIds'>): Codecs {
  return createCodecs({
    ...schemas,
    enrichmentTopic: config.kafka.postEnhancedTopic,
    deadLetterTopic: config.pipeline.deadLetterTopic,
    postsEventsTopics: config.kafka.consumerTopics,
  });
}

export interface RunStagesOptions {
  codecs: Codecs;
  /** Sees every runner event of every stage, after the metrics and the logs (benchmarks time stages with it). */
  onStageEvent?: StageEventHook;
}

export class StageHost {
  private readonly running: RunningStage[] = [];
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly runtime: Runtime,
    private readonly transport: Transport,
    /** Normalized photos: the fetcher writes them, the analysis stages read them. */
    readonly blobs: SweepableBlobStore,
    private readonly sweeper: BlobSweeper | null,
    /** Join state and result cache, with the Redis connections they use (if any). */
    readonly stores: StateStores,
  ) {}

  /**
   * Opens blob storage (its sweeper started) and the state stores, and takes charge of the
   * transport: close() closes it after the stages. Connects nothing itself: the host connects its
   * transport when it needs to, and Redis clients connect in the background.
   */
  static open(runtime: Runtime, transport: Transport): StageHost {
    const { blobs, sweeper } = buildBlobStorage(runtime.config, runtime.logger);
    let stores: StateStores;
    try {
      stores = buildStateStores(runtime.config, runtime.logger, runtime.metrics);
    } catch (error) {
      void sweeper?.stop();
      throw error;
    }
    return new StageHost(runtime, transport, blobs, sweeper, stores);
  }

  /** The names of the stages running, in start order. */
  get stageNames(): string[] {
    return this.running.map((stage) => stage.name);
  }

  /**
   * Starts the stages in the order given, which must be downstream first (the aggregator before the
   * analysis stages before the fetcher), so nothing is produced before its consumer exists. When one
   * fails to start, those started before it keep running until close().
   */
  async run(stages: readonly Stage[], { codecs, onStageEvent }: RunStagesOptions): Promise<void> {
    const { config, logger, metrics } = this.runtime;
    for (const stage of stages) {
      if (this.closing) throw new Error(`the stage host is closing: ${stage.name} not started`);
      const running = await runStage(stage, {
        transport: this.transport,
        codecs,
        groupId: stageConsumerGroup(config.kafka, stage.name),
        deadLetterTopic: config.pipeline.deadLetterTopic,
        maxBatchSize: stage.maxBatchSize ?? config.kafka.maxPollRecords,
        retry: config.kafka.stageRetry,
        logger: logger.child({ stage: stage.name }),
        onEvent: combineStageHooks(stageMetricsHook(metrics, stage.name), stageLogHook(logger, stage.name), onStageEvent),
      });
      if (this.closing) {
        // close() began while this stage was starting and did not see it: stop it here.
        await running.stop();
        throw new Error(`the stage host is closing: ${stage.name} stopped as it started`);
      }
      this.running.push(running);
    }
  }

  /**
   * Stops the stages newest first, then closes the transport, stops the sweeper and closes the state
   * stores. A step that fails is logged and the next still runs. Idempotent.
   */
  close(): Promise<void> {
    return (this.closing ??= (async () => {
      const steps: Array<[string, () => Promise<void>]> = [
        ...[...this.running].reverse().map((stage): [string, () => Promise<void>] => [`stage ${stage.name}`, () => stage.stop()]),
        ['transport', () => this.transport.close()],
        ['blob sweeper', async () => this.sweeper?.stop()],
        ['state stores', () => closeStateStores(this.stores)],
      ];
      for (const [step, run] of steps) {
        await run().catch((error: unknown) => this.runtime.logger.warn({ step, err: String(error) }, 'shutdown step failed'));
      }
    })());
  }
}
