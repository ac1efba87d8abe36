/**
 * How stages reach each other: the transport choice (MEDIA_AI_TRANSPORT), the Kafka client and
 * consumer settings (KAFKA_*), the schema registry, the partition count the intermediate topics
 * share, and how the stream runner consumes on any transport (batch size, retries per record).
 * Must never connect to anything; it only describes the connection.
 */
import { z } from 'zod';
import { TOPICS } from '@media-ai/contracts';
import { crossFieldIssue, integer, list, oneOf, text, url } from './env-fields.js';

export const TRANSPORTS = ['inprocess', 'kafka'] as const;
export type TransportKind = (typeof TRANSPORTS)[number];

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];

export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

export interface SchemaRegistrySettings {
  url: string;
  username?: string;
  password?: string;
}

/** The stream runner's retries of one record (its RetryPolicy), on any transport. */
export interface StageRetrySettings {
  /** MEDIA_AI_STAGE_MAX_ATTEMPTS: attempts per record, the first included; then it is dead-lettered. */
  maxAttempts: number;
  /** KAFKA_RETRY_BACKOFF_MS: ceiling of the first wait; it doubles per retry (full jitter, libs/retry). */
  initialDelayMs: number;
  /** KAFKA_RETRY_BACKOFF_MAX_MS: cap on any wait's ceiling. */
  maxDelayMs: number;
}

export interface KafkaSettings {
  transport: TransportKind;
  /** Shared by every intermediate topic so the aggregator's join is co-partitioned. */
  partitions: number;
  bootstrapServers: string[];
  securityProtocol: SecurityProtocol;
  /** Present only when the protocol is SASL_*. */
  sasl?: { mechanism: SaslMechanism; username: string; password: string };
  consumerGroupId: string;
  consumerTopics: string[];
  postEnhancedTopic: string;
  autoOffsetReset: 'earliest' | 'latest';
  maxPollRecords: number;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  fetchMinBytes: number;
  fetchMaxWaitMs: number;
  maxPartitionFetchBytes: number;
  stageRetry: StageRetrySettings;
  requestTimeoutMs: number;
  reconnectBackoffMs: number;
  reconnectBackoffMaxMs: number;
  schemaRegistry?: SchemaRegistrySettings;
}

const HOUR_MS = 3_600_000;

