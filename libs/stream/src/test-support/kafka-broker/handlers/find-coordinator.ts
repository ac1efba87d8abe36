/**
 * Test Kafka broker: FindCoordinator v0–2 — this broker coordinates every group (and would every
 * transactional id, though transactions are refused elsewhere). It never answers NOT_COORDINATOR:
 * there is no other broker to send a client to.
 */
import { responseWriter, type ApiDefinition } from '../api.js';
import { ApiKey, ErrorCode } from '../protocol.js';

const GROUP = 0;
const TRANSACTION = 1;

export const findCoordinator: ApiDefinition = {
  apiKey: ApiKey.FindCoordinator,
  name: 'FindCoordinator',
  // v0 is what librdkafka's group features check for; librdkafka 2.0 and kafkajs use v2.
  minVersion: 0,
  maxVersion: 2,
  firstFlexibleVersion: 3,
  handle(request, version, broker) {
    request.string(); // coordinator key: any group or transactional id maps here
    const keyType = version >= 1 ? request.int8() : GROUP;
    const known = keyType === GROUP || keyType === TRANSACTION;
    const { host, port } = broker.advertised;
    const body = responseWriter(request);
    if (version >= 1) body.int32(0); // throttle_time_ms
    body.int16(known ? ErrorCode.NONE : ErrorCode.INVALID_REQUEST);
    if (version >= 1) body.string(known ? null : `unknown coordinator key type ${keyType}`);
    return body
      .int32(known ? broker.nodeId : -1)
      .string(known ? host : '')
      .int32(known ? port : -1);
  },
};
