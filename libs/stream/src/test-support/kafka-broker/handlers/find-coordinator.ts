/**
 * Test Kafka broker: FindCoordinator v1 — this broker coordinates every group (and would every
 * transactional id, though transactions are refused elsewhere). It never answers NOT_COORDINATOR:
 * there is no other broker to send a client to.
 */
import { Writer } from '../codec.js';
import type { ApiDefinition } from '../api.js';
import { ApiKey, ErrorCode } from '../protocol.js';

const GROUP = 0;
const TRANSACTION = 1;

export const findCoordinator: ApiDefinition = {
  apiKey: ApiKey.FindCoordinator,
  name: 'FindCoordinator',
  minVersion: 1,
  maxVersion: 1,
  handle(request, _version, broker) {
    request.string(); // coordinator key: any group or transactional id maps here
    const keyType = request.int8();
    const known = keyType === GROUP || keyType === TRANSACTION;
    const { host, port } = broker.advertised;
    return new Writer()
      .int32(0) // throttle_time_ms
      .int16(known ? ErrorCode.NONE : ErrorCode.INVALID_REQUEST)
      .string(null)
      .int32(known ? broker.nodeId : -1)
      .string(known ? host : '')
      .int32(known ? port : -1);
  },
};