export const kafkaSchema = z
  .object({
    MEDIA_AI_TRANSPORT: oneOf(TRANSPORTS),
    MEDIA_AI_PARTITIONS: integer(1, 10_000),
    KAFKA_BOOTSTRAP_SERVERS: list('host:port pairs', (s) => /^[^\s:/]+:\d{1,5}$/.test(s)),
    KAFKA_SECURITY_PROTOCOL: oneOf(SECURITY_PROTOCOLS),
    KAFKA_SASL_MECHANISM: oneOf(SASL_MECHANISMS),
    KAFKA_SASL_USERNAME: text({ secret: true }),
    KAFKA_SASL_PASSWORD: text({ secret: true }),
    KAFKA_CONSUMER_GROUP_ID: text(),
    KAFKA_CONSUMER_TOPICS: list('topic names'),
    KAFKA_POST_ENHANCED_TOPIC: text(),
    KAFKA_AUTO_OFFSET_RESET: oneOf(['earliest', 'latest'] as const),
    KAFKA_MAX_POLL_RECORDS: integer(1, 100_000),
    KAFKA_SESSION_TIMEOUT_MS: integer(1_000, HOUR_MS),
    KAFKA_HEARTBEAT_INTERVAL_MS: integer(100, HOUR_MS),
    KAFKA_FETCH_MIN_BYTES: integer(1, 100 * 1024 * 1024),
    KAFKA_FETCH_MAX_WAIT_MS: integer(0, 60_000),
    KAFKA_MAX_PARTITION_FETCH_BYTES: integer(1024, 1024 * 1024 * 1024),
    KAFKA_RETRY_BACKOFF_MS: integer(0, HOUR_MS),
    KAFKA_RETRY_BACKOFF_MAX_MS: integer(0, HOUR_MS),
    MEDIA_AI_STAGE_MAX_ATTEMPTS: integer(1, 100),
    KAFKA_REQUEST_TIMEOUT_MS: integer(100, HOUR_MS),
    KAFKA_RECONNECT_BACKOFF_MS: integer(0, HOUR_MS),
    KAFKA_RECONNECT_BACKOFF_MAX_MS: integer(0, HOUR_MS),
    SCHEMA_REGISTRY_URL: url(['http:', 'https:']),
    SCHEMA_REGISTRY_USERNAME: text({ secret: true }),
    SCHEMA_REGISTRY_PASSWORD: text({ secret: true }),
  })
  .superRefine((env, ctx) => {
    const session = env.KAFKA_SESSION_TIMEOUT_MS ?? 30_000;
    const heartbeat = env.KAFKA_HEARTBEAT_INTERVAL_MS ?? 10_000;
    // The broker evicts a member that misses heartbeats for a whole session: a heartbeat
    // interval at or above the session timeout makes every consumer flap.
    if (heartbeat >= session) {
      crossFieldIssue(ctx, 'KAFKA_HEARTBEAT_INTERVAL_MS', `expected less than KAFKA_SESSION_TIMEOUT_MS (${session}), got ${heartbeat}`);
    }
    const backoff = env.KAFKA_RECONNECT_BACKOFF_MS ?? 50;
    const backoffMax = env.KAFKA_RECONNECT_BACKOFF_MAX_MS ?? 1000;
    if (backoffMax < backoff) {
      crossFieldIssue(
        ctx,
        'KAFKA_RECONNECT_BACKOFF_MAX_MS',
        `expected at least KAFKA_RECONNECT_BACKOFF_MS (${backoff}), got ${backoffMax}`,
      );
    }
    // Only an explicit cap is checked: the default cap (10 s) has always clipped a larger initial
    // delay, and a configuration that relied on that keeps starting.
    const retryBackoff = env.KAFKA_RETRY_BACKOFF_MS ?? 1000;
    if (env.KAFKA_RETRY_BACKOFF_MAX_MS !== undefined && env.KAFKA_RETRY_BACKOFF_MAX_MS < retryBackoff) {
      crossFieldIssue(
        ctx,
        'KAFKA_RETRY_BACKOFF_MAX_MS',
        `expected at least KAFKA_RETRY_BACKOFF_MS (${retryBackoff}), got ${env.KAFKA_RETRY_BACKOFF_MAX_MS}`,
      );
    }
    const protocol = env.KAFKA_SECURITY_PROTOCOL ?? 'PLAINTEXT';
    // Only a Kafka transport talks to brokers; the embedded default must start with no credentials.
    if (env.MEDIA_AI_TRANSPORT === 'kafka' && protocol.startsWith('SASL_')) {
      for (const variable of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const) {
        if (env[variable] === undefined)
          crossFieldIssue(ctx, variable, `required when KAFKA_SECURITY_PROTOCOL is ${protocol}, got nothing`);
      }
    }
    // Stages in separate processes must agree on schema ids: only a shared registry gives them that.
    if (env.MEDIA_AI_TRANSPORT === 'kafka' && env.SCHEMA_REGISTRY_URL === undefined) {
      crossFieldIssue(ctx, 'SCHEMA_REGISTRY_URL', 'required when MEDIA_AI_TRANSPORT is kafka, got nothing');
    }
    if (env.SCHEMA_REGISTRY_USERNAME !== undefined && env.SCHEMA_REGISTRY_PASSWORD === undefined) {
      crossFieldIssue(ctx, 'SCHEMA_REGISTRY_PASSWORD', 'required when SCHEMA_REGISTRY_USERNAME is set, got nothing');
    }
  })
  .transform((env): KafkaSettings => {
    const securityProtocol = env.KAFKA_SECURITY_PROTOCOL ?? 'PLAINTEXT';
    const sasl =
      securityProtocol.startsWith('SASL_') && env.KAFKA_SASL_USERNAME !== undefined && env.KAFKA_SASL_PASSWORD !== undefined
        ? { mechanism: env.KAFKA_SASL_MECHANISM ?? 'PLAIN', username: env.KAFKA_SASL_USERNAME, password: env.KAFKA_SASL_PASSWORD }
        : undefined;
    const schemaRegistry: SchemaRegistrySettings | undefined = env.SCHEMA_REGISTRY_URL
      ? {
          url: env.SCHEMA_REGISTRY_URL.toString(),
          ...(env.SCHEMA_REGISTRY_USERNAME !== undefined ? { username: env.SCHEMA_REGISTRY_USERNAME } : {}),
          ...(env.SCHEMA_REGISTRY_PASSWORD !== undefined ? { password: env.SCHEMA_REGISTRY_PASSWORD } : {}),
        }
      : undefined;
    return {
      transport: env.MEDIA_AI_TRANSPORT ?? 'inprocess',
      partitions: env.MEDIA_AI_PARTITIONS ?? 6,
      bootstrapServers: env.KAFKA_BOOTSTRAP_SERVERS ?? ['localhost:9092'],
      securityProtocol,
      ...(sasl ? { sasl } : {}),
      consumerGroupId: env.KAFKA_CONSUMER_GROUP_ID ?? 'fn-media-ai',
      consumerTopics: env.KAFKA_CONSUMER_TOPICS ?? [TOPICS.postsEvents],
      postEnhancedTopic: env.KAFKA_POST_ENHANCED_TOPIC ?? TOPICS.enrichment,
      autoOffsetReset: env.KAFKA_AUTO_OFFSET_RESET ?? 'latest',
      maxPollRecords: env.KAFKA_MAX_POLL_RECORDS ?? 50,
      sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS ?? 30_000,
      heartbeatIntervalMs: env.KAFKA_HEARTBEAT_INTERVAL_MS ?? 10_000,
      fetchMinBytes: env.KAFKA_FETCH_MIN_BYTES ?? 1024,
      fetchMaxWaitMs: env.KAFKA_FETCH_MAX_WAIT_MS ?? 500,
      maxPartitionFetchBytes: env.KAFKA_MAX_PARTITION_FETCH_BYTES ?? 1_048_576,
      stageRetry: {
        maxAttempts: env.MEDIA_AI_STAGE_MAX_ATTEMPTS ?? 3,
        initialDelayMs: env.KAFKA_RETRY_BACKOFF_MS ?? 1000,
        maxDelayMs: env.KAFKA_RETRY_BACKOFF_MAX_MS ?? 10_000,
      },
      requestTimeoutMs: env.KAFKA_REQUEST_TIMEOUT_MS ?? 30_000,
      reconnectBackoffMs: env.KAFKA_RECONNECT_BACKOFF_MS ?? 50,
      reconnectBackoffMaxMs: env.KAFKA_RECONNECT_BACKOFF_MAX_MS ?? 1000,
      ...(schemaRegistry ? { schemaRegistry } : {}),
    };
  });
