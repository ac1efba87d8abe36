/**
 * Test Kafka broker: SaslHandshake v1 and SaslAuthenticate v1 with the PLAIN mechanism only
 * (username and password from the broker options), enough for clients configured with
 * `sasl: { mechanism: 'plain' }`. It never accepts a mechanism it cannot check, and a broker started
 * without credentials refuses every handshake, like a PLAINTEXT listener.
 */
import { Writer } from '../codec.js';
import type { ApiDefinition } from '../api.js';
import { ApiKey, ErrorCode } from '../protocol.js';

const PLAIN = 'PLAIN';

export const saslHandshake: ApiDefinition = {
  apiKey: ApiKey.SaslHandshake,
  name: 'SaslHandshake',
  minVersion: 1,
  maxVersion: 1,
  firstFlexibleVersion: null,
  handle(request, _version, broker, context) {
    const mechanism = request.string();
    const enabled = broker.sasl ? [PLAIN] : [];
    const accepted = enabled.includes(mechanism.toUpperCase());
    if (accepted) context.sasl.mechanism = PLAIN;
    return new Writer().int16(accepted ? ErrorCode.NONE : ErrorCode.UNSUPPORTED_SASL_MECHANISM).array(enabled, (w, name) => w.string(name));
  },
};

export const saslAuthenticate: ApiDefinition = {
  apiKey: ApiKey.SaslAuthenticate,
  name: 'SaslAuthenticate',
  minVersion: 1,
  maxVersion: 1,
  firstFlexibleVersion: 2,
  handle(request, _version, broker, context) {
    const authBytes = request.bytes();
    const answer = (errorCode: number, message: string | null) =>
      new Writer().int16(errorCode).string(message).bytes(Buffer.alloc(0)).int64(0); // session lifetime 0: never re-authenticate
    if (context.sasl.mechanism !== PLAIN || !broker.sasl) {
      return answer(ErrorCode.ILLEGAL_SASL_STATE, 'SaslAuthenticate before a successful SaslHandshake');
    }
    // RFC 4616: [authorization id] NUL authentication id NUL password
    const [, username, password] = authBytes.toString('utf8').split('\0');
    if (username !== broker.sasl.username || password !== broker.sasl.password) {
      return answer(ErrorCode.SASL_AUTHENTICATION_FAILED, 'Authentication failed: Invalid username or password');
    }
    context.sasl.authenticated = true;
    return answer(ErrorCode.NONE, null);
  },
};
