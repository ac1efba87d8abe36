/**
 * Test Kafka broker: OffsetCommit v2–7 and OffsetFetch v1–7 (v6+ flexible). The group coordinator
 * decides whether a commit may happen (stale generations and unknown members are refused, as in
 * Kafka); the offset store keeps the result, with the leader epoch the client committed (v6+). A
 * commit is all or nothing per request, and OffsetFetch answers -1 for a partition nobody committed,
 * which tells clients to apply their reset policy.
 */
import { responseWriter, type ApiDefinition } from '../api.js';
import { ApiKey, ErrorCode } from '../protocol.js';

const NO_LEADER_EPOCH = -1;

export const offsetCommit: ApiDefinition = {
  apiKey: ApiKey.OffsetCommit,
  name: 'OffsetCommit',
  // v2 is the oldest librdkafka's consumer feature check needs (1..2); librdkafka 2.0 uses v7, kafkajs v5.
  minVersion: 2,
  maxVersion: 7,
  firstFlexibleVersion: 8,
  handle(request, version, broker) {
    const groupId = request.string();
    const generationId = request.int32();
    const memberId = request.string();
    // group_instance_id (v7+): static members are refused at JoinGroup, so a commit naming one comes
    // from no member of ours and fails the member check below.
    if (version >= 7) request.nullableString();
    if (version <= 4) request.int64(); // retention_time_ms: offsets live as long as the broker
    const topics = request.array((t) => ({
      topic: t.string(),
      partitions: t.array((p) => ({
        partition: p.int32(),
        offset: p.int64(),
        leaderEpoch: version >= 6 ? p.int32() : NO_LEADER_EPOCH,
        metadata: p.nullableString(),
      })),
    }));
    const errorCode = groupId === '' ? ErrorCode.INVALID_GROUP_ID : broker.groups.authorizeCommit(groupId, generationId, memberId);
    if (errorCode === ErrorCode.NONE) {
      for (const { topic, partitions } of topics) {
        for (const { partition, offset, leaderEpoch, metadata } of partitions) {
          broker.offsets.commit(groupId, topic, partition, { offset, leaderEpoch, metadata });
        }
      }
    }
    const body = responseWriter(request);
    if (version >= 3) body.int32(0); // throttle_time_ms
    return body.array(topics, (w, { topic, partitions }) =>
      w.string(topic).array(partitions, (pw, { partition }) => pw.int32(partition).int16(errorCode)),
    );
  },
};

export const offsetFetch: ApiDefinition = {
  apiKey: ApiKey.OffsetFetch,
  name: 'OffsetFetch',
  // v1 is what librdkafka's consumer feature check needs; librdkafka 2.0 uses v7 (flexible), kafkajs v4.
  minVersion: 1,
  maxVersion: 7,
  firstFlexibleVersion: 6,
  handle(request, version, broker) {
    const groupId = request.string();
    // From v2 a null topic list asks for every committed offset of the group (kafkajs sends null for []).
    const requested = request.nullableArray((t) => {
      const topic = { topic: t.string(), partitions: t.array((p) => p.int32()) };
      t.tags();
      return topic;
    });
    if (version >= 7) request.boolean(); // require_stable: no transactions, so no offset is ever pending
    request.tags();
    const topics = requested ?? broker.offsets.all(groupId);
    const body = responseWriter(request);
    if (version >= 3) body.int32(0); // throttle_time_ms
    body.array(topics, (w, { topic, partitions }) =>
      w
        .string(topic)
        .array(partitions, (pw, partition) => {
          const committed = broker.offsets.get(groupId, topic, partition);
          pw.int32(partition).int64(committed?.offset ?? -1n);
          if (version >= 5) pw.int32(committed?.leaderEpoch ?? NO_LEADER_EPOCH);
          pw.string(committed ? committed.metadata : '')
            .int16(ErrorCode.NONE)
            .tags();
        })
        .tags(),
    );
    if (version >= 2) body.int16(ErrorCode.NONE);
    return body.tags();
  },
};
