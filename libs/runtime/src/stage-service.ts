/**
 * The host of one stage deployed as its own service (fetcher, detector, ocr, llm or aggregator):
 * what each service's main.ts runs. In order: configuration, logger and metrics; the HTTP server
 * (liveness answers while models load); blob storage and state stores; the schema ids of the
 * internal topics, looked up in the registry (registered by `media-ai schemas register` at deploy
 * time, never by a pod); the Kafka transport; the stage, built by the service; the runner, with
 * one consumer group per stage. SIGTERM or SIGINT then stop it in reverse within a bound and exit 0.
 *
 * A stage that cannot do its job here (a detector with no model) stops the process with the reason
 * instead of consuming records it would only fail: the deployment shows it crash-looping, and the
 * aggregator's deadline publishes the posts without it meanwhile.
 *
 * /health/detailed reports every dependency with its latency (see stage-health.ts).
 */
import { ConfluentSchemaRegistryClient, createCodecs, resolveSchemaIds } from '@media-ai/contracts';
import { describeConfig, type AppConfig } from '@media-ai/config';
import { createHttpServer, HealthRegistry } from '@media-ai/http';
import type { JoinStore, ResultCache } from '@media-ai/state';
import type { BlobStore } from '@media-ai/storage';
import { runStage, type RunningStage, type Stage } from '@media-ai/stream';
import { KafkaTransport } from '@media-ai/stream/transports';
import type { Logger, MediaAiMetrics } from '@media-ai/telemetry';
import { buildBlobStorage } from './blob-storage.js';
import { identifierKeyAtStartup } from './identifier-key.js';
import type { CapabilityStatus } from './capability.js';
import { kafkaTransportOptions } from './kafka-options.js';
import { addBlobStoreCheck, addKafkaChecks, addRedisChecks, addSchemaRegistryCheck, addStageCheck } from './stage-health.js';
import { createRuntime, reportStartupError, type Runtime } from './process-runtime.js';
import { combineStageHooks } from './stage-events.js';
import { stageLogHook } from './stage-logs.js';
import { stageMetricsHook } from './stage-metrics.js';
import { buildStateStores, closeStateStores } from './state-stores.js';

/** What a service gets to build its stage with. */
export interface StageServiceContext {
  config: AppConfig;
  logger: Logger;
  metrics: MediaAiMetrics;
  blobs: BlobStore;
  cache: ResultCache;
  joinStore: JoinStore;
}

export interface StageServiceDefinition {
  /** The stage's name: its consumer group is `<KAFKA_CONSUMER_GROUP_ID>.<name>`. */
  name: string;
  /** Whether the stage keeps join state (the aggregator): its readiness then needs Redis. */
  usesJoinState?: boolean;
  /**
   * Whether the stage hashes identifiers (fetcher, ocr): it then needs MEDIA_AI_IDENTIFIER_KEY outside
   * development, checked before anything starts. The other stages never see the key.
   */
  hashesIdentifiers?: boolean;
  build(context: StageServiceContext): Promise<BuiltStage> | BuiltStage;
}

/** The stage, or null with the reason it cannot run; an analysis stage's BuiltCapability fits. */
export interface BuiltStage {
  stage: Stage | null;
  status?: Pick<CapabilityStatus, 'reason' | 'versions'>;
}

export interface StageServiceOptions {
  env?: Record<string, string | undefined>;
  /** Lets the broker create topics on first use: test brokers and dev clusters only. */
  allowAutoTopicCreation?: boolean;
}

/** A started service: stop() is what SIGTERM does. */
export interface StageService {
  readonly runtime: Runtime;
  /** Not ready, consumer stopped (the batch in hand finished or abandoned), connections closed. Idempotent. */
  stop(): Promise<void>;
}

