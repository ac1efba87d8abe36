/**
 * Test Kafka broker: ListOffsets v2 — earliest (-2), latest (-1) or the first offset at or after a
 * timestamp. Without transactions the latest offset is the same for both isolation levels. It never
 * invents an offset: a timestamp after every record answers -1, as Kafka does.
 */
import { Writer } from '../codec.js';
import type { ApiDefinition } from '../api.js';
import { ApiKey, EARLIEST_TIMESTAMP, ErrorCode, LATEST_TIMESTAMP } from '../protocol.js';

export const listOffsets: ApiDefinition = {
  apiKey: ApiKey.ListOffsets,
  name: 'ListOffsets',
  minVersion: 2,
  maxVersion: 2,
  handle(request, _version, broker) {
    request.int32(); // replica_id
    request.int8(); // isolation_level
    const topics = request.array((t) => ({
      topic: t.string(),
      partitions: t.array((p) => ({ partition: p.int32(), timestamp: p.int64AsNumber() })),
    }));
    return new Writer()
      .int32(0) // throttle_time_ms
      .array(topics, (w, { topic, partitions }) =>
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
