/**
 * The runner's eachBatch: decode, handle (retrying what can be retried), publish outputs and
 * dead letters in one send, and only then resolve and commit the batch's offsets. It speaks only
 * the Transport contract (a kafkajs eachBatch payload fits it), so every transport gets the same
 * semantics.
 *
 * It must never resolve an offset before the records produced from it are acknowledged, never let
 * one bad record block its partition (it is dead-lettered and the partition moves on), never
 * dead-letter an infrastructure outage (it blocks the partition instead, retrying with capped
 * backoff), and never swallow a failure to publish (the batch fails and is redelivered: at-least-once).
 *
 * Tracing: each input gets one consumer span (see record-span.ts), a child of the trace context it
 * arrived with; the stage handles it inside that span (so model, download and API spans nest under
 * it), and its outputs carry that span's context, so the next stage continues the same trace. With
 * no tracing SDK the spans are the API's no-ops and the input's trace headers pass through.
 */
import { context as contextApi, type Context } from '@opentelemetry/api';
import { HEADERS, MediaAiError, toMediaAiError } from '@media-ai/contracts';
import { backoffDelayMs, sleep } from '@media-ai/retry';
import { mapBounded } from './bounded-map.js';
import { deadLetterRecord } from './dead-letter.js';
import { encodeOutputs } from './encode-outputs.js';
import { endRecordSpan, noteFailedAttempt, startRecordSpan, withBatchSpan } from './record-span.js';
import { HEARTBEAT_INTERVAL_MS, type RetryPolicy, type StageEvent, type StageLogger } from './runner-options.js';
import type { Codecs, InboundRecord, OutboundRecord, Stage, StageContext } from './stage.js';
import type { BatchControl, ProducerRecord, RawBatch, RawMessage } from './transport.js';

export interface BatchSettings {
  codecs: Codecs;
  deadLetterTopic: string;
  retry: RetryPolicy;
  transport: { send(records: ProducerRecord[]): Promise<void> };
  logger: StageLogger;
  emit: (event: StageEvent) => void;
  signal: AbortSignal;
  random: () => number;
}

/** One input message on its way through the attempts. */
interface Item<In> {
  message: RawMessage;
  /** The context holding this input's consumer span: its handling runs in it, its outputs carry it. */
  trace: Context;
  record?: InboundRecord<In>;
  /** Encoded outputs, once an attempt succeeded. */
  outputs?: ProducerRecord[];
  /** The stage's records behind `outputs` (outputs and onGiveUp's), for the 'published' events. */
  published?: Array<{ record: OutboundRecord; headers: ProducerRecord['headers'] }>;
  error?: MediaAiError;
  /** How long the stage took to handle it in the attempt that succeeded (its batch's call, batched). */
  handleMs?: number;
  attempts: number;
  gaveUp: boolean;
}

