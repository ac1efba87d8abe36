/**
 * Test-only: the Kafka cluster and schema registry the end-to-end suite runs against. By default the
 * stand-ins — the Kafka wire-protocol test broker and the registry HTTP server, both in this test
 * process on 127.0.0.1. With KAFKA_BOOTSTRAP_SERVERS and SCHEMA_REGISTRY_URL set (plus
 * SCHEMA_REGISTRY_USERNAME/PASSWORD and the KAFKA_SASL_* variables where needed) the same suite runs
 * against real ones instead; topic names are then unique per run so old records are never read.
 * The stand-in broker keeps its logs, offsets and groups in a temporary folder, so a test can restart
 * it the way a broker pod restarts. The test talks to the cluster only as the platform would: kafkajs
 * producers and consumers.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, type Consumer, type KafkaConfig, type Producer } from 'kafkajs';
import { TOPICS } from '@media-ai/contracts';
import { startSchemaRegistryServer, type SchemaRegistryServer } from '@media-ai/contracts/test-support';
import { startKafkaTestBroker, type KafkaTestBroker } from '@media-ai/stream/test-support';

/** A record as the test reads it back from a topic. */
export interface ReadRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
  /** The record's timestamp (epoch ms): when its producer sent it. */
  timestamp: number;
}

/** Where a consumer group stands on one partition. */
export interface PartitionPosition {
  topic: string;
  partition: number;
  /** The group's committed offset (the next record it will read); 0 when it has committed nothing. */
  committed: number;
  /** The partition's log end offset. */
  end: number;
}

export interface TestCluster {
  /** Whether this is the stand-in pair (the test may then inspect broker state). */
  readonly standIn: boolean;
  /** The stand-in registry (a test may make it fail for a while); null on a real cluster. */
  readonly registry: SchemaRegistryServer | null;
  /** The variables every stage process gets to reach the cluster and the registry. */
  readonly env: Record<string, string>;
  /** Topic names this run uses (unique per run on a real cluster). */
  readonly topics: { postsEvents: string; enrichment: string; deadLetter: string };
  readonly partitions: number;
  produce(topic: string, records: Array<{ key: string | null; value: Buffer; headers?: Record<string, string> }>): Promise<void>;
  /** Starts collecting every record of the topic from its beginning. */
  collect(topic: string): Promise<ReadRecord[]>;
  /**
   * Stand-in only: stops the broker and starts it again on the same port and data folder, as a
   * restarted broker pod; clients see their connections drop and reconnect. Throws on a real cluster.
   */
  restartBroker(): Promise<void>;
  /** Where the group stands on every partition of the topics (lag = end - committed), from the broker's offsets. */
  positions(groupId: string, topics: readonly string[]): Promise<PartitionPosition[]>;
  /** The group's state as the coordinator reports it: 'Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'. */
  groupState(groupId: string): Promise<string>;
  close(): Promise<void>;
}

/** The internal topics are fixed names; only the edges are configurable. */
const INTERNAL_TOPICS = [TOPICS.posts, TOPICS.photos, TOPICS.detections, TOPICS.texts, TOPICS.descriptions, TOPICS.reviews];

