/**
 * Test Kafka broker: a single-node Kafka speaking the real wire protocol over TCP, for tests that
 * drive real clients (kafkajs, and librdkafka through kcat) in transports and multi-process
 * end-to-end suites. In memory unless given a data folder (then a restart on the same folder resumes
 * its logs and committed offsets), loopback only, test code only: it must never be imported by
 * product code, and it refuses to listen anywhere but 127.0.0.1 / ::1. What it implements and what it
 * leaves out: README.md next to this file.
 */
import type { BrokerState } from './api.js';
import { IMPLEMENTED_APIS } from './apis.js';
import { BrokerDataDir } from './data-dir.js';
import { GroupCoordinator, type GroupSnapshot } from './group-coordinator.js';
import { OffsetStore } from './offsets.js';
import { ProducerRegistry } from './producer-state.js';
import { BrokerServer } from './server.js';
import { TopicStore } from './topics.js';

export interface KafkaTestBrokerOptions {
  /** Loopback only: '127.0.0.1' (default), '::1' or 'localhost'. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Partitions of auto-created topics and of createTopic without a count. Default 3. */
  defaultPartitions?: number;
  /** Create unknown topics when a client asks for their metadata (Kafka's auto.create.topics.enable). Default true. */
  autoCreateTopics?: boolean;
  /** Kafka's group.min.session.timeout.ms; default 100 so tests can use short sessions (Kafka: 6000). */
  minSessionTimeoutMs?: number;
  /** Kafka's group.max.session.timeout.ms; default 300000. */
  maxSessionTimeoutMs?: number;
  /** Kafka's group.initial.rebalance.delay.ms; default 0 (Kafka: 3000) so a lone consumer starts at once. */
  initialRebalanceDelayMs?: number;
  /** Require SASL/PLAIN with these credentials on every connection (kafkajs `sasl: { mechanism: 'plain', … }`). Default: none. */
  sasl?: { username: string; password: string };
  /** Where protocol trouble (malformed requests, unsupported versions) is reported. Default: console.warn. */
  log?: (message: string) => void;
  /**
   * Keep topics, partition logs, committed offsets and producer ids in this folder (created if
   * missing), and start from what is already there: a broker restarted on the same folder (and port)
   * serves the same records at the same offsets, and groups carry on with their last settled
   * generation (as Kafka reloads them from __consumer_offsets). One broker per folder at a time.
   * Default: none, everything in memory.
   */
  dataDir?: string;
}

export interface StoredRecord {
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  /** UTF-8 header values; a repeated key keeps its last value, a null value reads as ''. */
  headers: Record<string, string>;
  timestamp: number;
}

export interface KafkaTestBroker {
  /** 'host:port' to hand to kafkajs as its only broker. */
  readonly bootstrap: string;
  createTopic(name: string, partitions?: number): void;
  /** Records as stored, ordered by partition then offset; [] for a topic that does not exist (yet). */
  records(topic: string): StoredRecord[];
  committedOffset(groupId: string, topic: string, partition: number): string | null;
  /** Current member ids of the group (for rebalance assertions); [] for an unknown group. */
  groupMembers(groupId: string): string[];
  /**
   * Makes a client look like a dead process: closes its connections and drops any new connection at
   * its first request carrying that clientId, so its group sessions expire. readmitClient undoes it.
   */
  isolateClient(clientId: string): void;
  readmitClient(clientId: string): void;
  /** Closes the server and every client connection, stops all group timers. Idempotent. */
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);
const NODE_ID = 0;

export async function startKafkaTestBroker(options: KafkaTestBrokerOptions = {}): Promise<KafkaTestBroker> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) throw new Error(`the Kafka test broker listens on loopback only, not on ${host}`);
  const defaultPartitions = options.defaultPartitions ?? 3;
  if (!Number.isInteger(defaultPartitions) || defaultPartitions < 1) throw new Error(`defaultPartitions must be a positive integer`);
  const log = options.log ?? ((message: string) => console.warn(`[kafka-test-broker] ${message}`));

  const opened = options.dataDir === undefined ? null : BrokerDataDir.open(options.dataDir, log);
  const dataDir = opened?.dataDir ?? null;
  const advertised = { host, port: 0 };
  const state: BrokerState = {
    nodeId: NODE_ID,
    clusterId: 'kafka-test-broker',
    advertised,
    topics: new TopicStore(defaultPartitions, options.autoCreateTopics ?? true, dataDir),
    groups: new GroupCoordinator({
      minSessionTimeoutMs: options.minSessionTimeoutMs ?? 100,
      maxSessionTimeoutMs: options.maxSessionTimeoutMs ?? 300_000,
      initialRebalanceDelayMs: options.initialRebalanceDelayMs ?? 0,
      ...(dataDir ? { persist: (snapshot: GroupSnapshot) => dataDir.groupSettled(snapshot) } : {}),
    }),
    offsets: new OffsetStore(dataDir && ((...commit) => dataDir.offsetCommitted(...commit))),
    producers: new ProducerRegistry(opened?.restored.nextProducerId, dataDir && ((next) => dataDir.producerIdsAllocated(next))),
    apis: IMPLEMENTED_APIS,
    sasl: options.sasl ?? null,
  };
  for (const topic of opened?.restored.topics ?? []) {
    state.topics.restore(topic);
    for (const log of state.topics.partitions(topic.name)!) state.producers.restore(log);
  }
  for (const { groupId, topic, partition, committed } of opened?.restored.offsets ?? []) {
    state.offsets.restore(groupId, topic, partition, committed);
  }
  for (const group of opened?.restored.groups ?? []) state.groups.restore(group);
  const server = new BrokerServer(state, { log });
  let address;
  try {
    address = await server.listen(host, options.port ?? 0);
  } catch (error) {
    dataDir?.close();
    throw error;
  }
  advertised.port = address.port;
  let closing: Promise<void> | undefined;

  return {
    bootstrap: `${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    createTopic(name, partitions) {
      const errorCode = state.topics.create(name, partitions ?? -1);
      if (errorCode !== 0) throw new Error(`cannot create topic ${name} (Kafka error code ${errorCode})`);
    },
    records(topic) {
      const partitions = state.topics.partitions(topic) ?? [];
      return partitions.flatMap((log, partition) =>
        log.records().map((r) => ({
          partition,
          offset: String(r.offset),
          key: r.key,
          value: r.value,
          headers: Object.fromEntries(r.headers.map((h) => [h.key, h.value?.toString('utf8') ?? ''])),
          timestamp: r.timestamp,
        })),
      );
    },
    committedOffset(groupId, topic, partition) {
      const committed = state.offsets.get(groupId, topic, partition);
      return committed === undefined ? null : committed.offset.toString();
    },
    groupMembers: (groupId) => state.groups.memberIds(groupId),
    isolateClient: (clientId) => server.isolate(clientId),
    readmitClient: (clientId) => server.readmit(clientId),
    close() {
      closing ??= (async () => {
        state.groups.close();
        await server.close();
        dataDir?.close();
      })();
      return closing;
    },
  };
}
