/**
 * The host of one stage deployed as its own service (fetcher, detector, ocr, llm or aggregator):
 * what each service's main.ts runs. In order: configuration, logger and metrics; the HTTP server
 * (liveness answers while models load); blob storage and state stores (stage-host.ts); the schema
 * ids of the internal topics, looked up in the registry (registered by `media-ai schemas register`
 * at deploy time, never by a pod); the Kafka transport; the stage, built by the service; the runner,
 * with one consumer group per stage (stage-host.ts). SIGTERM or SIGINT then stop it in the stage
 * host's shutdown order, the HTTP server last, and exit 0.
 *
 * A stage that cannot do its job here (a detector with no model) stops the process with the reason
 * instead of consuming records it would only fail: the deployment shows it crash-looping, and the
 * aggregator's deadline publishes the posts without it meanwhile.
 *
 * /health/detailed reports every dependency with its latency (see stage-health.ts).
 */
import { ConfluentSchemaRegistryClient, resolveSchemaIds } from '@media-ai/contracts';
import { describeConfig, type AppConfig } from '@media-ai/config';
import { HealthRegistry } from '@media-ai/http';
import type { ForgettableResultCache, JoinStore } from '@media-ai/state';
import type { BlobStore } from '@media-ai/storage';
import type { Stage } from '@media-ai/stream';
import type { Logger, MediaAiMetrics } from '@media-ai/telemetry';
import { identifierKeyAtStartup } from './identifier-key.js';
import type { CapabilityStatus } from './capability.js';
import { kafkaTransportOptions } from './kafka-options.js';
import {
  addBlobStoreCheck,
  addKafkaChecks,
  addMalwareScannerChecks,
  addRedisChecks,
  addSchemaRegistryCheck,
  addStageCheck,
  type MalwareScannerProbe,
} from './stage-health.js';
import { createRuntime, reportStartupError, type Runtime } from './process-runtime.js';
import { createServiceHttpServer } from './service-http.js';
import { StageHost, stageCodecs, stageConsumerGroup } from './stage-host.js';

/** What a service gets to build its stage with. */
export interface StageServiceContext {
  config: AppConfig;
  logger: Logger;
  metrics: MediaAiMetrics;
  blobs: BlobStore;
  /** Forgettable: the aggregator drops a forgotten post's cached results through it. */
  cache: ForgettableResultCache;
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
  /** The fetcher's clamd scanner when SCAN_FOR_MALWARE is on: readiness and health then include it. */
  malwareScanner?: MalwareScannerProbe | null;
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
  const app = await createServiceHttpServer(runtime, {
    service: `${config.app.name}-${definition.name}`,
    health,
    configDescription: describeConfig(config),
  });
  await app.listen({ host: config.server.host, port: config.server.port });

  let host: StageHost | undefined;
  try {
    // kafkajs loads with the first stage service, not with this module: the embedded pipeline imports
    // @media-ai/runtime too and never talks to Kafka.
    const { KafkaTransport } = await import('@media-ai/stream/transports');
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
    host = StageHost.open(runtime, transport);
    const { blobs, stores } = host;
    addBlobStoreCheck(health, blobs);
    addRedisChecks(health, stores.connections?.state, definition.usesJoinState ?? false);

    const registry = new ConfluentSchemaRegistryClient(registrySettings);
    const schemaIds = await resolveSchemaIds(registry);
    addSchemaRegistryCheck(health, registry, schemaIds);
    const codecs = stageCodecs(config, { registry, schemaIds });

    await transport.connect();
    addKafkaChecks(health, transport, {
      brokers: config.kafka.bootstrapServers,
      group: stageConsumerGroup(config.kafka, definition.name),
    });

    const built = await definition.build({ config, logger, metrics, blobs, cache: stores.cache, joinStore: stores.joinStore });
    if (!built.stage) throw new Error(`${definition.name} cannot run here: ${built.status?.reason ?? 'switched off'}`);
    const status = { reason: built.status?.reason ?? null, versions: built.status?.versions ?? {} };
    addStageCheck(health, definition.name, status);
    if (built.malwareScanner) addMalwareScannerChecks(health, built.malwareScanner);

    await host.run([built.stage], { codecs });
    started.setReady();
    logger.info(
      { stage: built.stage.name, versions: status.versions, port: config.server.port, brokers: config.kafka.bootstrapServers },
      `${definition.name} service started`,
    );
  } catch (error) {
    await host?.close();
    await app.close();
    throw error;
  }
  const running = host;

  let stopping: Promise<void> | null = null;
  return {
    runtime,
    stop: () =>
      (stopping ??= (async () => {
        started.setNotReady('shutting down');
        await running.close();
        // Last: liveness and metrics answer until the stages are down.
        await app.close().catch((error: unknown) => logger.warn({ step: 'http server', err: String(error) }, 'shutdown step failed'));
        logger.info({ stage: definition.name }, `${definition.name} service stopped`);
      })()),
  };
}
