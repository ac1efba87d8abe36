/**
 * What runStage needs and what it reports: options, the retry policy, the logger it writes to and
 * the events it emits for metrics. Types and defaults only; it must never hold runtime state or
 * read configuration from the environment (the config lib builds these options).
 */
import type { Codecs, ErrorCode } from '@media-ai/contracts';
import type { BackoffPolicy } from '@media-ai/retry';
import type { Headers, Transport } from './transport.js';

/** The least a logger must do; pino's methods fit as they are (fields first, message second). */
export interface StageLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface RetryPolicy extends BackoffPolicy {
  /**
   * Attempts per record, the first included; a retryable failure on the last one is given up on.
   * Outages (catalogue `outage: true`) are exempt: retried until they heal or the stage stops.
   */
  maxAttempts: number;
}

interface RecordEventBase {
  stage: string;
  topic: string;
  partition: number;
  offset: string;
}

/** What the runner reports for metrics. Emitted synchronously; a throwing hook is ignored. */
export type StageEvent =
  /** A batch was taken from the transport and is about to be handled (nothing of it is committed yet). */
  | { type: 'batch-received'; stage: string; topic: string; partition: number; size: number; firstOffset: string }
  /** One batch finished: committed, failed (it will be redelivered) or abandoned (stopping or stale). */
  | {
      type: 'batch';
      stage: string;
      topic: string;
      partition: number;
      size: number;
      durationMs: number;
      outcome: 'committed' | 'failed' | 'abandoned';
    }
  /** An input whose outputs were published and whose offset was committed. */
  /** durationMs: the stage's handling time in the successful attempt (the whole call when batched). */
  /** key: the record key (the post id); correlationId: its correlation-id header, when it has one. */
  | (RecordEventBase & {
      type: 'processed';
      key: string | null;
      correlationId?: string;
      attempts: number;
      outputs: number;
      durationMs: number;
    })
  /** One failed attempt of one input. */
  | (RecordEventBase & { type: 'failed'; code: ErrorCode; attempt: number; willRetry: boolean })
  /** An input given up on, now on the dead-letter topic. */
  | (RecordEventBase & { type: 'dead-lettered'; code: ErrorCode; attempts: number })
  /**
   * A record the stage produced (not a dead-letter copy), acknowledged by the transport: after its
   * input's batch committed (from 'record') or after a timer's send (from 'timer'). `value` is the
   * stage's object before encoding; handlers must only read it.
   */
  | { type: 'published'; stage: string; topic: string; key: string; value: unknown; headers: Headers; from: 'record' | 'timer' }
  /** One firing of a stage timer. */
  | { type: 'timer'; stage: string; records: number; durationMs: number; outcome: 'published' | 'failed' };

export interface RunStageOptions {
  transport: Transport;
  codecs: Codecs;
  /** Consumer group, e.g. 'fn-media-ai.detector'. */
  groupId: string;
  deadLetterTopic: string;
  /** Messages per batch unless the stage says otherwise (default 50, the guide's KAFKA_MAX_POLL_RECORDS). */
  maxBatchSize?: number;
  /** Default: 5 attempts, 1 s initial delay (the guide's KAFKA_RETRY_BACKOFF_MS), 30 s cap. */
  retry?: RetryPolicy;
  /** Where a group with no committed offset starts (default true: earliest). */
  fromBeginning?: boolean;
  /** Partitions with a batch in flight at once (default 1, as kafkajs). */
  partitionsConsumedConcurrently?: number;
  logger?: StageLogger;
  onEvent?: (event: StageEvent) => void;
  /** Jitter source (tests pin it). */
  random?: () => number;
}

export interface RunningStage {
  readonly name: string;
  /** Stops consuming (waiting for the batch in hand), stops timers, then calls stage.stop. Idempotent. */
  stop(): Promise<void>;
}

export const DEFAULT_MAX_BATCH_SIZE = 50;
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, initialDelayMs: 1_000, maxDelayMs: 30_000 };

/** kafkajs's default heartbeatInterval: long waits inside a batch heartbeat at least this often. */
export const HEARTBEAT_INTERVAL_MS = 3_000;

export const SILENT_LOGGER: StageLogger = { info() {}, warn() {}, error() {} };
