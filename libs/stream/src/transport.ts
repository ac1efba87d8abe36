/**
 * The transport contract: bytes in, bytes out, offsets committed by the caller's say-so.
 * Shaped after kafkajs `eachBatch` so the Kafka transport is a thin adapter; the in-process
 * transport implements the same semantics (partitions by key, consumer groups, commits).
 * A transport never decodes values and never decides retries: that is the runner's job.
 */

export type Headers = Record<string, string>;

export interface ProducerRecord {
  topic: string;
  /**
   * Post id: chooses the partition (murmur2, like Kafka's default partitioner). Null only when
   * republishing a record that had no key (a dead-letter copy of a keyless input): it then goes
   * round-robin, as in Kafka.
   */
  key: string | null;
  value: Buffer;
  headers?: Headers;
}

export interface RawMessage {
  key: string | null;
  value: Buffer;
  headers: Headers;
  /** Kafka offsets are strings (int64). */
  offset: string;
  /** Epoch ms when the record was appended. */
  timestamp: number;
}

export interface RawBatch {
  topic: string;
  partition: number;
  messages: RawMessage[];
}

/** What an eachBatch handler may do while it works (the kafkajs eachBatch payload, minus the batch). */
export interface BatchControl {
  /** Marks everything up to and including this offset as processed. */
  resolveOffset(offset: string): void;
  /** Keeps group membership alive during long batches. */
  heartbeat(): Promise<void>;
  /** Commits resolved offsets now. */
  commitOffsetsIfNecessary(): Promise<void>;
  /** False once the consumer is stopping: finish quickly. */
  isRunning(): boolean;
  /** True when a rebalance took the partition away: drop the rest of the batch. */
  isStale(): boolean;
}

export interface SubscribeOptions {
  groupId: string;
  topics: string[];
  /** Start at the earliest offset when the group has no committed offset (default true). */
  fromBeginning?: boolean;
  /** Upper bound on messages handed to one eachBatch call. */
  maxBatchSize?: number;
  /**
   * How many partitions may have a batch in flight at once (kafkajs `partitionsConsumedConcurrently`,
   * default 1). Each partition still gets one batch at a time, in order.
   */
  partitionsConsumedConcurrently?: number;
  eachBatch(batch: RawBatch, control: BatchControl): Promise<void>;
}

export interface Subscription {
  /** Stops fetching, waits for the batch in hand, commits and leaves the group. Idempotent. */
  stop(): Promise<void>;
}

export interface Transport {
  /** Resolves once every record is acknowledged (acks=all in Kafka); rejects if any is not. */
  send(records: ProducerRecord[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** Idempotent. */
  close(): Promise<void>;
}
