/**
 * Test Kafka broker: Produce v3–7 — appends one v2 record batch per partition, answering a retried
 * idempotent batch with its first offset instead of appending it again. Every acks value means
 * "written" here (there are no followers to wait for); acks=0 gets no answer at all, as the protocol
 * says. It never appends a batch that failed its checks, and never appends part of a batch.
 */
import { responseWriter, type ApiDefinition, type BrokerState } from '../api.js';
import { ApiKey, ErrorCode, type ErrorCodeValue } from '../protocol.js';
import { checkProducedRecordSet } from '../record-batch.js';

interface PartitionResult {
  partition: number;
  errorCode: ErrorCodeValue;
  baseOffset: number;
}

function appendRecordSet(broker: BrokerState, topic: string, partition: number, recordSet: Buffer | null): PartitionResult {
  const log = broker.topics.partition(topic, partition);
  if (!log) return { partition, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, baseOffset: -1 };
  const check = checkProducedRecordSet(recordSet);
  if (!check.ok) return { partition, errorCode: check.errorCode, baseOffset: -1 };
  const verdict = broker.producers.check(log, check.header);
  if (verdict.kind === 'reject') return { partition, errorCode: verdict.errorCode, baseOffset: -1 };
  if (verdict.kind === 'duplicate') return { partition, errorCode: ErrorCode.NONE, baseOffset: verdict.baseOffset };
  const baseOffset = log.append(recordSet!, check.header);
  broker.producers.appended(log, check.header, baseOffset);
  return { partition, errorCode: ErrorCode.NONE, baseOffset };
}

export const produce: ApiDefinition = {
  apiKey: ApiKey.Produce,
  name: 'Produce',
  // v3 is the first version with v2 record batches; v4–v7 only change what a client may expect
  // (KAFKA_STORAGE_ERROR, log_start_offset in the answer from v5, zstd allowed from v7).
  minVersion: 3,
  maxVersion: 7,
  firstFlexibleVersion: 9,
  handle(request, version, broker) {
    const transactionalId = request.nullableString();
    const acks = request.int16();
    request.int32(); // timeout: nothing here takes time to replicate
    const topics = request.array((t) => ({
      topic: t.string(),
      partitions: t.array((p) => ({ partition: p.int32(), records: p.nullableBytes() })),
    }));
    const refusal: ErrorCodeValue | null =
      acks !== -1 && acks !== 0 && acks !== 1
        ? ErrorCode.INVALID_REQUIRED_ACKS
        : transactionalId !== null
          ? ErrorCode.INVALID_REQUEST // no transaction coordinator here
          : null;
    const results = topics.map(({ topic, partitions }) => ({
      topic,
      partitions: partitions.map(({ partition, records }) =>
        refusal === null ? appendRecordSet(broker, topic, partition, records) : { partition, errorCode: refusal, baseOffset: -1 },
      ),
    }));
    if (acks === 0) return null;
    return responseWriter(request)
      .array(results, (w, t) =>
        w.string(t.topic).array(t.partitions, (pw, p) => {
          pw.int32(p.partition).int16(p.errorCode).int64(p.baseOffset).int64(-1); // log_append_time_ms: CreateTime topics
          if (version >= 5) pw.int64(p.errorCode === ErrorCode.NONE ? 0 : -1); // log_start_offset: nothing is ever deleted
        }),
      )
      .int32(0); // throttle_time_ms
  },
};
