/**
 * The Kafka transport: the Transport contract over kafkajs, for the per-stage services. The
 * contract was shaped after kafkajs `eachBatch`, so this is a thin adapter; the runner above it
 * decides retries, dead letters and when to commit, exactly as on the in-process transport.
 *
 * What it adds to kafkajs:
 * - one idempotent producer (acks=all, in-flight requests bounded so a retry never reorders);
 * - one consumer per subscription (one consumer group per stage), auto-resolve off: an offset moves
 *   only when the runner resolves it, after the records produced from it were acknowledged;
 * - kafkajs batches split into chunks of `maxBatchSize`, so in-flight work per partition is bounded
 *   (KAFKA_MAX_POLL_RECORDS) whatever the fetch size;
 * - where a new group starts: earliest on internal topics (nothing a stage produced may be skipped),
 *   the configured reset (KAFKA_AUTO_OFFSET_RESET) on the edge topics listed in `latestTopics`;
 * - a bounded graceful stop: pause fetching, let the batch in hand finish (or abandon it after
 *   `shutdownTimeoutMs`, uncommitted, so it is redelivered), commit, leave the group.
 *
 * It must never decode values, never resolve an offset on its own, and never log record contents.
 */
import { Kafka, logLevel, type Consumer, type IHeaders, type KafkaConfig, type LogEntry, type Producer, type SASLOptions } from 'kafkajs';
import type { StageLogger } from './runner-options.js';
import type { BatchControl, Headers, ProducerRecord, RawMessage, SubscribeOptions, Subscription, Transport } from './transport.js';

export interface KafkaSaslOptions {
  mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  username: string;
  password: string;
}

export interface KafkaConsumerSettings {
  /** KAFKA_SESSION_TIMEOUT_MS: a member silent this long is expelled and its partitions move. */
  sessionTimeoutMs: number;
  /** KAFKA_HEARTBEAT_INTERVAL_MS. */
  heartbeatIntervalMs: number;
  /** How long the group waits for members to rejoin in a rebalance (default: the session timeout). */
  rebalanceTimeoutMs?: number;
  /** KAFKA_FETCH_MIN_BYTES and KAFKA_FETCH_MAX_WAIT_MS: the broker long-polls until either is met. */
  minBytes: number;
  maxWaitTimeMs: number;
  /** KAFKA_MAX_PARTITION_FETCH_BYTES. */
  maxBytesPerPartition: number;
}

export interface KafkaTransportOptions {
  clientId: string;
  /** host:port pairs (KAFKA_BOOTSTRAP_SERVERS). */
  brokers: readonly string[];
  /** TLS to the brokers (SSL and SASL_SSL). */
  ssl?: boolean;
  /** SASL credentials (SASL_PLAINTEXT and SASL_SSL; Confluent Cloud uses PLAIN over SSL). */
  sasl?: KafkaSaslOptions;
  connectionTimeoutMs?: number;
  /** KAFKA_REQUEST_TIMEOUT_MS. */
  requestTimeoutMs?: number;
  /** KAFKA_RECONNECT_BACKOFF_MS and KAFKA_RECONNECT_BACKOFF_MAX_MS: the client's own retry backoff. */
  reconnectBackoffMs?: number;
  reconnectBackoffMaxMs?: number;
  consumer: KafkaConsumerSettings;
  /**
   * Topics a group without committed offsets starts reading at their end (KAFKA_AUTO_OFFSET_RESET=latest
   * on the posts.events input). Every other topic starts at the beginning.
   */
  latestTopics?: readonly string[];
  /** Lets the broker create topics on first use (test brokers, dev); production creates them up front. */
  allowAutoTopicCreation?: boolean;
  /** How long stop() waits for the batch in hand before leaving the group anyway. Default 30 s. */
  shutdownTimeoutMs?: number;
  logger?: StageLogger;
  /**
   * After each chunk of a batch: how many records of the partition are still to be read (high
   * watermark minus the next offset), for kafka_consumer_lag; `null` once a rebalance took the
   * partition away (its lag is another member's to report now). Must not throw.
   */
  onLag?: (lag: { groupId: string; topic: string; partition: number; lag: number | null }) => void;
  /** Called when a consumer crashed and kafkajs will not restart it: the process should exit. */
  onFatal?: (error: Error) => void;
}

const DEFAULT_SHUTDOWN_TIMEOUT_MS = 30_000;

export class KafkaTransport implements Transport {
  private readonly kafka: Kafka;
  private producer: Promise<Producer> | null = null;
  private readonly subscriptions = new Set<KafkaSubscription>();
  private producerConnected = false;
  private closed = false;