export function createBatchHandler<In>(
  stage: Stage<In>,
  settings: BatchSettings,
): (batch: RawBatch, control: BatchControl) => Promise<void> {
  const { codecs, retry, logger, emit, signal } = settings;
  const ctx: StageContext = { signal };
  const stopping = (control: BatchControl): boolean => signal.aborted || !control.isRunning();

  return async function eachBatch(batch, control) {
    const started = performance.now();
    const where = { stage: stage.name, topic: batch.topic, partition: batch.partition };
    const items: Item<In>[] = batch.messages.map((message) => ({
      message,
      trace: startRecordSpan(stage.name, batch, message),
      attempts: 0,
      gaveUp: false,
    }));
    // Every span ends once, with how its input's batch ended (published, dead-lettered or not at all).
    let outcome: 'committed' | 'failed' | 'abandoned' = 'failed';
    emit({ type: 'batch-received', ...where, size: items.length, firstOffset: batch.messages[0]?.offset ?? '' });
    const batchEvent = (ended: 'committed' | 'failed' | 'abandoned'): void => {
      outcome = ended;
      emit({ type: 'batch', ...where, size: items.length, durationMs: performance.now() - started, outcome: ended });
    };

    try {
      let pending = items;
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > 1) {
          await waitWithHeartbeats(backoffDelayMs(attempt - 1, retry, settings.random), control, signal);
          // Stopping mid-retry: leave the whole batch uncommitted (nothing of it was published);
          // it is redone after restart. A first attempt always runs to the end instead.
          if (stopping(control)) {
            batchEvent('abandoned');
            return;
          }
        }
        await runAttempt(pending, attempt, batch, control);
        for (const item of pending) {
          if (!item.error) continue;
          // An outage (Redis, blob store down) is not the record's fault: dead-lettering it would
          // lose good input, so it is retried until the dependency is back or the stage stops.
          const willRetry = item.error.outage || (item.error.retryable && attempt < retry.maxAttempts);
          emit({ type: 'failed', ...where, offset: item.message.offset, code: item.error.code, attempt, willRetry });
          noteFailedAttempt(item.trace, item.error, attempt, willRetry);
          logger.warn(
            { ...where, offset: item.message.offset, code: item.error.code, attempt, willRetry, err: item.error.message },
            'record failed',
          );
          if (!willRetry) item.gaveUp = true;
        }
        pending = pending.filter((item) => !item.outputs && !item.gaveUp);
        await control.heartbeat();
      }

      // A rebalance gave the partition to another member, which will redo the batch: publishing
      // now would only duplicate its work.
      if (control.isStale()) {
        batchEvent('abandoned');
        return;
      }

      const out: ProducerRecord[] = [];
      for (const item of items) {
        if (item.outputs) out.push(...item.outputs);
        else out.push(...(await giveUpRecords(item, batch)));
      }
      if (out.length > 0) await settings.transport.send(out);

      // Commit-after-ack: offsets move only now that everything produced from them is acknowledged.
      for (const item of items) control.resolveOffset(item.message.offset);
      await control.commitOffsetsIfNecessary();

      for (const item of items) {
        const offset = item.message.offset;
        if (item.outputs) {
          const correlationId = item.message.headers[HEADERS.correlationId];
          emit({
            type: 'processed',
            ...where,
            offset,
            key: item.message.key,
            ...(correlationId ? { correlationId } : {}),
            attempts: item.attempts,
            outputs: item.outputs.length,
            durationMs: item.handleMs ?? 0,
          });
        } else emit({ type: 'dead-lettered', ...where, offset, code: item.error!.code, attempts: item.attempts });
        for (const { record, headers } of item.published ?? []) {
          emit({
            type: 'published',
            stage: stage.name,
            topic: record.topic,
            key: record.key,
            value: record.value,
            headers: headers ?? {},
            from: 'record',
          });
        }
      }
      batchEvent('committed');
    } catch (error) {
      batchEvent('failed');
      logger.error({ ...where, size: items.length, err: toMediaAiError(error).message }, 'batch failed; it will be redelivered');
      throw error;
    } finally {
      for (const item of items) endRecordSpan(item.trace, item, outcome);
    }
  };

  /** One attempt over the pending items: decode what is not decoded yet, then handle. */
  async function runAttempt(pending: Item<In>[], attempt: number, batch: RawBatch, control: BatchControl): Promise<void> {
    const codec = codecs.forTopic(batch.topic);
    for (const item of pending) {
      item.attempts = attempt;
      item.error = undefined;
      if (item.record) continue;
      try {
        item.record = toInbound<In>(batch, item.message, (await codec.decode(item.message.value)) as In);
      } catch (error) {
        item.error = decodeFailure(error, batch.topic);
      }
    }
    const ready = pending.filter((item) => item.record && !item.error);
    if (ready.length === 0) return;

    if (stage.handleBatch) {
      let results: Array<OutboundRecord[] | Error>;
      const handleStarted = performance.now();
      try {
        const records = ready.map((item) => item.record!);
        results = await withBatchSpan(
          stage.name,
          ready.map((item) => item.trace),
          () => stage.handleBatch!(records, ctx),
        );
        if (!Array.isArray(results) || results.length !== ready.length) {
          throw new MediaAiError(
            'MEDIA_AI_INTERNAL',
            `${stage.name}.handleBatch returned ${Array.isArray(results) ? results.length : 'no'} results for ${ready.length} records`,
          );
        }
      } catch (error) {
        // The whole call failed: every record in it shares the failure.
        results = ready.map(() => toMediaAiError(error));
      }
      const handleMs = performance.now() - handleStarted;
      await Promise.all(ready.map((item, i) => settle(item, results[i]!, handleMs)));
      return;
    }

    await mapBounded(ready, stage.concurrency ?? 1, async (item) => {
      let result: OutboundRecord[] | Error;
      const handleStarted = performance.now();
      try {
        result = await contextApi.with(item.trace, () => stage.handle(item.record!, ctx));
      } catch (error) {
        result = toMediaAiError(error);
      }
      await settle(item, result, performance.now() - handleStarted);
      // Between records, so a long batch never outlives the session timeout.
      await control.heartbeat();
    });
  }

  /** Records an attempt's result on the item: encoded outputs, or the error. */
  async function settle(item: Item<In>, result: OutboundRecord[] | Error, handleMs: number): Promise<void> {
    if (result instanceof Error) {
      item.error = toMediaAiError(result);
      return;
    }
    item.handleMs = handleMs;
    try {
      // Encoding is part of the attempt: an output that does not fit its schema fails its input.
      item.outputs = await encodeOutputs(codecs, result, item.message.headers, item.trace);
      item.published = result.map((record, i) => ({ record, headers: item.outputs![i]!.headers }));
    } catch (error) {
      item.error = toMediaAiError(error);
    }
  }

  /** The dead-letter copy of a given-up item, plus what stage.onGiveUp wants published. */
  async function giveUpRecords(item: Item<In>, batch: RawBatch): Promise<ProducerRecord[]> {
    const error = item.error!;
    const out = [
      deadLetterRecord(
        settings.deadLetterTopic,
        { topic: batch.topic, partition: batch.partition, message: item.message },
        { stage: stage.name, error, attempts: item.attempts },
      ),
    ];
    // onGiveUp needs the decoded record; an undecodable input only gets its dead-letter copy.
    if (item.record && stage.onGiveUp) {
      try {
        const records = contextApi.with(item.trace, () => stage.onGiveUp!(item.record!, error));
        const encoded = await encodeOutputs(codecs, records, item.message.headers, item.trace);
        out.push(...encoded);
        item.published = records.map((record, i) => ({ record, headers: encoded[i]!.headers }));
      } catch (hookError) {
        // The dead letter still goes out: a broken hook must not block the partition.
        logger.error(
          { stage: stage.name, topic: batch.topic, offset: item.message.offset, err: toMediaAiError(hookError).message },
          'onGiveUp failed',
        );
      }
    }
    return out;
  }
}

function toInbound<In>(batch: RawBatch, message: RawMessage, value: In): InboundRecord<In> {
  return {
    topic: batch.topic,
    partition: batch.partition,
    offset: message.offset,
    key: message.key,
    value,
    headers: message.headers,
    timestamp: message.timestamp,
  };
}

/** A codec that says why (a MediaAiError: unknown schema, registry timeout) is believed; anything else is a bad record. */
function decodeFailure(error: unknown, topic: string): MediaAiError {
  if (error instanceof MediaAiError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new MediaAiError('MEDIA_AI_BAD_RECORD', `Cannot decode a ${topic} record: ${reason}`, { cause: error });
}

async function waitWithHeartbeats(ms: number, control: BatchControl, signal: AbortSignal): Promise<void> {
  const until = Date.now() + ms;
  for (let left = ms; left > 0 && !signal.aborted && control.isRunning(); left = until - Date.now()) {
    await sleep(Math.min(left, HEARTBEAT_INTERVAL_MS), signal);
    await control.heartbeat();
  }
}
