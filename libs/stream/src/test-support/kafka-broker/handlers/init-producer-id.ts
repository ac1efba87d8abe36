/**
 * Test Kafka broker: InitProducerId v0–4 (v2+ flexible) for idempotent producers — a fresh producer id
 * at epoch 0 for every call. A producer id and epoch in the request (v3+, KIP-360) only matter with a
 * transactional id; without one Kafka hands out a new id anyway, and so does this broker.
 * Transactional ids are refused (INVALID_REQUEST): this broker has no transaction coordinator, and
 * pretending to have one would let a transactional client believe in guarantees it does not get.
 */
import { responseWriter, type ApiDefinition } from '../api.js';
import { ApiKey, ErrorCode } from '../protocol.js';

export const initProducerId: ApiDefinition = {
  apiKey: ApiKey.InitProducerId,
  name: 'InitProducerId',
  // kafkajs uses v1, librdkafka 2.0 v4 (with enable.idempotence).
  minVersion: 0,
  maxVersion: 4,
  firstFlexibleVersion: 2,
  handle(request, version, broker) {
    const transactionalId = request.nullableString();
    request.int32(); // transaction_timeout_ms
    if (version >= 3) {
      request.int64(); // producer_id
      request.int16(); // producer_epoch
    }
    request.tags();
    const body = responseWriter(request).int32(0); // throttle_time_ms
    if (transactionalId !== null) return body.int16(ErrorCode.INVALID_REQUEST).int64(-1).int16(-1).tags();
    const { producerId, producerEpoch } = broker.producers.allocate();
    return body.int16(ErrorCode.NONE).int64(producerId).int16(producerEpoch).tags();
  },
};
