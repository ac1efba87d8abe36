/**
 * Test Kafka broker: ListOffsets v1–2 — earliest (-2), latest (-1) or the first offset at or after a
 * timestamp. Without transactions the latest offset is the same for both isolation levels. It never
 * invents an offset: a timestamp after every record answers -1, as Kafka does.
 */
import { responseWriter, type ApiDefinition } from '../api.js';
import { ApiKey, EARLIEST_TIMESTAMP, ErrorCode, LATEST_TIMESTAMP } from '../protocol.js';

export const listOffsets: ApiDefinition = {
  apiKey: ApiKey.ListOffsets,
  name: 'ListOffsets',
  // v0 answers a list of segment offsets instead; v1 (librdkafka's OffsetTime feature) and v2 (adds the
  // isolation level and throttle time) are what librdkafka and kafkajs use.
  minVersion: 1,
  maxVersion: 2,
  firstFlexibleVersion: 6,
  handle(request, version, broker) {
    request.int32(); // replica_id
    if (version >= 2) request.int8(); // isolation_level
    const topics = request.array((t) => ({
      topic: t.string(),
      partitions: t.array((p) => ({ partition: p.int32(), timestamp: p.int64AsNumber() })),
    }));
    const body = responseWriter(request);
    if (version >= 2) body.int32(0); // throttle_time_ms
    return body.array(topics, (w, { topic, partitions }) =>
      w.string(topic).array(partitions, (pw, { partition, timestamp }) => {
        const log = broker.topics.partition(topic, partition);
        if (!log) {
          pw.int32(partition).int16(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION).int64(-1).int64(-1);
          return;
        }
        let found: { offset: number; timestamp: number } | null;
        if (timestamp === LATEST_TIMESTAMP) found = { offset: log.highWatermark, timestamp: -1 };
        else if (timestamp === EARLIEST_TIMESTAMP) found = { offset: log.logStartOffset, timestamp: -1 };
        else found = log.offsetForTimestamp(timestamp);
        pw.int32(partition)
          .int16(ErrorCode.NONE)
          .int64(found?.timestamp ?? -1)
          .int64(found?.offset ?? -1);
      }),
    );
  },
};
