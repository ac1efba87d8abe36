/**
 * The Stage contract. A stage is pure processing logic: it receives decoded records and returns
 * the records it wants published. It never imports a transport, never encodes bytes, never commits:
 * the runner does that, the same way on every transport.
 */
import type { Headers } from './transport.js';
export type { Codec, Codecs } from '@media-ai/contracts';

export interface InboundRecord<T = unknown> {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: T;
  headers: Headers;
  timestamp: number;
}

export interface OutboundRecord<T = unknown> {
  topic: string;
  /** Post id. */
  key: string;
  value: T;
  /** Merged over the input's propagated headers (correlation id, trace context). */
  headers?: Headers;
}

export interface StageContext {
  /** Aborted when the runner is stopping. */
  signal: AbortSignal;
}

export interface StageTimer {
  everyMs: number;
  /** Records to publish now (e.g. posts whose join deadline has passed). */
  fire(ctx: StageContext): Promise<OutboundRecord[]>;
}

export interface Stage<In = unknown> {
  /** Short stage name: fetcher, detector, ocr, llm, aggregator. Also the consumer group suffix. */
  readonly name: string;
  readonly inputs: readonly string[];
  /** Most records handed to handleBatch at once (default: the runner's). */
  readonly maxBatchSize?: number;
  /** Most records of one batch handled at the same time when there is no handleBatch (default 1). */
  readonly concurrency?: number;

  /** Loads models, opens pools. Readiness waits for it. */
  start?(): Promise<void>;
  stop?(): Promise<void>;

  /** One record in, the records to publish out. Throw a MediaAiError to fail it. */
  handle(record: InboundRecord<In>, ctx: StageContext): Promise<OutboundRecord[]>;

  /**
   * Optional batched form (dynamic batching on the detector): one result per input, in order,
   * either its outputs or the Error that failed it alone.
   */
  handleBatch?(records: InboundRecord<In>[], ctx: StageContext): Promise<Array<OutboundRecord[] | Error>>;

  /**
   * Records to publish when an input is given up on (non-retryable, or retries exhausted), besides
   * the dead-letter copy: e.g. a failed part so the aggregator does not wait for it.
   */
  onGiveUp?(record: InboundRecord<In>, error: Error): OutboundRecord[];

  readonly timers?: readonly StageTimer[];
}
