/**
 * Test Kafka broker: Metadata v4–5 — this single broker as every partition's leader, replica and ISR,
 * and topic auto-creation when both the client (allow_auto_topic_creation) and the broker allow it.
 * Unlike Kafka it answers a freshly auto-created topic as ready at once (no LEADER_NOT_AVAILABLE
 * round), which only saves clients a retry. It never creates a topic whose name is illegal.
 */
import { responseWriter, type ApiDefinition } from '../api.js';
import { ApiKey, ErrorCode } from '../protocol.js';

export const metadata: ApiDefinition = {
  apiKey: ApiKey.Metadata,
  name: 'Metadata',
  // librdkafka 2.0 asks for v4, kafkajs for v5 (which adds offline replicas).
  minVersion: 4,
  maxVersion: 5,
  firstFlexibleVersion: 9,
  handle(request, version, broker) {
    const requested = request.nullableArray((r) => r.string());
    const allowAutoTopicCreation = request.boolean();
    const { topics, nodeId } = broker;
    // A null list means "all topics"; kafkajs also sends null for an empty list.
    const names = requested ?? topics.names();
    const body = responseWriter(request)
      .int32(0) // throttle_time_ms
      .array([broker.advertised], (w, b) => w.int32(nodeId).string(b.host).int32(b.port).string(null))
      .string(broker.clusterId)
      .int32(nodeId); // controller: kafkajs sends CreateTopics and InitProducerId there
    body.array(names, (w, name) => {
      let errorCode: number = ErrorCode.NONE;
      if (!topics.partitions(name)) {
        errorCode = allowAutoTopicCreation && topics.autoCreate ? topics.create(name) : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      }
      const partitionIds = (topics.partitions(name) ?? []).map((_log, index) => index);
      w.int16(errorCode).string(name).boolean(false);
      w.array(partitionIds, (pw, index) => {
        pw.int16(ErrorCode.NONE).int32(index).int32(nodeId);
        pw.array([nodeId], (rw, id) => rw.int32(id)); // replicas
        pw.array([nodeId], (rw, id) => rw.int32(id)); // in-sync replicas
        if (version >= 5) pw.array([], () => undefined); // offline replicas
      });
    });
    return body;
  },
};
