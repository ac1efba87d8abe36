/**
 * Test Kafka broker: the v2 record batch (magic 2) as produced by clients — reading its header,
 * checking it the way a broker does before appending, giving it its log offset, and decoding its
 * records for test assertions. The broker stores batches as the client sent them; it must never
 * re-encode a batch, since the CRC covers everything from `attributes` on and clients verify nothing
 * else of ours.
 */
import { gunzipSync } from 'node:zlib';
import { Reader } from './codec.js';
import { crc32c } from './crc32c.js';
import { ErrorCode, type ErrorCodeValue } from './protocol.js';

/** Bytes before the records: baseOffset(8) length(4) leaderEpoch(4) magic(1) crc(4) attributes(2)
 * lastOffsetDelta(4) firstTimestamp(8) maxTimestamp(8) producerId(8) producerEpoch(2) baseSequence(4) count(4). */
export const BATCH_HEADER_SIZE = 61;
/** baseOffset + length: the part of the header outside the batch's own length. */
const LOG_OVERHEAD = 12;
const PARTITION_LEADER_EPOCH_AT = 12;
const ATTRIBUTES_AT = 21;

const COMPRESSION_MASK = 0x07;
const TRANSACTIONAL_FLAG = 0x10;
const CONTROL_FLAG = 0x20;

export const Compression = { None: 0, Gzip: 1 } as const;

export interface BatchHeader {
  baseOffset: number;
  /** Whole batch size in bytes, header included. */
  size: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  firstTimestamp: number;
  maxTimestamp: number;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

export function readBatchHeader(batch: Buffer): BatchHeader {
  const reader = new Reader(batch);
  const baseOffset = reader.int64AsNumber();
  const length = reader.int32();
  reader.int32(); // partition leader epoch: ours to assign, never the client's
  const magic = reader.int8();
  const crc = reader.int32() >>> 0;
  return {
    baseOffset,
    size: LOG_OVERHEAD + length,
    magic,
    crc,
    attributes: reader.int16(),
    lastOffsetDelta: reader.int32(),
    firstTimestamp: reader.int64AsNumber(),
    maxTimestamp: reader.int64AsNumber(),
    producerId: reader.int64(),
    producerEpoch: reader.int16(),
    baseSequence: reader.int32(),
    recordCount: reader.int32(),
  };
}

/** Cuts a record set (what a produce request carries per partition) into whole batches. */
export function splitRecordSet(recordSet: Buffer): Buffer[] {
  const batches: Buffer[] = [];
  let at = 0;
  while (at < recordSet.length) {
    if (recordSet.length - at < LOG_OVERHEAD) throw new RangeError('truncated record batch header');
    const size = LOG_OVERHEAD + recordSet.readInt32BE(at + 8);
    if (size < BATCH_HEADER_SIZE || at + size > recordSet.length) throw new RangeError('truncated record batch');
    batches.push(recordSet.subarray(at, at + size));
    at += size;
  }
  return batches;
}

/** A whole v2 batch whose CRC-32C matches: what a data folder's log recovery keeps. */
export function isIntactBatch(batch: Buffer): boolean {
  if (batch.length < BATCH_HEADER_SIZE || LOG_OVERHEAD + batch.readInt32BE(8) !== batch.length) return false;
  const header = readBatchHeader(batch);
  return header.magic === 2 && crc32c(batch.subarray(ATTRIBUTES_AT)) === header.crc;
}

export type BatchCheck = { ok: true; header: BatchHeader } | { ok: false; errorCode: ErrorCodeValue };

/**
 * What a broker checks before appending a produced record set (Produce v3+): exactly one v2 batch,
 * intact CRC, a codec we can read back, no transactional or control batches (this broker has no
 * transaction coordinator), and a record count that agrees with the offset range.
 */
export function checkProducedRecordSet(recordSet: Buffer | null): BatchCheck {
  let batches: Buffer[];
  try {
    batches = recordSet === null ? [] : splitRecordSet(recordSet);
  } catch {
    return { ok: false, errorCode: ErrorCode.CORRUPT_MESSAGE };
  }
  const [batch] = batches;
  if (batches.length !== 1 || batch === undefined) return { ok: false, errorCode: ErrorCode.CORRUPT_MESSAGE };
  const header = readBatchHeader(batch);
  if (header.magic !== 2) return { ok: false, errorCode: ErrorCode.CORRUPT_MESSAGE };
  if (crc32c(batch.subarray(ATTRIBUTES_AT)) !== header.crc) return { ok: false, errorCode: ErrorCode.CORRUPT_MESSAGE };
  const codec = header.attributes & COMPRESSION_MASK;
  if (codec !== Compression.None && codec !== Compression.Gzip) {
    return { ok: false, errorCode: ErrorCode.UNSUPPORTED_COMPRESSION_TYPE };
  }
  if (header.attributes & (TRANSACTIONAL_FLAG | CONTROL_FLAG)) return { ok: false, errorCode: ErrorCode.INVALID_REQUEST };
  if (header.recordCount <= 0 || header.lastOffsetDelta !== header.recordCount - 1) {
    return { ok: false, errorCode: ErrorCode.CORRUPT_MESSAGE };
  }
  return { ok: true, header };
}

/**
 * A copy of the batch placed at `baseOffset` in a partition. baseOffset and the partition leader
 * epoch precede the CRC-covered range, which is why a broker may set them without re-signing.
 */
export function placeBatch(batch: Buffer, baseOffset: number): Buffer {
  const placed = Buffer.from(batch);
  placed.writeBigInt64BE(BigInt(baseOffset), 0);
  placed.writeInt32BE(0, PARTITION_LEADER_EPOCH_AT);
  return placed;
}

export interface DecodedRecord {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Array<{ key: string; value: Buffer | null }>;
}

/** Reads the records of a stored batch back (for assertions, never for serving fetches). */
export function decodeBatchRecords(batch: Buffer): DecodedRecord[] {
  const header = readBatchHeader(batch);
  const body = batch.subarray(BATCH_HEADER_SIZE);
  const recordBytes = (header.attributes & COMPRESSION_MASK) === Compression.Gzip ? gunzipSync(body) : body;
  const reader = new Reader(recordBytes);
  const records: DecodedRecord[] = [];
  for (let i = 0; i < header.recordCount; i += 1) {
    const length = reader.varint();
    const record = new Reader(reader.raw(length));
    record.int8(); // record attributes: unused by the format so far
    const timestampDelta = record.varlong();
    const offsetDelta = record.varint();
    const key = record.varintBytes();
    const value = record.varintBytes();
    const headerCount = record.varint();
    const headers: DecodedRecord['headers'] = [];
    for (let h = 0; h < headerCount; h += 1) {
      const headerKey = record.varintBytes();
      headers.push({ key: headerKey === null ? '' : headerKey.toString('utf8'), value: record.varintBytes() });
    }
    records.push({
      offset: header.baseOffset + offsetDelta,
      timestamp: header.firstTimestamp + Number(timestampDelta),
      key: key === null ? null : Buffer.from(key),
      value: value === null ? null : Buffer.from(value),
      headers,
    });
  }
  return records;
}
