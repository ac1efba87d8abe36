/**
 * What /health/detailed and /health/ready mean for a stage service: each dependency with its
 * criticality. Kafka and the blob store are critical for every stage (no records, no photos);
 * Redis is critical where it holds join state and only the result cache elsewhere (its loss slows
 * things down); the schema registry is non-critical (records of schemas already seen still decode);
 * the stage reports its models with their versions; a fetcher that scans for malware is ready only
 * while clamd answers. Checks only: it never retries or repairs.
 */
import type { HealthRegistry } from '@media-ai/http';
import { redisReadiness } from '@media-ai/state';
import type { BlobStore } from '@media-ai/storage';
import type { Redis } from 'ioredis';
import type { CapabilityStatus } from './capability.js';

/** A blob key (sha256-shaped) that no photo has: the answer (no) proves the store answers us. */
const PROBE_KEY = '0'.repeat(64);

export function addBlobStoreCheck(health: HealthRegistry, blobs: BlobStore): void {
  health.addCheck({
    name: 'blob_store',
    critical: true,
    check: async () => {
      await blobs.has(PROBE_KEY);
      return { status: 'healthy', details: { location: blobs.describe() } };
    },
  });
}

/** Redis as the stage uses it; where it holds join state, it must also answer for the stage to be ready. */
export function addRedisChecks(health: HealthRegistry, redis: Redis | undefined, holdsJoinState: boolean): void {
  if (redis) {
    health.addCheck({
      name: 'redis',
      critical: holdsJoinState,
      check: async () => {
        const state = await redisReadiness(redis);
        return {
          status: state.ready ? 'healthy' : 'unhealthy',
          details: {
            role: holdsJoinState ? 'join state and result cache' : 'result cache',
            ...(state.reason ? { reason: state.reason } : {}),
          },
        };
      },
    });
  }
  if (holdsJoinState) {
    // Join state must survive restarts and rebalances: without Redis the service is not ready.
    health.addReadiness({
      name: 'state_store',
      check: () =>
        redis ? redisReadiness(redis) : { ready: false, reason: 'REDIS_URL is not set: the aggregator keeps join state in Redis' },
    });
  }
}

export interface RegistryProbe {
  url: string;
  getSchema(id: number): Promise<object>;
}

/** Fetches one of this release's own schemas: reachable, authorised, and still holding what we write. */
export function addSchemaRegistryCheck(health: HealthRegistry, registry: RegistryProbe, schemaIds: Readonly<Record<string, number>>): void {
  const probeId = Object.values(schemaIds)[0];
  health.addCheck({
    name: 'schema_registry',
    critical: false,
    check: async () => {
      if (probeId !== undefined) await registry.getSchema(probeId);
      return { status: 'healthy', details: { url: registry.url, subjects: Object.keys(schemaIds).length } };
    },
  });
}

/** Ready only once the producer is connected and the consumer is in its group. */
export function addKafkaChecks(
  health: HealthRegistry,
  transport: { readonly connected: boolean },
  details: { brokers: readonly string[]; group: string },
): void {
  health.addReadiness({
    name: 'kafka',
    check: () =>
      transport.connected ? { ready: true } : { ready: false, reason: 'not connected to Kafka or not in its consumer group yet' },
  });
  health.addCheck({
    name: 'kafka',
    critical: true,
    check: async () => ({
      status: transport.connected ? 'healthy' : 'unhealthy',
      details: { brokers: [...details.brokers], group: details.group },
    }),
  });
}

/** The models this stage loaded, by name, with their versions (health/detailed's "models loaded"). */
export function addStageCheck(health: HealthRegistry, name: string, status: Pick<CapabilityStatus, 'reason' | 'versions'>): void {
  health.addCheck({
    name,
    critical: true,
    check: async () => ({
      status: status.reason ? 'degraded' : 'healthy',
      details: { models: Object.keys(status.versions), versions: status.versions, ...(status.reason ? { reason: status.reason } : {}) },
    }),
  });
}

/** What health asks of a malware scanner (@media-ai/clamav's PhotoScanner fits). */
export interface MalwareScannerProbe {
  describe(): string;
  readiness(): Promise<{ ready: boolean; reason?: string }>;
  version(): Promise<string>;
}

/**
 * Scanning is on: while clamd does not answer, no photo can pass, so the service is not ready (it
 * keeps running and its records wait) and unhealthy; details give clamd's address and its engine and
 * signature-database version.
 */
export function addMalwareScannerChecks(health: HealthRegistry, scanner: MalwareScannerProbe): void {
  health.addReadiness({ name: 'malware_scanner', check: () => scanner.readiness() });
  health.addCheck({
    name: 'malware_scanner',
    critical: true,
    check: async () => ({ status: 'healthy', details: { address: scanner.describe(), version: await scanner.version() } }),
  });
}