  constructor(private readonly options: KafkaTransportOptions) {
    const config: KafkaConfig = {
      clientId: options.clientId,
      brokers: [...options.brokers],
      ssl: options.ssl ?? false,
      ...(options.sasl ? { sasl: options.sasl as SASLOptions } : {}),
      ...(options.connectionTimeoutMs !== undefined ? { connectionTimeout: options.connectionTimeoutMs } : {}),
      ...(options.requestTimeoutMs !== undefined ? { requestTimeout: options.requestTimeoutMs } : {}),
      retry: {
        initialRetryTime: options.reconnectBackoffMs ?? 300,
        maxRetryTime: options.reconnectBackoffMaxMs ?? 30_000,
      },
      logLevel: logLevel.INFO,
      logCreator: () => (entry) => logKafkaEntry(options.logger, entry),
    };
    this.kafka = new Kafka(config);
  }

  /** True once the producer is connected and every subscription has joined its group. */
  get connected(): boolean {
    return this.producerConnected && [...this.subscriptions].every((s) => s.joined);
  }

  /** Connects the producer now, so readiness means "can publish" before the first record needs it. */
  async connect(): Promise<void> {
    if (this.closed) throw new Error('KafkaTransport is closed');
    await this.connectProducer();
  }

  async send(records: ProducerRecord[]): Promise<void> {
    if (records.length === 0) return;
    if (this.closed) throw new Error('KafkaTransport is closed');
    const producer = await this.connectProducer();
    const byTopic = new Map<string, ProducerRecord[]>();
    for (const record of records) {
      const list = byTopic.get(record.topic) ?? [];
      list.push(record);
      byTopic.set(record.topic, list);
    }
    // acks=-1: the partition leader answers once every in-sync replica has the records.
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((record) => ({ key: record.key, value: record.value, headers: record.headers ?? {} })),
      })),
    });
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.closed) throw new Error('KafkaTransport is closed');
    const settings = this.options.consumer;
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: settings.sessionTimeoutMs,
      heartbeatInterval: settings.heartbeatIntervalMs,
      rebalanceTimeout: settings.rebalanceTimeoutMs ?? settings.sessionTimeoutMs,
      minBytes: settings.minBytes,
      maxWaitTimeInMs: settings.maxWaitTimeMs,
      maxBytesPerPartition: settings.maxBytesPerPartition,
      allowAutoTopicCreation: this.options.allowAutoTopicCreation ?? false,
    });
    const subscription = new KafkaSubscription(consumer, options, this.options, () => this.subscriptions.delete(subscription));
    this.subscriptions.add(subscription);
    try {
      await subscription.start(new Set(this.options.latestTopics ?? []));
    } catch (error) {
      this.subscriptions.delete(subscription);
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const subscription of [...this.subscriptions]) await subscription.stop();
    const producer = await this.producer?.catch(() => null);
    await producer?.disconnect();
    this.producerConnected = false;
  }

  private connectProducer(): Promise<Producer> {
    this.producer ??= (async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        // With idempotence the broker rejects out-of-order sequences; one request in flight per
        // connection keeps a retried batch from overtaking the next one.
        maxInFlightRequests: 1,
        allowAutoTopicCreation: this.options.allowAutoTopicCreation ?? false,
      });
      producer.on(producer.events.DISCONNECT, () => {
        this.producerConnected = false;
      });
      producer.on(producer.events.CONNECT, () => {
        this.producerConnected = true;
      });
      await producer.connect();
      this.producerConnected = true;
      return producer;
    })();
    // A failed connect is retried by the next send instead of being cached forever.
    this.producer.catch(() => {
      this.producer = null;
    });
    return this.producer;
  }
}

class KafkaSubscription implements Subscription {
  joined = false;
  private stopping: Promise<void> | null = null;
  /** `topic\0partition` of every partition whose lag this member has reported. */
  private readonly lagReported = new Set<string>();

  constructor(
    private readonly consumer: Consumer,
    private readonly options: SubscribeOptions,
    private readonly transport: KafkaTransportOptions,
    private readonly onStopped: () => void,
  ) {}

