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

/**
 * Work a stage does on a schedule rather than per input (e.g. the aggregator's join deadline).
 *
 * A timer's records have no input offset behind them, so nothing redelivers them when their send
 * fails: the stage's own state is the only copy. Hence the two-step contract. `fire()` offers
 * records and must not record them as published; `onPublished()` is where the stage records that,
 * and the runner calls it only once the transport has acknowledged them. A firing whose send
 * finally fails gets no call, and the next firing must offer the same records again, with the same
 * content and ids, so downstream consumers can treat a duplicate as one.
 */
export interface StageTimer {
  everyMs: number;
  /**
   * Records to publish now (e.g. posts whose join deadline has passed). Called again after a failed
   * send, so it must re-offer whatever was not acknowledged, and must be safe to call repeatedly.
   */
  fire(ctx: StageContext): Promise<OutboundRecord[]>;
  /**
   * The records of one firing (the array fire() returned) are acknowledged by the transport: record
   * them as published. Called at most once per firing, after its send succeeded; never when fire()
   * returned nothing or the send failed. If it throws, the runner only logs it: the stage, having
   * recorded nothing, offers the records again at the next firing, a duplicate with the same ids
   * rather than a loss. The runner calls it even while stopping (ctx.signal aborted): the records
   * are already out, and the stage should still record them.
   */
  onPublished?(records: readonly OutboundRecord[], ctx: StageContext): Promise<void>;
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
