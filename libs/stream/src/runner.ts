/**
 * runStage: puts a Stage on a Transport. Starts the stage, subscribes its consumer group to its
 * inputs with the batch handler (decode, handle with retries, publish, then commit), runs its
 * timers, and stops all of it in order. Transport-agnostic: it uses only the Transport contract,
 * so the in-process and the Kafka transport run the same stage code the same way.
 * It never reads configuration (options come in typed) and never imports a concrete transport.
 */
import { createBatchHandler } from './process-batch.js';
import {
  DEFAULT_MAX_BATCH_SIZE,
  DEFAULT_RETRY,
  SILENT_LOGGER,
  type RunStageOptions,
  type RunningStage,
  type StageEvent,
} from './runner-options.js';
import type { Stage } from './stage.js';
import { startTimers } from './stage-timers.js';

export async function runStage<In>(stage: Stage<In>, options: RunStageOptions): Promise<RunningStage> {
  const retry = options.retry ?? DEFAULT_RETRY;
  if (!Number.isInteger(retry.maxAttempts) || retry.maxAttempts < 1) {
    throw new RangeError(`retry.maxAttempts must be a positive integer, got ${retry.maxAttempts}`);
  }
  if (stage.inputs.includes(options.deadLetterTopic)) {
    // A stage reading its own dead letters would loop a poison record forever.
    throw new Error(`${stage.name} cannot consume its dead-letter topic ${options.deadLetterTopic}`);
  }
  const logger = options.logger ?? SILENT_LOGGER;
  const emit = (event: StageEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // Metrics must never change what is processed or committed.
    }
  };
  const random = options.random ?? Math.random;
  const abort = new AbortController();

  await stage.start?.();
  let subscription;
  try {
    subscription = await options.transport.subscribe({
      groupId: options.groupId,
      topics: [...stage.inputs],
      fromBeginning: options.fromBeginning ?? true,
      maxBatchSize: stage.maxBatchSize ?? options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
      eachBatch: createBatchHandler(stage, {
        codecs: options.codecs,
        deadLetterTopic: options.deadLetterTopic,
        retry,
        transport: options.transport,
        logger,
        emit,
        signal: abort.signal,
        random,
      }),
    });
  } catch (error) {
    await stage.stop?.();
    throw error;
  }
  let timers;
  try {
    timers = startTimers(stage, {
      codecs: options.codecs,
      transport: options.transport,
      retry,
      logger,
      emit,
      signal: abort.signal,
      random,
    });
  } catch (error) {
    await subscription.stop();
    await stage.stop?.();
    throw error;
  }
  logger.info({ stage: stage.name, groupId: options.groupId, inputs: stage.inputs }, 'stage started');

  let stopping: Promise<void> | null = null;
  return {
    name: stage.name,
    stop() {
      stopping ??= (async () => {
        // Abort first: retry waits end and handlers may cut long calls short; the batch in hand
        // then finishes (or is left uncommitted) and the subscription stop waits for it.
        abort.abort();
        try {
          await subscription.stop();
        } finally {
          await timers.stop();
          await stage.stop?.();
          logger.info({ stage: stage.name }, 'stage stopped');
        }
      })();
      return stopping;
    },
  };
}
