/**
 * Test Kafka broker: what every API handler gets to work with — the broker's state, the request's
 * origin, the shape of a handler registration (API key, the versions it implements, where Kafka's
 * flexible versions start, the code) and the writer for its answer. No protocol logic: handlers live
 * in handlers/, the registry in apis.ts, the socket work in server.ts.
 */
import { Writer, type Reader } from './codec.js';
import type { GroupCoordinator } from './group-coordinator.js';
import type { OffsetStore } from './offsets.js';
import type { ProducerRegistry } from './producer-state.js';
import type { TopicStore } from './topics.js';

export interface BrokerState {
  readonly nodeId: number;
  readonly clusterId: string;
  /** Where clients are told to connect (Metadata, FindCoordinator); known once the server listens. */
  readonly advertised: { host: string; port: number };
  readonly topics: TopicStore;
  readonly groups: GroupCoordinator;
  readonly offsets: OffsetStore;
  readonly producers: ProducerRegistry;
  /** Every API with the versions this broker implements (ApiVersions advertises exactly these). */
  readonly apis: readonly ApiDefinition[];
  /** When set, every connection must authenticate with SASL/PLAIN and these credentials first. */
  readonly sasl: { username: string; password: string } | null;
}

/** Per-connection SASL progress: the mechanism agreed by SaslHandshake, then authentication. */
export interface SaslSession {
  mechanism: string | null;
  authenticated: boolean;
}

export interface RequestContext {
  clientId: string;
  clientHost: string;
  /** Aborted when the connection closes, so long waits (fetch long-poll) stop early. */
  signal: AbortSignal;
  sasl: SaslSession;
}

/** Returns the response body (without the correlation-id header), or null when the request expects none. */
export type ApiHandler = (
  request: Reader,
  version: number,
  broker: BrokerState,
  context: RequestContext,
) => Writer | null | Promise<Writer | null>;

export interface ApiDefinition {
  apiKey: number;
  name: string;
  minVersion: number;
  maxVersion: number;
  /**
   * First flexible version of this API in Kafka's message definitions (compact types, tagged fields,
   * request header v2, response header v1), whether or not this broker implements it yet; the
   * handler gets a Reader in flexible mode from that version on and must answer in the same mode.
   * null for an API Kafka never made flexible (SaslHandshake).
   */
  firstFlexibleVersion: number | null;
  handle: ApiHandler;
}

/** A response body writer in the request's mode (classic or flexible). */
export function responseWriter(request: Reader, initialSize?: number): Writer {
  return new Writer({ flexible: request.flexible, ...(initialSize === undefined ? {} : { initialSize }) });
}
