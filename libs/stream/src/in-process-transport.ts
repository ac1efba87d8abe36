/**
 * The in-process transport: Kafka semantics inside one process, for the embedded pipeline and
 * for tests. Topics are created on first use with one shared partition count (which is what keeps
 * the aggregator's join co-partitioned), keys are placed by Kafka's default partitioner, each
 * partition is an append-only log, and consumer groups commit offsets per partition.
 *
 * Delivery is at-least-once, like kafkajs `eachBatch`: one batch at a time per partition, in
 * offset order; offsets the handler resolved are committed when it returns (or throws); anything
 * unresolved is delivered again, after a backoff when the handler failed.
 *
 * Limits, on purpose: one member per consumer group (there is no one to rebalance with, so a
 * second subscription of an active group is refused), no rebalances (isStale() is always false),
 * no transactions. It must never decode values, never retry on a handler's behalf beyond
 * redelivery, and never commit an offset the handler did not resolve.
 */
import { backoffDelayMs, type BackoffPolicy } from '@media-ai/retry';
import { PartitionLog } from './partition-log.js';
import { partitionForKey, toPositive } from './partitioner.js';
import type { BatchControl, Headers, ProducerRecord, RawMessage, SubscribeOptions, Subscription, Transport } from './transport.js';

export interface InProcessTransportOptions {
  /** Partitions of every topic (default 6, all topics alike, so keyed joins stay co-partitioned). */
  partitions?: number;
  /** Messages per batch when the subscriber does not say (default 100). */
  maxBatchSize?: number;
  /** Wait before redelivering a batch whose handler failed; doubles per consecutive failure. */
  redeliveryBackoff?: BackoffPolicy;
  /**
   * 'all' keeps every record (default; tests read topics back). 'committed' drops records every
   * group that ever subscribed to the topic has committed; topics no group reads are kept whole.
   */
  retention?: 'all' | 'committed';
  /** Clock for record timestamps. */
  now?: () => number;
}

/** A stored record with where it lives, as `readAll` returns it. */
export interface TopicRecord extends RawMessage {
  topic: string;
  partition: number;
}

const DEFAULT_PARTITIONS = 6;
const DEFAULT_MAX_BATCH_SIZE = 100;
const DEFAULT_REDELIVERY_BACKOFF: BackoffPolicy = { initialDelayMs: 100, maxDelayMs: 5_000 };

class Topic {
  readonly logs: PartitionLog[];
  private sequence = 0;
  /** Kafka starts keyless round-robin at a random point per producer; any start is equally valid. */
  private roundRobin = Math.floor(Math.random() * 0x7fffffff);

  constructor(
    readonly name: string,
    partitions: number,
  ) {
    this.logs = Array.from({ length: partitions }, () => new PartitionLog());
  }

  partitionOf(key: string | null): number {
    if (key === null) return toPositive(this.roundRobin++) % this.logs.length;
    return partitionForKey(key, this.logs.length);
  }

  append(record: ProducerRecord, timestamp: number): number {
    const partition = this.partitionOf(record.key);
    // Copies, so a producer reusing its objects cannot rewrite history.
    this.logs[partition]!.append({
      key: record.key,
      value: Buffer.from(record.value),
      headers: { ...(record.headers ?? {}) },
      timestamp,
      sequence: this.sequence++,
    });
    return partition;
  }
}

/** Committed offsets of one group: per topic, per partition, the next offset to read. */
class ConsumerGroup {
  readonly committed = new Map<string, number[]>();
  member: InProcessSubscription | null = null;

  constructor(readonly id: string) {}
}

export class InProcessTransport implements Transport {
  readonly partitions: number;
  private readonly topics = new Map<string, Topic>();
  private readonly groups = new Map<string, ConsumerGroup>();
  private readonly subscriptions = new Set<InProcessSubscription>();
  private idleWaiters: Array<() => void> = [];
  private closing: Promise<void> | null = null;
  private closed = false;
  private readonly options: Required<Omit<InProcessTransportOptions, 'partitions'>>;

