/**
 * Test Kafka broker: one partition's log — record batches in offset order, each stored as the client
 * produced it (with its offset filled in), plus wake-ups for fetches waiting on new data. It never
 * deletes, compacts or renumbers: offsets are what consumer groups commit, so they stay valid for the
 * broker's whole life (there is no retention), and across restarts when a data folder keeps the log:
 * every placed batch goes to the `persist` sink before anyone can fetch it.
 */
import { decodeBatchRecords, placeBatch, readBatchHeader, type BatchHeader, type DecodedRecord } from './record-batch.js';

interface StoredBatch {
  baseOffset: number;
  /** Offset after the batch's last record. */
  nextOffset: number;
  maxTimestamp: number;
  bytes: Buffer;
}

export interface LogRead {
  batches: Buffer[];
  size: number;
}

export class PartitionLog {
  private readonly batches: StoredBatch[] = [];
  private end = 0;
  private readonly appendListeners = new Set<() => void>();

  /**
   * @param persist called with each placed batch before it becomes visible (the data folder's append).
   * @param restored batches read back from a data folder, already placed and checked, in offset order.
   */
  constructor(
    private readonly persist: ((placed: Buffer) => void) | null = null,
    restored: readonly Buffer[] = [],
  ) {
    for (const bytes of restored) {
      const header = readBatchHeader(bytes);
      this.batches.push({
        baseOffset: header.baseOffset,
        nextOffset: header.baseOffset + header.lastOffsetDelta + 1,
        maxTimestamp: header.maxTimestamp,
        bytes,
      });
      this.end = header.baseOffset + header.lastOffsetDelta + 1;
    }
  }

  /** The stored batches with their headers, oldest first (to rebuild producer state after a restart). */
  storedBatches(): Array<{ baseOffset: number; header: BatchHeader }> {
    return this.batches.map((b) => ({ baseOffset: b.baseOffset, header: readBatchHeader(b.bytes) }));
  }

  /** Earliest offset a consumer can read; constant because nothing is ever deleted. */
  get logStartOffset(): number {
    return 0;
  }

  /** Offset the next record will get. With one replica and no transactions this is also the last stable offset. */
  get highWatermark(): number {
    return this.end;
  }

  /** Appends a checked batch and returns the offset of its first record. */
  append(batch: Buffer, header: BatchHeader): number {
    const baseOffset = this.end;
    const placed = placeBatch(batch, baseOffset);
    // Written (or throwing) before the offset moves: a failed write leaves the log as it was.
    this.persist?.(placed);
    this.end = baseOffset + header.lastOffsetDelta + 1;
    this.batches.push({ baseOffset, nextOffset: this.end, maxTimestamp: header.maxTimestamp, bytes: placed });
    for (const listener of [...this.appendListeners]) listener();
    return baseOffset;
  }

  /**
   * Whole batches from the one holding `fetchOffset` on, up to `maxBytes`. Like Kafka (KIP-74), the
   * first batch is returned even when larger than the limit if `allowOversizedFirst`, so a consumer
   * can always make progress; a batch never gets cut (clients would have to discard the partial tail).
   */
  read(fetchOffset: number, maxBytes: number, allowOversizedFirst: boolean): LogRead {
    const result: LogRead = { batches: [], size: 0 };
    for (let i = this.indexOfBatchHolding(fetchOffset); i < this.batches.length; i += 1) {
      const { bytes } = this.batches[i]!;
      const fits = result.size + bytes.length <= maxBytes;
      if (!fits && !(allowOversizedFirst && result.batches.length === 0)) break;
      result.batches.push(bytes);
      result.size += bytes.length;
    }
    return result;
  }

  /** First offset whose record timestamp is at or after `timestamp` (ListOffsets by time); null if none. */
  offsetForTimestamp(timestamp: number): { offset: number; timestamp: number } | null {
    for (const batch of this.batches) {
      if (batch.maxTimestamp < timestamp) continue;
      const record = decodeBatchRecords(batch.bytes).find((r) => r.timestamp >= timestamp);
      if (record) return { offset: record.offset, timestamp: record.timestamp };
    }
    return null;
  }

  records(): DecodedRecord[] {
    return this.batches.flatMap((batch) => decodeBatchRecords(batch.bytes));
  }

  /** Calls `listener` after every append until the returned function is called. */
  onAppend(listener: () => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  private indexOfBatchHolding(offset: number): number {
    let low = 0;
    let high = this.batches.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.batches[middle]!.nextOffset <= offset) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
