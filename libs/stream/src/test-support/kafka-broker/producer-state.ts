/**
 * Test Kafka broker: idempotent-producer bookkeeping — producer ids handed out by InitProducerId and,
 * per partition, the last sequence numbers seen from each producer, so a retried batch is answered
 * with its original offset instead of being appended twice (what Kafka does for the last 5 batches).
 * It never fences or times out producers and knows nothing of transactions.
 */
import type { PartitionLog } from './log.js';
import { ErrorCode, type ErrorCodeValue } from './protocol.js';
import type { BatchHeader } from './record-batch.js';

/** Kafka keeps the metadata of this many recent batches per producer for duplicate detection. */
const RECENT_BATCHES = 5;
const MAX_SEQUENCE = 0x7fffffff;

interface RecentBatch {
  firstSequence: number;
  lastSequence: number;
  baseOffset: number;
}

interface ProducerPartitionState {
  epoch: number;
  lastSequence: number;
  recent: RecentBatch[];
}

export type SequenceVerdict =
  { kind: 'append' } | { kind: 'duplicate'; baseOffset: number } | { kind: 'reject'; errorCode: ErrorCodeValue };

/** Sequences wrap to 0 after Int32.MAX, as in Kafka's DefaultRecordBatch.incrementSequence. */
function incrementSequence(sequence: number, increment: number): number {
  return sequence > MAX_SEQUENCE - increment ? increment - (MAX_SEQUENCE - sequence) - 1 : sequence + increment;
}

export class ProducerRegistry {
  /** Keyed by log so a deleted and re-created topic starts clean. */
  private readonly states = new WeakMap<PartitionLog, Map<bigint, ProducerPartitionState>>();

  /**
   * @param nextProducerId where a restarted broker resumes (never hand out an id a live producer holds).
   * @param persist told the next id after each allocation (the data folder).
   */
  constructor(
    private nextProducerId = 0n,
    private readonly persist: ((nextProducerId: bigint) => void) | null = null,
  ) {}

  allocate(): { producerId: bigint; producerEpoch: number } {
    const producerId = this.nextProducerId;
    this.persist?.(producerId + 1n);
    this.nextProducerId += 1n;
    return { producerId, producerEpoch: 0 };
  }

  /** Rebuilds sequence state from a log read back after a restart, as Kafka does from its log. */
  restore(log: PartitionLog): void {
    for (const { baseOffset, header } of log.storedBatches()) this.appended(log, header, baseOffset);
  }

  check(log: PartitionLog, batch: BatchHeader): SequenceVerdict {
    if (batch.producerId < 0n) return { kind: 'append' };
    const state = this.states.get(log)?.get(batch.producerId);
    // A producer first seen on this partition may start anywhere: lenient where Kafka would know more
    // (producer state is rebuilt from the log after a restart, so only never-seen producers get this).
    if (!state || batch.producerEpoch > state.epoch) return { kind: 'append' };
    if (batch.producerEpoch < state.epoch) return { kind: 'reject', errorCode: ErrorCode.INVALID_PRODUCER_EPOCH };
    const lastSequence = incrementSequence(batch.baseSequence, batch.lastOffsetDelta);
    const duplicate = state.recent.find((r) => r.firstSequence === batch.baseSequence && r.lastSequence === lastSequence);
    if (duplicate) return { kind: 'duplicate', baseOffset: duplicate.baseOffset };
    if (batch.baseSequence !== incrementSequence(state.lastSequence, 1)) {
      return { kind: 'reject', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER };
    }
    return { kind: 'append' };
  }

  /** Remembers an appended batch; call only after `check` said append. */
  appended(log: PartitionLog, batch: BatchHeader, baseOffset: number): void {
    if (batch.producerId < 0n) return;
    let producers = this.states.get(log);
    if (!producers) {
      producers = new Map();
      this.states.set(log, producers);
    }
    let state = producers.get(batch.producerId);
    if (!state || batch.producerEpoch > state.epoch) {
      state = { epoch: batch.producerEpoch, lastSequence: -1, recent: [] };
      producers.set(batch.producerId, state);
    }
    state.lastSequence = incrementSequence(batch.baseSequence, batch.lastOffsetDelta);
    state.recent.push({ firstSequence: batch.baseSequence, lastSequence: state.lastSequence, baseOffset });
    if (state.recent.length > RECENT_BATCHES) state.recent.shift();
  }
}