  constructor(options: InProcessTransportOptions = {}) {
    const partitions = options.partitions ?? DEFAULT_PARTITIONS;
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
    }
    this.partitions = partitions;
    this.options = {
      maxBatchSize: options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE,
      redeliveryBackoff: options.redeliveryBackoff ?? DEFAULT_REDELIVERY_BACKOFF,
      retention: options.retention ?? 'all',
      now: options.now ?? Date.now,
    };
  }

  /** Appends every record, all in the same tick (a send is never half applied), then resolves. */
  async send(records: ProducerRecord[]): Promise<void> {
    // Refused only once closed: while closing, the batches in hand must still be able to publish.
    if (this.closed) throw new Error('InProcessTransport is closed');
    for (const record of records) {
      if (typeof record.topic !== 'string' || record.topic === '') throw new Error('A record needs a topic');
      if (!Buffer.isBuffer(record.value)) throw new Error(`A record for ${record.topic} needs a Buffer value`);
    }
    const now = this.options.now();
    const touched = new Set<string>();
    for (const record of records) {
      this.topic(record.topic).append(record, now);
      touched.add(record.topic);
    }
    for (const subscription of this.subscriptions) {
      if (subscription.topics.some((t) => touched.has(t))) subscription.pump();
    }
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.closing) throw new Error('InProcessTransport is closed');
    if (options.topics.length === 0) throw new Error(`Group ${options.groupId} subscribes to no topic`);
    const maxBatchSize = options.maxBatchSize ?? this.options.maxBatchSize;
    const concurrency = options.partitionsConsumedConcurrently ?? 1;
    for (const [name, value] of [
      ['maxBatchSize', maxBatchSize],
      ['partitionsConsumedConcurrently', concurrency],
    ] as const) {
      // Zero would make every batch empty and spin the delivery loop.
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
    const group = this.group(options.groupId);
    if (group.member) {
      // Kafka would split the partitions between members; in one process a second member would
      // only double the work, so it is a wiring mistake.
      throw new Error(`Group ${options.groupId} already has a member: the in-process transport allows one per group`);
    }
    const fromBeginning = options.fromBeginning ?? true;
    for (const name of options.topics) {
      const topic = this.topic(name);
      if (!group.committed.has(name)) {
        // Like auto.offset.reset: only applies where the group has no committed offset yet.
        group.committed.set(
          name,
          topic.logs.map((log) => (fromBeginning ? log.startOffset : log.endOffset)),
        );
      }
    }
    const host: SubscriptionHost = {
      partitions: this.partitions,
      log: (topic, partition) => this.topic(topic).logs[partition]!,
      committed: (topic, partition) => group.committed.get(topic)![partition]!,
      commit: (topic, partition, nextOffset) => this.commit(group, topic, partition, nextOffset),
      batchEnded: () => this.checkIdle(),
      left: (member) => {
        if (group.member === member) group.member = null;
        this.subscriptions.delete(member);
        this.checkIdle();
      },
    };
    const subscription = new InProcessSubscription(host, options, {
      maxBatchSize,
      concurrency,
      redeliveryBackoff: this.options.redeliveryBackoff,
    });
    group.member = subscription;
    this.subscriptions.add(subscription);
    subscription.pump();
    return subscription;
  }

  /** Stops every subscription (each waits for its batch in hand). Idempotent. */
  close(): Promise<void> {
    this.closing ??= Promise.all([...this.subscriptions].map((s) => s.stop())).then(() => {
      this.closed = true;
    });
    return this.closing;
  }

  /**
   * Resolves once every active subscription has committed every record of its topics and no
   * batch is in flight. Because a handler's downstream send happens inside its batch, and the
   * downstream records are then uncommitted for their own subscribers, a chain of stages is only
   * idle once the last record has travelled all the way. Stage timers are outside its view, and a
   * record whose handler keeps failing keeps it pending (it is redelivered, not consumed).
   */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Every retained record of a topic, in the order they were sent (for tests and tools). */
  readAll(topicName: string): TopicRecord[] {
    const topic = this.topics.get(topicName);
    if (!topic) return [];
    const records = topic.logs.flatMap((log, partition) =>
      log.all().map((r) => ({ record: { topic: topicName, partition, ...toRawMessage(r) }, sequence: r.sequence })),
    );
    return records.sort((a, b) => a.sequence - b.sequence).map((r) => r.record);
  }

  /** The group's committed offset (next offset to read) for a partition, if it has one. */
  committedOffset(groupId: string, topic: string, partition: number): string | undefined {
    const offset = this.groups.get(groupId)?.committed.get(topic)?.[partition];
    return offset === undefined ? undefined : String(offset);
  }

  /** The partition a key lands on (the same for every topic, as they share the partition count). */
  partitionOf(key: string): number {
    return partitionForKey(key, this.partitions);
  }

  private topic(name: string): Topic {
    let topic = this.topics.get(name);
    if (!topic) {
      topic = new Topic(name, this.partitions);
      this.topics.set(name, topic);
    }
    return topic;
  }

  /** Moves a group's committed offset forward (never back) and applies retention. */
  private commit(group: ConsumerGroup, topicName: string, partition: number, nextOffset: number): void {
    const offsets = group.committed.get(topicName)!;
    if (nextOffset <= offsets[partition]!) return;
    offsets[partition] = nextOffset;
    if (this.options.retention === 'committed') {
      let low = nextOffset;
      for (const other of this.groups.values()) {
        const theirs = other.committed.get(topicName)?.[partition];
        if (theirs !== undefined) low = Math.min(low, theirs);
      }
      this.topic(topicName).logs[partition]!.truncateBefore(low);
    }
  }

  /** Called whenever a batch ends or a subscription leaves: the only moments idleness can begin. */
  private checkIdle(): void {
    if (this.idleWaiters.length === 0 || !this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private isIdle(): boolean {
    for (const subscription of this.subscriptions) {
      if (subscription.busy()) return false;
    }
    return true;
  }

  private group(id: string): ConsumerGroup {
    let group = this.groups.get(id);
    if (!group) {
      group = new ConsumerGroup(id);
      this.groups.set(id, group);
    }
    return group;
  }
}

/** What a subscription may touch of its transport and group (and nothing else). */
interface SubscriptionHost {
  partitions: number;
  log(topic: string, partition: number): PartitionLog;
  committed(topic: string, partition: number): number;
  commit(topic: string, partition: number, nextOffset: number): void;
  batchEnded(): void;
  left(member: InProcessSubscription): void;
}

interface SubscriptionSettings {
  maxBatchSize: number;
  concurrency: number;
  redeliveryBackoff: BackoffPolicy;
}

interface PartitionState {
  inFlight: Promise<void> | null;
  /** Consecutive failed (or fruitless) batches: drives the redelivery backoff. */
  failures: number;
  timer: NodeJS.Timeout | null;
}

class InProcessSubscription implements Subscription {
  readonly topics: string[];
  private running = true;
  private stopping: Promise<void> | null = null;
  private readonly partitions = new Map<string, PartitionState>();
  private inFlightCount = 0;
  /** Where the next search for work starts, so a busy partition cannot starve the others. */
  private cursor = 0;

  constructor(
    private readonly host: SubscriptionHost,
    private readonly options: SubscribeOptions,
    private readonly settings: SubscriptionSettings,
  ) {
    this.topics = [...new Set(options.topics)];
    for (const topic of this.topics) {
      for (let p = 0; p < host.partitions; p++) {
        this.partitions.set(`${p}\u0000${topic}`, { inFlight: null, failures: 0, timer: null });
      }
    }
  }

  /** Starts batches on partitions with uncommitted records, up to the concurrency limit. */
  pump(): void {
    if (!this.running) return;
    const keys = [...this.partitions.keys()];
    for (let i = 0; i < keys.length && this.inFlightCount < this.settings.concurrency; i++) {
      const key = keys[(this.cursor + i) % keys.length]!;
      const state = this.partitions.get(key)!;
      if (state.inFlight || state.timer || !this.hasPending(key)) continue;
      this.cursor = (this.cursor + i + 1) % keys.length;
      this.start(key, state);
    }
  }

  /** True while any batch is in flight or any partition has records not yet committed. */
  busy(): boolean {
    if (this.inFlightCount > 0) return true;
    for (const key of this.partitions.keys()) if (this.hasPending(key)) return true;
    return false;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.running = false;
      for (const state of this.partitions.values()) {
        if (state.timer) clearTimeout(state.timer);
        state.timer = null;
      }
      // The batch in hand sees isRunning() === false and finishes; its resolved offsets commit.
      await Promise.all([...this.partitions.values()].map((s) => s.inFlight));
      this.host.left(this);
    })();
    return this.stopping;
  }

  private hasPending(key: string): boolean {
    const { topic, partition } = parseKey(key);
    return this.host.committed(topic, partition) < this.host.log(topic, partition).endOffset;
  }

  private start(key: string, state: PartitionState): void {
    this.inFlightCount++;
    // Counted as in flight now (so whenIdle cannot slip through), but run on a later microtask: a
    // send() from inside another handler must not run this handler on the sender's stack.
    state.inFlight = Promise.resolve()
      .then(() => this.runBatch(key, state))
      .finally(() => {
        state.inFlight = null;
        this.inFlightCount--;
        // Start the next batch before checking idleness, so there is no gap in which a partition
        // with records left looks finished.
        this.pump();
        this.host.batchEnded();
      });
  }

  private async runBatch(key: string, state: PartitionState): Promise<void> {
    const { topic, partition } = parseKey(key);
    const log = this.host.log(topic, partition);
    const from = this.host.committed(topic, partition);
    const records = log.read(from, this.settings.maxBatchSize);
    if (records.length === 0) return;
    const first = records[0]!.offset;
    const last = records[records.length - 1]!.offset;
    let resolved = first; // next offset to commit: nothing of this batch resolved yet

    const control: BatchControl = {
      resolveOffset: (offset) => {
        const n = Number(offset);
        if (!Number.isInteger(n) || n < first || n > last) {
          throw new RangeError(`Offset ${offset} is not in the batch ${topic}[${partition}] ${first}..${last}`);
        }
        resolved = Math.max(resolved, n + 1);
      },
      heartbeat: async () => {},
      commitOffsetsIfNecessary: async () => this.host.commit(topic, partition, resolved),
      isRunning: () => this.running,
      isStale: () => false,
    };

    let failed = false;
    try {
      await this.options.eachBatch({ topic, partition, messages: records.map(toRawMessage) }, control);
    } catch {
      // The handler owns reporting its failure; here it only means "deliver the rest again".
      failed = true;
    }
    // As kafkajs does, offsets resolved before a failure are still committed.
    this.host.commit(topic, partition, resolved);
    // A handler that returns without resolving anything made no progress: back off like a failure
    // instead of spinning on the same records.
    if (failed || resolved === first) {
      state.failures++;
      this.scheduleRedelivery(state);
    } else {
      state.failures = 0;
    }
  }

  private scheduleRedelivery(state: PartitionState): void {
    if (!this.running) return;
    const delay = backoffDelayMs(state.failures, this.settings.redeliveryBackoff);
    state.timer = setTimeout(() => {
      state.timer = null;
      this.pump();
    }, delay);
  }
}

function parseKey(key: string): { topic: string; partition: number } {
  const split = key.indexOf('\u0000');
  return { partition: Number(key.slice(0, split)), topic: key.slice(split + 1) };
}

function toRawMessage(record: { offset: number; key: string | null; value: Buffer; headers: Headers; timestamp: number }): RawMessage {
  // Headers are copied per delivery so one consumer group cannot alter what another reads.
  return {
    key: record.key,
    value: record.value,
    headers: { ...record.headers },
    offset: String(record.offset),
    timestamp: record.timestamp,
  };
}
