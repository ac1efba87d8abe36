/**
 * Test Kafka broker: ApiVersions v0–2. Clients pick min(their best, our max) per API, so this list
 * must name only versions the handlers really implement; it never advertises an API we lack.
 */
import { Writer } from '../codec.js';
import type { ApiDefinition, BrokerState } from '../api.js';
import { ApiKey, ErrorCode } from '../protocol.js';

/** The body of an ApiVersions answer; v0 is also what a client gets for a version we do not know. */
export function apiVersionsBody(broker: BrokerState, version: number, errorCode: number = ErrorCode.NONE): Writer {
  const body = new Writer()
    .int16(errorCode)
    .array(broker.apis, (w, api) => w.int16(api.apiKey).int16(api.minVersion).int16(api.maxVersion));
  if (version >= 1) body.int32(0); // throttle_time_ms
  return body;
}

export const apiVersions: ApiDefinition = {
  apiKey: ApiKey.ApiVersions,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 2,
  handle: (_request, version, broker) => apiVersionsBody(broker, version),
};