  async start(latestTopics: ReadonlySet<string>): Promise<void> {
    const { consumer, options } = this;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.joined = true;
      this.forgetRevokedLag(payload.memberAssignment);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.joined = false;
      this.transport.logger?.error(
        { groupId: options.groupId, err: payload.error.message, restart: payload.restart },
        'kafka consumer crashed',
      );
      if (!payload.restart) this.transport.onFatal?.(payload.error);
    });
    await consumer.connect();
    for (const topic of options.topics) {
      // A group with no committed offset: earliest unless this is an edge topic configured to start at its end.
      const fromBeginning = latestTopics.has(topic) ? false : (options.fromBeginning ?? true);
      await consumer.subscribe({ topics: [topic], fromBeginning });
    }
    const maxBatchSize = Math.max(1, options.maxBatchSize ?? Number.MAX_SAFE_INTEGER);
    await consumer.run({
      // Commits happen only for offsets the runner resolved (after its outputs were acknowledged);
      // kafkajs also commits those when a rebalance or an error interrupts a batch.
      autoCommit: true,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
      eachBatch: async (payload) => {
        const { batch } = payload;
        const messages = batch.messages.map(toRawMessage);
        const control: BatchControl = {
          resolveOffset: (offset) => payload.resolveOffset(offset),
          heartbeat: () => payload.heartbeat(),
          // Now, not "when kafkajs' interval says": the runner calls this once outputs are acknowledged.
          commitOffsetsIfNecessary: async () => {
            const pending = payload.uncommittedOffsets();
            if (pending.topics.length > 0) await payload.commitOffsetsIfNecessary(pending);
          },
          isRunning: () => payload.isRunning() && this.stopping === null,
          isStale: () => payload.isStale(),
        };
        for (let start = 0; start < messages.length; start += maxBatchSize) {
          if (!control.isRunning() || control.isStale()) return;
          const chunk = messages.slice(start, start + maxBatchSize);
          await options.eachBatch({ topic: batch.topic, partition: batch.partition, messages: chunk }, control);
          const next = BigInt(chunk[chunk.length - 1]!.offset) + 1n;
          const lag = BigInt(batch.highWatermark) - next;
          this.lagReported.add(`${batch.topic}\u0000${batch.partition}`);
          this.transport.onLag?.({
            groupId: options.groupId,
            topic: batch.topic,
            partition: batch.partition,
            lag: Number(lag > 0n ? lag : 0n),
          });
        }
      },
    });
  }

  /** Partitions this member reported a lag for and no longer owns. */
  private forgetRevokedLag(assignment: Record<string, number[]>): void {
    for (const key of [...this.lagReported]) {
      const [topic, partition] = key.split('\u0000') as [string, string];
      if (assignment[topic]?.includes(Number(partition))) continue;
      this.lagReported.delete(key);
      this.transport.onLag?.({ groupId: this.options.groupId, topic, partition: Number(partition), lag: null });
    }
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const { consumer, options } = this;
      const timeoutMs = this.transport.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
      // No new fetches while the batch in hand finishes.
      try {
        consumer.pause(options.topics.map((topic) => ({ topic })));
      } catch {
        // A consumer that never ran (or crashed) has nothing to pause.
      }
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        consumer.stop().then(() => true),
        new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), timeoutMs);
        }),
      ]).finally(() => clearTimeout(timer));
      if (!finished) {
        // Its offsets were never resolved: the batch is redelivered to whoever takes the partition.
        this.transport.logger?.warn({ groupId: options.groupId, timeoutMs }, 'batch in hand abandoned at shutdown');
      }
      // Leaves the group, so its partitions move now instead of after the session timeout.
      await consumer.disconnect();
      this.joined = false;
      this.onStopped();
    })();
    return this.stopping;
  }
}

function toRawMessage(message: {
  key: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
  offset: string;
  timestamp: string;
}): RawMessage {
  return {
    key: message.key === null ? null : message.key.toString('utf8'),
    // A tombstone (null value) is still a record the runner must see and account for.
    value: message.value ?? Buffer.alloc(0),
    headers: toHeaders(message.headers),
    offset: message.offset,
    timestamp: Number(message.timestamp),
  };
}

/** Kafka header values are bytes and may repeat; ours are UTF-8 strings, the last one wins. */
function toHeaders(headers: IHeaders | undefined): Headers {
  const out: Headers = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) out[name] = Buffer.isBuffer(last) ? last.toString('utf8') : String(last);
  }
  return out;
}

/** kafkajs log lines into the service logger (JSON, one line each), never record contents. */
function logKafkaEntry(logger: StageLogger | undefined, entry: LogEntry): void {
  if (!logger) return;
  // kafkajs repeats the timestamp and its own name in every entry; the service logger has both.
  const { message, timestamp: _timestamp, logger: _logger, ...fields } = entry.log;
  const line = { namespace: entry.namespace, ...fields };
  if (entry.level === logLevel.ERROR) logger.error(line, `kafka: ${message}`);
  else if (entry.level === logLevel.WARN) logger.warn(line, `kafka: ${message}`);
  else if (entry.level === logLevel.INFO) logger.info(line, `kafka: ${message}`);
}
