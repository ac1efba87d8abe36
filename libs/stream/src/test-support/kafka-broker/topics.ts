/**
 * Test Kafka broker: the topics this broker hosts and their partition logs, with Kafka's naming rules
 * and the auto-creation switch, kept in the data folder when there is one. It decides nothing about
 * who may read or write; it must never change the partition count of an existing topic, since clients
 * cache it to partition by key.
 */
import type { BrokerDataDir, RestoredTopic } from './data-dir.js';
import { PartitionLog } from './log.js';
import { ErrorCode, type ErrorCodeValue } from './protocol.js';

const LEGAL_TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export function isLegalTopicName(name: string): boolean {
  return LEGAL_TOPIC_NAME.test(name) && name !== '.' && name !== '..';
}

export class TopicStore {
  private readonly topics = new Map<string, PartitionLog[]>();

  constructor(
    readonly defaultPartitions: number,
    readonly autoCreate: boolean,
    private readonly dataDir: BrokerDataDir | null = null,
  ) {}

  /** Takes a topic back from the data folder, logs included. */
  restore({ name, partitions }: RestoredTopic): void {
    this.topics.set(
      name,
      partitions.map((batches, partition) => new PartitionLog(this.dataDir?.partitionSink(name, partition) ?? null, batches)),
    );
  }

  names(): string[] {
    return [...this.topics.keys()];
  }

  partitions(topic: string): readonly PartitionLog[] | undefined {
    return this.topics.get(topic);
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.topics.get(topic)?.[partition];
  }

  /** -1 partitions means "the broker's default", as in CreateTopics. */
  create(name: string, partitions = -1): ErrorCodeValue {
    if (!isLegalTopicName(name)) return ErrorCode.INVALID_TOPIC_EXCEPTION;
    if (this.topics.has(name)) return ErrorCode.TOPIC_ALREADY_EXISTS;
    const count = partitions === -1 ? this.defaultPartitions : partitions;
    if (!Number.isInteger(count) || count < 1) return ErrorCode.INVALID_PARTITIONS;
    this.dataDir?.topicCreated(name, count);
    this.topics.set(
      name,
      Array.from({ length: count }, (_, partition) => new PartitionLog(this.dataDir?.partitionSink(name, partition) ?? null)),
    );
    return ErrorCode.NONE;
  }

  delete(name: string): ErrorCodeValue {
    if (!this.topics.delete(name)) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
    this.dataDir?.topicDeleted(name);
    return ErrorCode.NONE;
  }
}