/** Runs the service until SIGTERM/SIGINT; resolves with the process exit code. */
export async function runStageService(definition: StageServiceDefinition, options: StageServiceOptions = {}): Promise<number> {
  let service: StageService;
  let fatal: (error: Error) => void = () => undefined;
  const failed = new Promise<number>((resolve) => {
    fatal = (error) => {
      process.stderr.write(`media-ai ${definition.name}: ${error.message}\n`);
      resolve(1);
    };
  });
  try {
    service = await startStageService(definition, { ...options, onFatal: (error) => fatal(error) });
  } catch (error) {
    return reportStartupError(error);
  }
  const signalled = new Promise<number>((resolve) => {
    const shutdown = (signal: string) => {
      service.runtime.logger.info({ signal }, 'shutting down');
      resolve(0);
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
  const code = await Promise.race([signalled, failed]);
  await service.stop();
  return code;
}

export async function startStageService(
  definition: StageServiceDefinition,
  options: StageServiceOptions & { onFatal?: (error: Error) => void } = {},
): Promise<StageService> {
  const runtime = createRuntime(options.env ? { env: options.env } : {});
  const { config, logger, metrics } = runtime;
  if (config.kafka.transport !== 'kafka') {
    throw new Error(
      `the ${definition.name} service runs over Kafka: set MEDIA_AI_TRANSPORT=kafka (or run every stage in one process with \`media-ai serve\`)`,
    );
  }
  if (definition.usesJoinState && !config.redis.url && config.app.environment === 'production') {
    // Memory join state would lose every open join on a restart and cannot follow a rebalance.
    throw new Error(`the ${definition.name} service keeps join state in Redis in production: set REDIS_URL`);
  }
  if (definition.hashesIdentifiers) identifierKeyAtStartup(config, logger);
  const registrySettings = config.kafka.schemaRegistry!;

  const health = new HealthRegistry();
  const started = health.readinessFlag('stage', 'starting: models loading, transport connecting');
  const app = await createHttpServer({
    service: `${config.app.name}-${definition.name}`,
    version: config.app.version,
    logger,
    metrics: metrics.registry,
    health,
    configDescription: describeConfig(config),
  });
  await app.listen({ host: config.server.host, port: config.server.port });

  const cleanups: Array<() => Promise<void>> = [() => app.close()];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => logger.warn({ err: String(error) }, 'shutdown step failed'));
    }
  };
  try {
    const { blobs, sweeper } = buildBlobStorage(config, logger);
    if (sweeper) cleanups.push(() => sweeper.stop());
    addBlobStoreCheck(health, blobs);
    const { joinStore, cache, redis } = buildStateStores(config, logger, metrics);
    addRedisChecks(health, redis[0], definition.usesJoinState ?? false);
    cleanups.push(() => closeStateStores(redis));

    const registry = new ConfluentSchemaRegistryClient(registrySettings);
    const schemaIds = await resolveSchemaIds(registry);
    addSchemaRegistryCheck(health, registry, schemaIds);
    const codecs = createCodecs({
      registry,
      schemaIds,
      enrichmentTopic: config.kafka.postEnhancedTopic,
      deadLetterTopic: config.pipeline.deadLetterTopic,
      postsEventsTopics: config.kafka.consumerTopics,
    });

    const transport = new KafkaTransport(
      kafkaTransportOptions(config.kafka, {
        clientId: `${config.app.name}.${definition.name}`,
        logger,
        allowAutoTopicCreation: options.allowAutoTopicCreation,
        onFatal: options.onFatal,
        onLag: ({ groupId, topic, partition, lag }) => {
          const labels = { group: groupId, topic, partition: String(partition) };
          // A partition a rebalance took away is another member's to report: drop its series here.
          if (lag === null) metrics.kafkaConsumerLag.remove(labels);
          else metrics.kafkaConsumerLag.set(labels, lag);
        },
      }),
    );
    cleanups.push(() => transport.close());
    await transport.connect();
    addKafkaChecks(health, transport, {
      brokers: config.kafka.bootstrapServers,
      group: `${config.kafka.consumerGroupId}.${definition.name}`,
    });

    const built = await definition.build({ config, logger, metrics, blobs, cache, joinStore });
    if (!built.stage) throw new Error(`${definition.name} cannot run here: ${built.status?.reason ?? 'switched off'}`);
    const stage = built.stage;
    const status = { reason: built.status?.reason ?? null, versions: built.status?.versions ?? {} };
    addStageCheck(health, definition.name, status);

    const running: RunningStage = await runStage(stage, {
      transport,
      codecs,
      groupId: `${config.kafka.consumerGroupId}.${stage.name}`,
      deadLetterTopic: config.pipeline.deadLetterTopic,
      maxBatchSize: stage.maxBatchSize ?? config.kafka.maxPollRecords,
      retry: { maxAttempts: 3, initialDelayMs: config.kafka.retryBackoffMs, maxDelayMs: 10_000 },
      logger: logger.child({ stage: stage.name }),
      onEvent: combineStageHooks(stageMetricsHook(metrics, stage.name), stageLogHook(logger, stage.name)),
    });
    // Stopped before the transport closes: the runner finishes its batch and commits through it.
    cleanups.push(() => running.stop());
    started.setReady();
    logger.info(
      { stage: stage.name, versions: status.versions, port: config.server.port, brokers: config.kafka.bootstrapServers },
      `${definition.name} service started`,
    );
  } catch (error) {
    await cleanUp();
    throw error;
  }

  let stopping: Promise<void> | null = null;
  return {
    runtime,
    stop: () =>
      (stopping ??= (async () => {
        started.setNotReady('shutting down');
        await cleanUp();
        logger.info({ stage: definition.name }, `${definition.name} service stopped`);
      })()),
  };
}
