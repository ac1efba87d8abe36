/**
 * Idempotent-producer sequence checks: duplicates of the last five batches answer their first
 * offset, gaps are refused, older epochs are fenced, newer epochs start over.
 */
import { describe, expect, it } from 'vitest';
import { PartitionLog } from './log.js';
import { ProducerRegistry } from './producer-state.js';
import { ErrorCode } from './protocol.js';
import type { BatchHeader } from './record-batch.js';

function header(baseSequence: number, count: number, producerEpoch = 0, producerId = 1n): BatchHeader {
  return {
    baseOffset: 0,
    size: 0,
    magic: 2,
    crc: 0,
    attributes: 0,
    lastOffsetDelta: count - 1,
    firstTimestamp: 0,
    maxTimestamp: 0,
    producerId,
    producerEpoch,
    baseSequence,
    recordCount: count,
  };
}

describe('producer sequence state', () => {
  it('tracks sequences per producer and partition', () => {
    const registry = new ProducerRegistry();
    const log = new PartitionLog();
    const other = new PartitionLog();
    let offset = 0;
    for (const sequence of [0, 2, 4, 6, 8, 10]) {
      expect(registry.check(log, header(sequence, 2))).toEqual({ kind: 'append' });
      registry.appended(log, header(sequence, 2), offset);
      offset += 2;
    }
    // The five most recent batches are remembered; the oldest (sequence 0) is forgotten.
    expect(registry.check(log, header(2, 2))).toEqual({ kind: 'duplicate', baseOffset: 2 });
    expect(registry.check(log, header(10, 2))).toEqual({ kind: 'duplicate', baseOffset: 10 });
    expect(registry.check(log, header(0, 2))).toEqual({ kind: 'reject', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
    expect(registry.check(log, header(13, 1))).toEqual({ kind: 'reject', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
    expect(registry.check(log, header(12, 1))).toEqual({ kind: 'append' });
    // Other partitions and other producers are independent.
    expect(registry.check(other, header(7, 1))).toEqual({ kind: 'append' });
    expect(registry.check(log, header(99, 1, 0, 2n))).toEqual({ kind: 'append' });
  });

  it('fences older epochs and restarts on a newer one', () => {
    const registry = new ProducerRegistry();
    const log = new PartitionLog();
    registry.appended(log, header(0, 1, 3), 0);
    expect(registry.check(log, header(1, 1, 2))).toEqual({ kind: 'reject', errorCode: ErrorCode.INVALID_PRODUCER_EPOCH });
    expect(registry.check(log, header(0, 1, 4))).toEqual({ kind: 'append' });
    registry.appended(log, header(0, 1, 4), 1);
    expect(registry.check(log, header(1, 1, 4))).toEqual({ kind: 'append' });
  });

  it('wraps sequences after Int32.MAX like Kafka', () => {
    const registry = new ProducerRegistry();
    const log = new PartitionLog();
    registry.appended(log, header(0x7ffffffe, 2), 0); // covers MAX-1 and MAX
    expect(registry.check(log, header(0, 1))).toEqual({ kind: 'append' });
  });

  it('hands out distinct producer ids', () => {
    const registry = new ProducerRegistry();
    expect(registry.allocate().producerId).not.toBe(registry.allocate().producerId);
  });
});
