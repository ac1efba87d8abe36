/**
 * Test Kafka broker: CreateTopics v2 and DeleteTopics v1 (kafkajs admin.createTopics/deleteTopics).
 * Replication factors above 1 are refused (there is one broker); topic configs are accepted and
 * ignored. It never changes an existing topic: creating one again answers TOPIC_ALREADY_EXISTS.
 */
import { Writer } from '../codec.js';
import type { ApiDefinition } from '../api.js';
import { ApiKey, ErrorCode, type ErrorCodeValue } from '../protocol.js';
import { isLegalTopicName } from '../topics.js';

export const createTopics: ApiDefinition = {
  apiKey: ApiKey.CreateTopics,
  name: 'CreateTopics',
  minVersion: 2,
  maxVersion: 2,
  firstFlexibleVersion: 5,
  handle(request, _version, broker) {
    const topics = request.array((t) => ({
      topic: t.string(),
      numPartitions: t.int32(),
      replicationFactor: t.int16(),
      assignments: t.array((a) => ({ partition: a.int32(), replicas: a.array((r) => r.int32()) })),
      configs: t.array((c) => ({ name: c.string(), value: c.nullableString() })),
    }));
    request.int32(); // timeout_ms: creation is immediate
    const validateOnly = request.boolean();
    const results = topics.map(({ topic, numPartitions, replicationFactor, assignments }) => {
      // An explicit replica assignment fixes the partition count instead of num_partitions.
      const partitions = assignments.length > 0 ? assignments.length : numPartitions;
      let errorCode: ErrorCodeValue;
      if (replicationFactor > 1 || assignments.some((a) => a.replicas.some((id) => id !== broker.nodeId))) {
        errorCode = ErrorCode.INVALID_REPLICATION_FACTOR;
      } else if (validateOnly) {
        errorCode = !isLegalTopicName(topic)
          ? ErrorCode.INVALID_TOPIC_EXCEPTION
          : broker.topics.partitions(topic)
            ? ErrorCode.TOPIC_ALREADY_EXISTS
            : partitions === -1 || partitions > 0
              ? ErrorCode.NONE
              : ErrorCode.INVALID_PARTITIONS;
      } else {
        errorCode = broker.topics.create(topic, partitions);
      }
      return { topic, errorCode };
    });
    return new Writer()
      .int32(0) // throttle_time_ms
      .array(results, (w, r) => w.string(r.topic).int16(r.errorCode).string(null));
  },
};

export const deleteTopics: ApiDefinition = {
  apiKey: ApiKey.DeleteTopics,
  name: 'DeleteTopics',
  minVersion: 1,
  maxVersion: 1,
  firstFlexibleVersion: 4,
  handle(request, _version, broker) {
    const topics = request.array((r) => r.string());
    request.int32(); // timeout_ms
    return new Writer()
      .int32(0) // throttle_time_ms
      .array(topics, (w, topic) => w.string(topic).int16(broker.topics.delete(topic)));
  },
};
