/**
 * Test Kafka broker: InitProducerId v0 for idempotent producers — a fresh producer id at epoch 0 for
 * every call. Transactional ids are refused (INVALID_REQUEST): this broker has no transaction
 * coordinator, and pretending to have one would let a transactional client believe in guarantees
 * it does not get.
 */
import { Writer } from '../codec.js';
import type { ApiDefinition } from '../api.js';
import { ApiKey, ErrorCode } from '../protocol.js';

export const initProducerId: ApiDefinition = {
  apiKey: ApiKey.InitProducerId,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 0,
  handle(request, _version, broker) {
    const transactionalId = request.nullableString();
    request.int32(); // transaction_timeout_ms
    const body = new Writer().int32(0); // throttle_time_ms
    if (transactionalId !== null) return body.int16(ErrorCode.INVALID_REQUEST).int64(-1).int16(-1);
    const { producerId, producerEpoch } = broker.producers.allocate();
    return body.int16(ErrorCode.NONE).int64(producerId).int16(producerEpoch);
  },
};
