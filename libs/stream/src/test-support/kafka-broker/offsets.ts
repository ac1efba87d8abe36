/**
 * Test Kafka broker: committed consumer-group offsets (what Kafka keeps in __consumer_offsets), per
 * group, topic and partition, handed to the `persist` sink (the data folder) as they are committed.
 * It stores whatever it is told: whether a commit is allowed is the group coordinator's call, made
 * before anything reaches this store. Offsets never expire.
 */

export interface CommittedOffset {
  offset: bigint;
  /** The leader epoch of the last record consumed (OffsetCommit v6+), -1 when the client sent none. */
  leaderEpoch: number;
  metadata: string | null;
}

export type OffsetSink = (groupId: string, topic: string, partition: number, committed: CommittedOffset) => void;

export class OffsetStore {
  private readonly byGroup = new Map<string, Map<string, Map<number, CommittedOffset>>>();

  constructor(private readonly persist: OffsetSink | null = null) {}

  commit(groupId: string, topic: string, partition: number, committed: CommittedOffset): void {
    this.persist?.(groupId, topic, partition, committed);
    this.remember(groupId, topic, partition, committed);
  }

  /** Takes an offset back from the data folder without writing it again. */
  restore(groupId: string, topic: string, partition: number, committed: CommittedOffset): void {
    this.remember(groupId, topic, partition, committed);
  }

  private remember(groupId: string, topic: string, partition: number, committed: CommittedOffset): void {
    let topics = this.byGroup.get(groupId);
    if (!topics) {
      topics = new Map();
      this.byGroup.set(groupId, topics);
    }
    let partitions = topics.get(topic);
    if (!partitions) {
      partitions = new Map();
      topics.set(topic, partitions);
    }
    partitions.set(partition, committed);
  }

  get(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.byGroup.get(groupId)?.get(topic)?.get(partition);
  }

  /** Everything the group committed, for OffsetFetch without a topic list. */
  all(groupId: string): Array<{ topic: string; partitions: number[] }> {
    return [...(this.byGroup.get(groupId) ?? new Map<string, Map<number, CommittedOffset>>()).entries()].map(([topic, partitions]) => ({
      topic,
      partitions: [...partitions.keys()].sort((a, b) => a - b),
    }));
  }
}
