/**
 * Test Kafka broker: ApiVersions v0–3 (v3 is the first flexible version: the client names its software,
 * and the answer's array is compact, KIP-511). Clients pick min(their best, our max) per API, so this
 * list must name only versions the handlers really implement; it never advertises an API we lack.
 */
import { Writer } from '../codec.js';
import { responseWriter, type ApiDefinition, type BrokerState } from '../api.js';
import { ApiKey, ErrorCode } from '../protocol.js';

/** What Kafka accepts as client_software_name / _version (KIP-511); anything else is INVALID_REQUEST. */
const SOFTWARE_ID = /^[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?$/;

/** The body of an ApiVersions answer; v0 is also what a client gets for a version we do not know. */
export function apiVersionsBody(
  broker: BrokerState,
  version: number,
  errorCode: number = ErrorCode.NONE,
  body: Writer = new Writer(),
): Writer {
  body.int16(errorCode).array(broker.apis, (w, api) => w.int16(api.apiKey).int16(api.minVersion).int16(api.maxVersion).tags());
  if (version >= 1) body.int32(0); // throttle_time_ms
  return body.tags();
}

export const apiVersions: ApiDefinition = {
  apiKey: ApiKey.ApiVersions,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 3,
  firstFlexibleVersion: 3,
  handle(request, version, broker) {
    let errorCode: number = ErrorCode.NONE;
    if (version >= 3) {
      const software = [request.string(), request.string()];
      request.tags();
      if (!software.every((id) => SOFTWARE_ID.test(id))) errorCode = ErrorCode.INVALID_REQUEST;
    }
    return apiVersionsBody(broker, version, errorCode, responseWriter(request));
  },
};
