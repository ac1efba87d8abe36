/**
 * Record batches as kafkajs builds them (its own RecordBatch encoder): the broker's checks, offset
 * placement and record decoding, including gzip and corruption.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from './protocol.js';
import { checkProducedRecordSet, decodeBatchRecords, placeBatch, readBatchHeader } from './record-batch.js';
import { crc32c } from './crc32c.js';

const require = createRequire(import.meta.url);
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
  RecordBatch: (args: object) => Promise<{ buffer: Buffer }>;
};
const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (args: object) => object;

async function kafkajsBatch(options: { compression?: number; producerId?: number; firstSequence?: number } = {}): Promise<Buffer> {
  const records = [
    Record({ offsetDelta: 0, timestampDelta: 0, key: Buffer.from('k1'), value: Buffer.from('v1'), headers: { a: 'x', b: 'y' } }),
    Record({ offsetDelta: 1, timestampDelta: 5, key: null, value: null }),
    Record({ offsetDelta: 2, timestampDelta: 9, key: 'k3', value: 'v3', headers: { a: 'z' } }),
  ];
  const batch = await RecordBatch({
    records,
    firstTimestamp: 1_700_000_000_000,
    maxTimestamp: 1_700_000_000_009,
    lastOffsetDelta: 2,
    ...options,
  });
  return batch.buffer;
}

describe('record batches', () => {
  it('computes the CRC-32C of the reference vector', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('accepts a kafkajs batch and reads its records back', async () => {
    const batch = await kafkajsBatch();
    const check = checkProducedRecordSet(batch);
    expect(check).toMatchObject({ ok: true, header: { recordCount: 3, lastOffsetDelta: 2, magic: 2, producerId: -1n } });
    const records = decodeBatchRecords(placeBatch(batch, 40));
    expect(records.map((r) => [r.offset, r.timestamp, r.key?.toString() ?? null, r.value?.toString() ?? null])).toEqual([
      [40, 1_700_000_000_000, 'k1', 'v1'],
      [41, 1_700_000_000_005, null, null],
      [42, 1_700_000_000_009, 'k3', 'v3'],
    ]);
    expect(records[0]!.headers.map((h) => [h.key, h.value?.toString()])).toEqual([
      ['a', 'x'],
      ['b', 'y'],
    ]);
  });

  it('places a batch at an offset without breaking its checksum', async () => {
    const placed = placeBatch(await kafkajsBatch(), 1234);
    expect(readBatchHeader(placed).baseOffset).toBe(1234);
    expect(checkProducedRecordSet(placed).ok).toBe(true);
  });

  it('reads gzip batches and refuses codecs it cannot read', async () => {
    const gzipped = await kafkajsBatch({ compression: 1 });
    expect(checkProducedRecordSet(gzipped).ok).toBe(true);
    expect(decodeBatchRecords(gzipped).map((r) => r.value?.toString() ?? null)).toEqual(['v1', null, 'v3']);
    const snappyLabelled = Buffer.from(gzipped);
    snappyLabelled.writeInt16BE(2, 21);
    snappyLabelled.writeUInt32BE(crc32c(snappyLabelled.subarray(21)), 17);
    expect(checkProducedRecordSet(snappyLabelled)).toEqual({ ok: false, errorCode: ErrorCode.UNSUPPORTED_COMPRESSION_TYPE });
  });

  it('refuses corrupt, truncated, empty or doubled record sets', async () => {
    const batch = await kafkajsBatch();
    const flipped = Buffer.from(batch);
    flipped[flipped.length - 1]! ^= 0xff;
    const corrupt = { ok: false, errorCode: ErrorCode.CORRUPT_MESSAGE };
    expect(checkProducedRecordSet(flipped)).toEqual(corrupt);
    expect(checkProducedRecordSet(batch.subarray(0, batch.length - 1))).toEqual(corrupt);
    expect(checkProducedRecordSet(null)).toEqual(corrupt);
    expect(checkProducedRecordSet(Buffer.concat([batch, batch]))).toEqual(corrupt);
  });
});