export async function startTestCluster(partitions = 3): Promise<TestCluster> {
  const real = process.env['KAFKA_BOOTSTRAP_SERVERS'] && process.env['SCHEMA_REGISTRY_URL'];
  const closers: Array<() => Promise<void>> = [];
  let bootstrap: string;
  let registryEnv: Record<string, string>;
  let kafkaEnv: Record<string, string> = {};
  let clientConfig: Partial<KafkaConfig> = {};
  let registryStandIn: SchemaRegistryServer | null = null;
  let restartBroker: () => Promise<void> = async () => {
    throw new Error('a real cluster cannot be restarted from here');
  };
  if (real) {
    bootstrap = process.env['KAFKA_BOOTSTRAP_SERVERS']!;
    registryEnv = pick(['SCHEMA_REGISTRY_URL', 'SCHEMA_REGISTRY_USERNAME', 'SCHEMA_REGISTRY_PASSWORD']);
    kafkaEnv = pick(['KAFKA_SECURITY_PROTOCOL', 'KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD']);
    const protocol = kafkaEnv['KAFKA_SECURITY_PROTOCOL'] ?? 'PLAINTEXT';
    clientConfig = {
      ssl: protocol.endsWith('SSL'),
      ...(protocol.startsWith('SASL_')
        ? { sasl: { mechanism: 'plain', username: kafkaEnv['KAFKA_SASL_USERNAME'] ?? '', password: kafkaEnv['KAFKA_SASL_PASSWORD'] ?? '' } }
        : {}),
    };
  } else {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'media-ai-e2e-kafka-'));
    closers.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    let broker: KafkaTestBroker = await startKafkaTestBroker({ defaultPartitions: partitions, dataDir });
    closers.push(() => broker.close());
    const port = Number(broker.bootstrap.split(':')[1]);
    restartBroker = async () => {
      await broker.close();
      broker = await startKafkaTestBroker({ defaultPartitions: partitions, dataDir, port });
    };
    const registry = await startSchemaRegistryServer();
    registryStandIn = registry;
    closers.push(() => registry.close());
    bootstrap = broker.bootstrap;
    registryEnv = { SCHEMA_REGISTRY_URL: registry.url };
  }

  const run = real ? `e2e-${randomUUID().slice(0, 8)}.` : '';
  const topics = {
    postsEvents: `${run}${TOPICS.postsEvents}`,
    enrichment: `${run}${TOPICS.enrichment}`,
    deadLetter: `${run}${TOPICS.deadLetter}`,
  };
  const kafka = new Kafka({ clientId: 'media-ai-e2e', brokers: bootstrap.split(','), logLevel: logLevel.NOTHING, ...clientConfig });
  const admin = kafka.admin();
  await admin.connect();
  closers.push(() => admin.disconnect());
  const existing = new Set(await admin.listTopics());
  const wanted = [...INTERNAL_TOPICS, topics.postsEvents, topics.enrichment, topics.deadLetter].filter((t) => !existing.has(t));
  // Created up front, as a deployment does: the stages never create topics.
  if (wanted.length > 0)
    await admin.createTopics({ topics: wanted.map((topic) => ({ topic, numPartitions: partitions })), waitForLeaders: true });

  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  closers.push(() => producer.disconnect());
  const consumers: Consumer[] = [];
  closers.push(async () => {
    for (const consumer of consumers) await consumer.disconnect();
  });

  return {
    standIn: !real,
    registry: registryStandIn,
    env: {
      MEDIA_AI_TRANSPORT: 'kafka',
      KAFKA_BOOTSTRAP_SERVERS: bootstrap,
      ...kafkaEnv,
      ...registryEnv,
      KAFKA_CONSUMER_TOPICS: topics.postsEvents,
      KAFKA_POST_ENHANCED_TOPIC: topics.enrichment,
      MEDIA_AI_DLQ_TOPIC: topics.deadLetter,
      MEDIA_AI_PARTITIONS: String(partitions),
    },
    topics,
    partitions,
    async produce(topic, records) {
      await producer.send({ topic, acks: -1, messages: records.map((r) => ({ key: r.key, value: r.value, headers: r.headers ?? {} })) });
    },
    async collect(topic) {
      const records: ReadRecord[] = [];
      const consumer = kafka.consumer({
        groupId: `media-ai-e2e-reader-${randomUUID()}`,
        sessionTimeout: 10_000,
        heartbeatInterval: 1_000,
        maxWaitTimeInMs: 200,
      });
      consumers.push(consumer);
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ topic: from, partition, message }) => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(message.headers ?? {})) if (value !== undefined) headers[name] = String(value);
          records.push({
            topic: from,
            partition,
            offset: message.offset,
            key: message.key?.toString('utf8') ?? null,
            value: message.value ?? Buffer.alloc(0),
            headers,
            timestamp: Number(message.timestamp),
          });
        },
      });
      return records;
    },
    restartBroker: () => restartBroker(),
    async positions(groupId, wantedTopics) {
      const positions: PartitionPosition[] = [];
      const committed = await admin.fetchOffsets({ groupId, topics: [...wantedTopics] });
      for (const topic of wantedTopics) {
        const ends = await admin.fetchTopicOffsets(topic);
        const own = committed.find((c) => c.topic === topic)?.partitions ?? [];
        for (const end of ends) {
          const offset = Number(own.find((p) => p.partition === end.partition)?.offset ?? -1);
          positions.push({ topic, partition: end.partition, committed: Math.max(0, offset), end: Number(end.high) });
        }
      }
      return positions;
    },
    async groupState(groupId) {
      const { groups } = await admin.describeGroups([groupId]);
      return groups[0]?.state ?? 'Dead';
    },
    async close() {
      for (const close of closers.reverse()) await close().catch(() => undefined);
    },
  };
}

function pick(names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = process.env[name];
    if (value) out[name] = value;
  }
  return out;
}
