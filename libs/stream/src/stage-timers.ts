/**
 * Runs a stage's timers (e.g. the aggregator's join deadline): each fires every `everyMs` after
 * the previous firing finished (fixed delay, so a slow firing never piles up behind itself), and
 * its records are encoded and sent like batch outputs, retrying a failed send per the retry policy.
 * Once the transport acknowledged a firing's records it hands them back to `timer.onPublished`.
 * It never runs two firings of one timer at once, never fires again once stopped, and never calls
 * onPublished for records the transport did not acknowledge (that would lose them: see StageTimer).
 * A firing has no input, so its records carry only the headers the stage gave them (a stage that
 * joins records may put the trace context of its own publish span there).
 */
import { toMediaAiError } from '@media-ai/contracts';
import { backoffDelayMs, sleep } from '@media-ai/retry';
import { encodeOutputs } from './encode-outputs.js';
import type { RetryPolicy, StageEvent, StageLogger } from './runner-options.js';
import type { Codecs, OutboundRecord, Stage, StageTimer } from './stage.js';
import type { Transport } from './transport.js';

export interface TimerSettings {
  codecs: Codecs;
  transport: Pick<Transport, 'send'>;
  retry: RetryPolicy;
  logger: StageLogger;
  emit: (event: StageEvent) => void;
  signal: AbortSignal;
  random: () => number;
}

export interface RunningTimers {
  /** Cancels pending firings and waits for those in progress. Idempotent. */
  stop(): Promise<void>;
}

export function startTimers(stage: Pick<Stage, 'name' | 'timers'>, settings: TimerSettings): RunningTimers {
  let stopped = false;
  const handles = new Set<NodeJS.Timeout>();
  const firing = new Set<Promise<void>>();

  const schedule = (timer: StageTimer): void => {
    if (stopped) return;
    const handle = setTimeout(() => {
      handles.delete(handle);
      const run = fire(timer).finally(() => {
        firing.delete(run);
        schedule(timer);
      });
      firing.add(run);
    }, timer.everyMs);
    handles.add(handle);
  };

  const fire = async (timer: StageTimer): Promise<void> => {
    const started = performance.now();
    let records = 0;
    const ctx = { signal: settings.signal };
    let outputs: OutboundRecord[];
    let encoded: Awaited<ReturnType<typeof encodeOutputs>> = [];
    try {
      outputs = await timer.fire(ctx);
      records = outputs.length;
      if (records > 0) {
        encoded = await encodeOutputs(settings.codecs, outputs, {});
        await sendWithRetry(encoded);
      }
    } catch (error) {
      // Nothing to redeliver here and nothing acknowledged: the stage's state still holds what it
      // wanted published (onPublished was not called), and the next firing offers it again.
      settings.emit({ type: 'timer', stage: stage.name, records, durationMs: performance.now() - started, outcome: 'failed' });
      settings.logger.error({ stage: stage.name, records, err: toMediaAiError(error).message }, 'timer firing failed');
      return;
    }
    // The records are out whatever onPublished does next, so the firing counts as published.
    settings.emit({ type: 'timer', stage: stage.name, records, durationMs: performance.now() - started, outcome: 'published' });
    outputs.forEach((record, i) => {
      settings.emit({
        type: 'published',
        stage: stage.name,
        topic: record.topic,
        key: record.key,
        value: record.value,
        headers: encoded[i]?.headers ?? {},
        from: 'timer',
      });
    });
    if (records === 0 || !timer.onPublished) return;
    try {
      await timer.onPublished(outputs, ctx);
    } catch (error) {
      // The stage did not record the publication, so it will offer the same records again: a
      // duplicate (same ids) downstream, which at-least-once delivery allows; a loss it does not.
      settings.logger.error(
        { stage: stage.name, records, err: toMediaAiError(error).message },
        'timer acknowledgement failed; the records will be offered again',
      );
    }
  };

  const sendWithRetry = async (records: Parameters<Transport['send']>[0]): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await settings.transport.send(records);
        return;
      } catch (error) {
        if (!toMediaAiError(error).retryable || attempt >= settings.retry.maxAttempts || settings.signal.aborted) throw error;
        await sleep(backoffDelayMs(attempt, settings.retry, settings.random), settings.signal);
      }
    }
  };

  const timers = stage.timers ?? [];
  // All checked before any is scheduled, so a bad one leaves nothing running behind the throw.
  for (const timer of timers) {
    if (!(timer.everyMs > 0)) throw new RangeError(`${stage.name}: a timer needs everyMs > 0, got ${timer.everyMs}`);
  }
  for (const timer of timers) schedule(timer);

  let stopping: Promise<void> | null = null;
  return {
    stop() {
      stopping ??= (async () => {
        stopped = true;
        for (const handle of handles) clearTimeout(handle);
        handles.clear();
        await Promise.all(firing);
      })();
      return stopping;
    },
  };
}
