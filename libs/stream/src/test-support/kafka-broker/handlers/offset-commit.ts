/**
 * Test Kafka broker: OffsetCommit v3 and OffsetFetch v3. The group coordinator decides whether a
 * commit may happen (stale generations and unknown members are refused, as in Kafka); the offset
 * store keeps the result. A commit is all or nothing per request, and OffsetFetch answers -1 for a
 * partition nobody committed, which tells clients to apply their reset policy.
 */
import { Writer } from '../codec.js';
import type { ApiDefinition } from '../api.js';
import { ApiKey, ErrorCode } from '../protocol.js';

export const offsetCommit: ApiDefinition = {
  apiKey: ApiKey.OffsetCommit,
  name: 'OffsetCommit',
  minVersion: 3,
  maxVersion: 3,
  handle(request, _version, broker) {
    const groupId = request.string();
    const generationId = request.int32();
    const memberId = request.string();
    request.int64(); // retention_time_ms: offsets live as long as the broker
    const topics = request.array((t) => ({
      topic: t.string(),
      partitions: t.array((p) => ({ partition: p.int32(), offset: p.int64(), metadata: p.nullableString() })),
    }));
    const errorCode = groupId === '' ? ErrorCode.INVALID_GROUP_ID : broker.groups.authorizeCommit(groupId, generationId, memberId);
    if (errorCode === ErrorCode.NONE) {
      for (const { topic, partitions } of topics) {
        for (const { partition, offset, metadata } of partitions) broker.offsets.commit(groupId, topic, partition, { offset, metadata });
      }
    }
    return new Writer()
      .int32(0) // throttle_time_ms
      .array(topics, (w, { topic, partitions }) =>
        w.string(topic).array(partitions, (pw, { partition }) => pw.int32(partition).int16(errorCode)),
      );
  },
};

export const offsetFetch: ApiDefinition = {
  apiKey: ApiKey.OffsetFetch,
  name: 'OffsetFetch',
  minVersion: 3,
  maxVersion: 3,
  handle(request, _version, broker) {
    const groupId = request.string();
    // A null topic list asks for every committed offset of the group (kafkajs sends null for []).
    const topics =
      request.nullableArray((t) => ({ topic: t.string(), partitions: t.array((p) => p.int32()) })) ?? broker.offsets.all(groupId);
    return new Writer()
      .int32(0) // throttle_time_ms
      .array(topics, (w, { topic, partitions }) =>
        w.string(topic).array(partitions, (pw, partition) => {
          const committed = broker.offsets.get(groupId, topic, partition);
          pw.int32(partition)
            .int64(committed?.offset ?? -1n)
            .string(committed ? committed.metadata : '')
            .int16(ErrorCode.NONE);
        }),
      )
      .int16(ErrorCode.NONE);
  },
};
