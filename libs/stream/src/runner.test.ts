import { HEADERS, MediaAiError } from '@media-ai/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { DLQ_DETAIL_HEADER_PREFIX } from './dead-letter.js';
import { InProcessTransport } from './in-process-transport.js';
import type { RunStageOptions, RunningStage, StageEvent } from './runner-options.js';
import { runStage } from './runner.js';
import type { InboundRecord, OutboundRecord, Stage } from './stage.js';
import { json, jsonCodecs, parse } from './test-support/json-codecs.js';
import { decorate, type TestTransport } from './test-support/decorated-transport.js';
import type { ProducerRecord } from './transport.js';

const DLQ = 'dlq';
let transport: TestTransport;
const running: RunningStage[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
  await transport?.close();
});

interface Msg {
  n: number;
  text?: string;
}

/** A tiny stage: echoes each input to `out` with its text upper-cased, unless `behaviour` says otherwise. */
function echoStage(overrides: Partial<Stage<Msg>> = {}): Stage<Msg> & { handled: Array<InboundRecord<Msg>> } {
  const handled: Array<InboundRecord<Msg>> = [];
  return {
    name: 'echo',
    inputs: ['in'],
    handled,
    async handle(record) {
      handled.push(record);
      return [{ topic: 'out', key: record.key ?? 'none', value: { n: record.value.n, text: record.value.text?.toUpperCase() } }];
    },
    ...overrides,
  };
}

async function run<In>(stage: Stage<In>, extra: Partial<RunStageOptions> = {}): Promise<{ events: StageEvent[]; stage: RunningStage }> {
  const events: StageEvent[] = [];
  const started = await runStage(stage, {
    transport,
    codecs: jsonCodecs,
    groupId: `fn-media-ai.${stage.name}`,
    deadLetterTopic: DLQ,
    retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 4 },
    onEvent: (e) => events.push(e),
    ...extra,
  });
  running.push(started);
  return { events, stage: started };
}

function input(key: string | null, value: unknown, headers?: Record<string, string>): ProducerRecord {
  return { topic: 'in', key, value: Buffer.isBuffer(value) ? value : json(value), headers };
}

const values = (topic: string) => transport.readAll(topic).map((r) => parse(r.value));

describe('runStage: the happy path', () => {
  it('decodes, handles, encodes to the output topic and propagates trace headers', async () => {
    transport = new InProcessTransport();
    await run(
      echoStage({
        async handle(record) {
          return [
            { topic: 'out', key: record.key!, value: { n: record.value.n }, headers: { 'content-kind': 'echo', tracestate: 'mine=1' } },
          ];
        },
      }),
    );
    await transport.send([
      input(
        'post-1',
        { n: 1 },
        { [HEADERS.correlationId]: 'c-1', [HEADERS.traceparent]: '00-abc-def-01', [HEADERS.tracestate]: 'theirs=1', 'x-private': 'no' },
      ),
    ]);
    await transport.whenIdle();
    const [out] = transport.readAll('out');
    expect(parse(out!.value)).toEqual({ n: 1 });
    expect(out!.key).toBe('post-1');
    // Propagated: correlation id and trace context; the output's own headers win; others stay behind.
    expect(out!.headers).toEqual({
      [HEADERS.correlationId]: 'c-1',
      [HEADERS.traceparent]: '00-abc-def-01',
      tracestate: 'mine=1',
      'content-kind': 'echo',
    });
    expect(transport.committedOffset('fn-media-ai.echo', 'in', transport.partitionOf('post-1'))).toBe('1');
  });

  it('keeps per-key order end to end', async () => {
    transport = new InProcessTransport();
    await run(echoStage(), { maxBatchSize: 4, partitionsConsumedConcurrently: 3 });
    const sent = Array.from({ length: 120 }, (_, n) => input(`post-${n % 9}`, { n }));
    await transport.send(sent);
    await transport.whenIdle();
    const outs = transport.readAll('out');
    expect(outs).toHaveLength(120);
    for (let k = 0; k < 9; k++) {
      const ns = outs.filter((r) => r.key === `post-${k}`).map((r) => (parse(r.value) as Msg).n);
      expect(ns).toEqual([...ns].sort((a, b) => a - b));
      expect(ns).toHaveLength(sent.filter((s) => s.key === `post-${k}`).length);
    }
  });

  it('bounds parallel handling to stage.concurrency and publishes in input order', async () => {
    transport = new InProcessTransport();
    let inFlight = 0;
    let most = 0;
    await run(
      echoStage({
        concurrency: 3,
        async handle(record) {
          most = Math.max(most, ++inFlight);
          // Later records finish first: the output order must still follow the input.
          await new Promise((r) => setTimeout(r, 20 - record.value.n));
          inFlight--;
          return [{ topic: 'out', key: 'k', value: { n: record.value.n } }];
        },
      }),
    );
    await transport.send(Array.from({ length: 10 }, (_, n) => input('k', { n })));
    await transport.whenIdle();
    expect(most).toBe(3);
    expect(values('out')).toEqual(Array.from({ length: 10 }, (_, n) => ({ n })));
  });

  it('heartbeats between the records of a batch', async () => {
    const inner = new InProcessTransport();
    let heartbeats = 0;
    // A transport whose heartbeat is observable: the same in-process semantics, counted.
    transport = decorate(inner, { control: (control) => ({ ...control, heartbeat: async () => void heartbeats++ }) });
    await run(echoStage());
    await transport.send(Array.from({ length: 8 }, (_, n) => input('k', { n })));
    await transport.whenIdle();
    expect(heartbeats).toBeGreaterThanOrEqual(8);
  });
});

describe('runStage: commit after ack', () => {
  it('does not commit when the send of outputs fails, and redelivers the batch', async () => {
    const inner = new InProcessTransport({ redeliveryBackoff: { initialDelayMs: 2, maxDelayMs: 5 } });
    let failures = 2;
    const committedWhenSendFailed: Array<string | undefined> = [];
    transport = decorate(inner, {
      async send(records, next) {
        if (records.some((r) => r.topic === 'out') && failures > 0) {
          failures--;
          committedWhenSendFailed.push(inner.committedOffset('fn-media-ai.echo', 'in', inner.partitionOf('k')));
          throw new Error('broker unavailable');
        }
        return next(records);
      },
    });
    const stage = echoStage();
    const { events } = await run(stage);
    await transport.send([input('k', { n: 1 }), input('k', { n: 2 })]);
    await transport.whenIdle();
    expect(committedWhenSendFailed).toEqual(['0', '0']);
    expect(stage.handled.map((r) => r.value.n)).toEqual([1, 2, 1, 2, 1, 2]);
    expect(values('out')).toEqual([{ n: 1 }, { n: 2 }]);
    expect(events.filter((e) => e.type === 'batch').map((e) => (e as { outcome: string }).outcome)).toEqual([
      'failed',
      'failed',
      'committed',
    ]);
    // Each delivery is announced before it is handled, from the first uncommitted offset.
    const batchEvents = events.filter((e) => e.type === 'batch-received' || e.type === 'batch').map((e) => e.type);
    expect(batchEvents).toEqual(['batch-received', 'batch', 'batch-received', 'batch', 'batch-received', 'batch']);
    expect(events.find((e) => e.type === 'batch-received')).toMatchObject({ size: 2, firstOffset: '0', topic: 'in' });
    expect(inner.committedOffset('fn-media-ai.echo', 'in', inner.partitionOf('k'))).toBe('2');
  });
});

describe('runStage: at-least-once under random failures', () => {
  it('loses nothing and keeps per-key order when sends and handlers fail at random', async () => {
    // Seeded, so a failure here replays identically.
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const inner = new InProcessTransport({ redeliveryBackoff: { initialDelayMs: 1, maxDelayMs: 2 } });
    transport = decorate(inner, {
      async send(records, next) {
        if (records.some((r) => r.topic === 'out') && random() < 0.2) throw new Error('broker hiccup');
        return next(records);
      },
    });
    await run(
      echoStage({
        concurrency: 4,
        async handle(record) {
          if (random() < 0.15) throw new MediaAiError('MEDIA_AI_TIMEOUT');
          return [{ topic: 'out', key: record.key!, value: { n: record.value.n } }];
        },
      }),
      { maxBatchSize: 8, partitionsConsumedConcurrently: 6, retry: { maxAttempts: 20, initialDelayMs: 1, maxDelayMs: 2 } },
    );
    const sent = Array.from({ length: 300 }, (_, n) => input(`post-${n % 11}`, { n }));
    await transport.send(sent);
    await transport.whenIdle();
    expect(transport.readAll(DLQ)).toEqual([]);
    const outs = transport.readAll('out');
    // A failed send publishes nothing and commits nothing, so in-process every input comes out once.
    expect(outs.map((r) => (parse(r.value) as Msg).n).sort((a, b) => a - b)).toEqual(sent.map((_, n) => n));
    for (let k = 0; k < 11; k++) {
      const ns = outs.filter((r) => r.key === `post-${k}`).map((r) => (parse(r.value) as Msg).n);
      expect(ns).toEqual([...ns].sort((a, b) => a - b));
    }
  });
});

describe('runStage: retries and dead letters', () => {
  it('retries a retryable failure and then succeeds', async () => {
    transport = new InProcessTransport();
    let calls = 0;
    const { events } = await run(
      echoStage({
        async handle(record) {
          if (++calls < 3) throw new MediaAiError('MEDIA_AI_TIMEOUT');
          await new Promise((resolve) => setTimeout(resolve, 20));
          return [{ topic: 'out', key: record.key!, value: record.value }];
        },
      }),
    );
    await transport.send([input('k', { n: 7 })]);
    await transport.whenIdle();
    expect(calls).toBe(3);
    expect(values('out')).toEqual([{ n: 7 }]);
    expect(transport.readAll(DLQ)).toEqual([]);
    expect(events.filter((e) => e.type === 'failed')).toMatchObject([
      { code: 'MEDIA_AI_TIMEOUT', attempt: 1, willRetry: true },
      { code: 'MEDIA_AI_TIMEOUT', attempt: 2, willRetry: true },
    ]);
    expect(events.find((e) => e.type === 'processed')).toMatchObject({ attempts: 3, outputs: 1, offset: '0' });
    // The stage's handling time in the attempt that succeeded (it waited 20 ms).
    const processed = events.find((e) => e.type === 'processed') as { durationMs: number };
    expect(processed.durationMs).toBeGreaterThanOrEqual(15);
  });

  it('dead-letters the raw record with its reason once retries are exhausted, and moves on', async () => {
    transport = new InProcessTransport();
    const { events } = await run(
      echoStage({
        async handle(record) {
          if (record.value.n === 1) throw new Error('boom');
          return [{ topic: 'out', key: record.key!, value: record.value }];
        },
      }),
    );
    const raw = json({ n: 1, text: 'raw bytes kept' });
    await transport.send([input('post-9', raw, { [HEADERS.correlationId]: 'c-9', 'x-origin': 'fn-posts' }), input('post-9', { n: 2 })]);
    await transport.whenIdle();
    const [dead] = transport.readAll(DLQ);
    expect(dead!.key).toBe('post-9');
    expect(dead!.value.equals(raw)).toBe(true);
    expect(dead!.headers).toEqual({
      [HEADERS.correlationId]: 'c-9',
      'x-origin': 'fn-posts',
      [HEADERS.dlqSourceTopic]: 'in',
      [HEADERS.dlqSourcePartition]: String(transport.partitionOf('post-9')),
      [HEADERS.dlqSourceOffset]: '0',
      [HEADERS.dlqStage]: 'echo',
      [HEADERS.dlqErrorCode]: 'MEDIA_AI_INTERNAL',
      [HEADERS.dlqErrorMessage]: 'boom',
      [HEADERS.dlqAttempts]: '3',
    });
    expect(values('out')).toEqual([{ n: 2 }]);
    expect(events.filter((e) => e.type === 'failed').map((e) => (e as { willRetry: boolean }).willRetry)).toEqual([true, true, false]);
    expect(events.find((e) => e.type === 'dead-lettered')).toMatchObject({ code: 'MEDIA_AI_INTERNAL', attempts: 3, offset: '0' });
    expect(transport.committedOffset('fn-media-ai.echo', 'in', transport.partitionOf('post-9'))).toBe('2');
  });

  it('never dead-letters an outage: retries past maxAttempts with capped backoff and heartbeats until it heals', async () => {
    const inner = new InProcessTransport();
    let heartbeats = 0;
    transport = decorate(inner, { control: (control) => ({ ...control, heartbeat: async () => void heartbeats++ }) });
    let calls = 0;
    const started = Date.now();
    const { events } = await run(
      echoStage({
        async handle(record) {
          // Redis is down for 8 attempts, far past maxAttempts (3).
          if (++calls <= 8) throw new MediaAiError('MEDIA_AI_STATE_UNAVAILABLE');
          return [{ topic: 'out', key: record.key!, value: record.value }];
        },
      }),
      { retry: { maxAttempts: 3, initialDelayMs: 2, maxDelayMs: 8 } },
    );
    await transport.send([input('k', { n: 1 })]);
    await transport.whenIdle();
    expect(calls).toBe(9);
    expect(values('out')).toEqual([{ n: 1 }]);
    expect(transport.readAll(DLQ)).toEqual([]);
    const failed = events.filter((e) => e.type === 'failed') as Array<{ willRetry: boolean; code: string }>;
    expect(failed).toHaveLength(8);
    expect(failed.every((e) => e.willRetry && e.code === 'MEDIA_AI_STATE_UNAVAILABLE')).toBe(true);
    expect(events.find((e) => e.type === 'processed')).toMatchObject({ attempts: 9 });
    // Capped: 8 waits of at most 8 ms each, not 2 * 2^7 ms for the last one alone.
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(heartbeats).toBeGreaterThanOrEqual(8);
  });

  it('still dead-letters a non-outage retryable failure after maxAttempts beside an outage that heals', async () => {
    transport = new InProcessTransport();
    let blobCalls = 0;
    const { events } = await run(
      echoStage({
        async handle(record) {
          if (record.value.n === 1) throw new MediaAiError('MEDIA_AI_TIMEOUT');
          if (++blobCalls <= 4) throw new MediaAiError('MEDIA_AI_BLOB_STORE_FAILED');
          return [{ topic: 'out', key: record.key!, value: record.value }];
        },
      }),
    );
    await transport.send([input('k', { n: 1 }), input('k', { n: 2 })]);
    await transport.whenIdle();
    expect(transport.readAll(DLQ).map((r) => r.headers?.[HEADERS.dlqErrorCode])).toEqual(['MEDIA_AI_TIMEOUT']);
    expect(values('out')).toEqual([{ n: 2 }]);
    expect(events.find((e) => e.type === 'dead-lettered')).toMatchObject({ code: 'MEDIA_AI_TIMEOUT', attempts: 3 });
  });

  it('leaves a batch uncommitted when stopped during an outage, and does not dead-letter it', async () => {
    transport = new InProcessTransport();
    let failures = 0;
    let reachedPastMax!: () => void;
    const pastMax = new Promise<void>((r) => (reachedPastMax = r));
    const first = await run(
      echoStage({
        async handle() {
          if (++failures === 5) reachedPastMax();
          throw new MediaAiError('MEDIA_AI_STATE_UNAVAILABLE');
        },
      }),
      { retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 2 } },
    );
    await transport.send([input('k', { n: 1 })]);
    await pastMax;
    await first.stage.stop();
    expect(first.events.find((e) => e.type === 'batch')).toMatchObject({ outcome: 'abandoned' });
    expect(transport.committedOffset('fn-media-ai.echo', 'in', transport.partitionOf('k'))).toBe('0');
    expect(transport.readAll(DLQ)).toEqual([]);
    await run(echoStage());
    await transport.whenIdle();
    expect(values('out')).toEqual([{ n: 1 }]);
  });

  it('dead-letters a permanent failure at the first attempt, with its details', async () => {
    transport = new InProcessTransport();
    const stage = echoStage({
      async handle(record) {
        stage.handled.push(record);
        throw new MediaAiError('MEDIA_AI_PHOTO_CORRUPT', undefined, { details: { photo_index: 2 } });
      },
    });
    await run(stage);
    await transport.send([input('k', { n: 1 })]);
    await transport.whenIdle();
    expect(stage.handled).toHaveLength(1);
    const [dead] = transport.readAll(DLQ);
    expect(dead!.headers).toMatchObject({
      [HEADERS.dlqErrorCode]: 'MEDIA_AI_PHOTO_CORRUPT',
      [HEADERS.dlqErrorMessage]: 'The photo cannot be decoded',
      [HEADERS.dlqAttempts]: '1',
      [`${DLQ_DETAIL_HEADER_PREFIX}photo_index`]: '2',
    });
  });

  it('dead-letters a record that cannot be decoded without calling the stage', async () => {
    transport = new InProcessTransport();
    let gaveUp = 0;
    const stage = echoStage({ onGiveUp: () => (gaveUp++, []) });
    await run(stage);
    await transport.send([input('k', Buffer.from('{not json')), input('k', { n: 2, text: 'ok' })]);
    await transport.whenIdle();
    expect(stage.handled.map((r) => r.value)).toEqual([{ n: 2, text: 'ok' }]);
    expect(gaveUp).toBe(0);
    const [dead] = transport.readAll(DLQ);
    expect(dead!.value.toString()).toBe('{not json');
    expect(dead!.headers).toMatchObject({ [HEADERS.dlqErrorCode]: 'MEDIA_AI_BAD_RECORD', [HEADERS.dlqAttempts]: '1' });
    expect(dead!.headers[HEADERS.dlqErrorMessage]).toContain('Cannot decode a in record');
    expect(values('out')).toEqual([{ n: 2, text: 'OK' }]);
  });

  it('retries a decode failure the codec declares retryable', async () => {
    transport = new InProcessTransport();
    let decodes = 0;
    const codecs = {
      forTopic: (topic: string) => ({
        ...jsonCodecs.forTopic(topic),
        async decode(bytes: Buffer) {
          if (topic === 'in' && ++decodes === 1) throw new MediaAiError('MEDIA_AI_TIMEOUT', 'registry timed out');
          return jsonCodecs.forTopic(topic).decode(bytes);
        },
      }),
    };
    await run(echoStage(), { codecs });
    await transport.send([input('k', { n: 1 })]);
    await transport.whenIdle();
    expect(decodes).toBe(2);
    expect(values('out')).toEqual([{ n: 1 }]);
  });

  it('publishes what onGiveUp returns beside the dead letter, even when another hook call throws', async () => {
    transport = new InProcessTransport();
    await run(
      echoStage({
        async handle() {
          throw new MediaAiError('MEDIA_AI_PHOTO_NOT_FOUND');
        },
        onGiveUp(record, error) {
          if (record.value.n === 2) throw new Error('hook bug');
          return [{ topic: 'parts', key: record.key!, value: { n: record.value.n, failed: (error as MediaAiError).code } }];
        },
      }),
    );
    await transport.send([input('k', { n: 1 }, { [HEADERS.correlationId]: 'c-1' }), input('k', { n: 2 })]);
    await transport.whenIdle();
    const parts = transport.readAll('parts');
    expect(parts.map((p) => parse(p.value))).toEqual([{ n: 1, failed: 'MEDIA_AI_PHOTO_NOT_FOUND' }]);
    expect(parts[0]!.headers).toEqual({ [HEADERS.correlationId]: 'c-1' });
    expect(transport.readAll(DLQ)).toHaveLength(2);
  });

  it('fails the input whose output cannot be encoded', async () => {
    transport = new InProcessTransport();
    await run(
      echoStage({
        async handle(record) {
          return [{ topic: 'out', key: 'k', value: record.value.n === 1 ? undefined : record.value }];
        },
      }),
    );
    await transport.send([input('k', { n: 1 }), input('k', { n: 2 })]);
    await transport.whenIdle();
    expect(values('out')).toEqual([{ n: 2 }]);
    expect(transport.readAll(DLQ).map((r) => r.headers[HEADERS.dlqErrorMessage])).toEqual(['Cannot encode undefined']);
  });
});

describe('runStage: handleBatch', () => {
  it('retries only the records whose slot holds an Error and dead-letters permanent ones', async () => {
    transport = new InProcessTransport();
    const calls: number[][] = [];
    const stage: Stage<Msg> = {
      name: 'batcher',
      inputs: ['in'],
      maxBatchSize: 10,
      async handle() {
        throw new Error('handle must not be called when handleBatch exists');
      },
      async handleBatch(records) {
        calls.push(records.map((r) => r.value.n));
        return records.map((r): OutboundRecord[] | Error => {
          if (r.value.n === 2 && calls.length === 1) return new Error('transient');
          if (r.value.n === 3) return new MediaAiError('MEDIA_AI_PHOTO_CORRUPT');
          return [{ topic: 'out', key: r.key!, value: r.value }];
        });
      },
    };
    const { events } = await run(stage);
    await transport.send([1, 2, 3, 4].map((n) => input('k', { n })));
    await transport.whenIdle();
    expect(calls).toEqual([[1, 2, 3, 4], [2]]);
    expect(values('out')).toEqual([{ n: 1 }, { n: 2 }, { n: 4 }]);
    expect(transport.readAll(DLQ).map((r) => [parse(r.value), r.headers[HEADERS.dlqAttempts]])).toEqual([[{ n: 3 }, '1']]);
    expect(events.find((e) => e.type === 'batch')).toMatchObject({ size: 4, outcome: 'committed' });
  });

  it('fails every record of a call that throws or answers with the wrong number of results', async () => {
    transport = new InProcessTransport();
    let calls = 0;
    await run(
      {
        name: 'batcher',
        inputs: ['in'],
        async handle() {
          return [];
        },
        async handleBatch(records) {
          calls++;
          if (calls === 1) throw new Error('model crashed');
          if (calls === 2) return [];
          return records.map((r) => [{ topic: 'out', key: r.key!, value: r.value }]);
        },
      },
      { retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 } },
    );
    await transport.send([input('k', { n: 1 }), input('k', { n: 2 })]);
    await transport.whenIdle();
    expect(calls).toBe(3);
    expect(values('out')).toEqual([{ n: 1 }, { n: 2 }]);
  });
});

describe('runStage: timers', () => {
  it('publishes what a timer returns, encoded, and stops firing once stopped', async () => {
    transport = new InProcessTransport();
    let fired = 0;
    const { events, stage } = await run(
      echoStage({
        timers: [
          {
            everyMs: 5,
            async fire() {
              fired++;
              return fired <= 2
                ? [{ topic: 'deadlines', key: `post-${fired}`, value: { fired }, headers: { [HEADERS.correlationId]: `c-${fired}` } }]
                : [];
            },
          },
        ],
      }),
    );
    await expect.poll(() => transport.readAll('deadlines').length).toBe(2);
    expect(transport.readAll('deadlines').map((r) => [r.key, parse(r.value), r.headers])).toEqual([
      ['post-1', { fired: 1 }, { [HEADERS.correlationId]: 'c-1' }],
      ['post-2', { fired: 2 }, { [HEADERS.correlationId]: 'c-2' }],
    ]);
    expect(events.filter((e) => e.type === 'timer').slice(0, 2)).toMatchObject([
      { records: 1, outcome: 'published' },
      { records: 1, outcome: 'published' },
    ]);
    await stage.stop();
    const after = fired;
    await new Promise((r) => setTimeout(r, 30));
    expect(fired).toBe(after);
  });

  it('retries a failed send of timer records, and reports a firing that fails', async () => {
    const inner = new InProcessTransport();
    let sendFailures = 1;
    transport = decorate(inner, {
      async send(records, next) {
        if (sendFailures-- > 0) throw new MediaAiError('MEDIA_AI_TIMEOUT');
        return next(records);
      },
    });
    let fired = 0;
    const { events } = await run(
      echoStage({
        timers: [
          {
            everyMs: 5,
            async fire() {
              fired++;
              if (fired === 1) return [{ topic: 'deadlines', key: 'p', value: { fired } }];
              if (fired === 2) throw new Error('state store down');
              return [];
            },
          },
        ],
      }),
    );
    await expect.poll(() => fired).toBeGreaterThanOrEqual(3);
    expect(inner.readAll('deadlines').map((r) => parse(r.value))).toEqual([{ fired: 1 }]);
    expect(events.filter((e) => e.type === 'timer').slice(0, 2)).toMatchObject([{ outcome: 'published' }, { outcome: 'failed' }]);
  });

  /**
   * A stand-in for the aggregator's deadline: keys stay offered until acknowledged. It records, at
   * each acknowledgement, what the transport already held, to prove the ack came after the send.
   */
  function ackedTimer(keys: string[], onAck?: (records: readonly OutboundRecord[]) => void) {
    const unpublished = new Set(keys);
    const acks: Array<{ records: readonly OutboundRecord[]; onTopic: number }> = [];
    const counts = { fired: 0 };
    return {
      acks,
      counts,
      timer: {
        everyMs: 5,
        async fire(): Promise<OutboundRecord[]> {
          counts.fired++;
          return [...unpublished].map((key) => ({ topic: 'deadlines', key, value: { key } }));
        },
        async onPublished(records: readonly OutboundRecord[]) {
          acks.push({ records, onTopic: transport.readAll('deadlines').length });
          onAck?.(records);
          for (const record of records) unpublished.delete(record.key);
        },
      },
    };
  }

  it('acknowledges timer records only after the send: a send failing all its retries gets no onPublished, and the next firing offers them again', async () => {
    const inner = new InProcessTransport();
    // maxAttempts is 3: the whole first firing fails, retries included.
    let sendFailures = 3;
    transport = decorate(inner, {
      async send(records, next) {
        if (sendFailures-- > 0) throw new MediaAiError('MEDIA_AI_TIMEOUT');
        return next(records);
      },
    });
    const { acks, counts, timer } = ackedTimer(['post-1']);
    const { events } = await run(echoStage({ timers: [timer] }));

    await expect.poll(() => acks.length).toBe(1);
    // The failed firing was followed by a re-offer that got through; it alone was acknowledged.
    expect(events.filter((e) => e.type === 'timer').slice(0, 2)).toMatchObject([
      { records: 1, outcome: 'failed' },
      { records: 1, outcome: 'published' },
    ]);
    expect(acks[0]!.records).toEqual([{ topic: 'deadlines', key: 'post-1', value: { key: 'post-1' } }]);
    expect(acks[0]!.onTopic).toBe(1);
    // Later firings offer nothing, so nothing more is sent or acknowledged.
    const firedAtAck = counts.fired;
    await expect.poll(() => counts.fired).toBeGreaterThanOrEqual(firedAtAck + 3);
    expect(acks).toHaveLength(1);
    expect(inner.readAll('deadlines').map((r) => [r.key, parse(r.value)])).toEqual([['post-1', { key: 'post-1' }]]);
  });

  it('a non-retryable send failure is not acknowledged either', async () => {
    const inner = new InProcessTransport();
    let sendFailures = 1;
    transport = decorate(inner, {
      async send(records, next) {
        if (sendFailures-- > 0) throw new MediaAiError('MEDIA_AI_BAD_EVENT');
        return next(records);
      },
    });
    const { acks, timer } = ackedTimer(['post-1', 'post-2']);
    await run(echoStage({ timers: [timer] }));
    await expect.poll(() => acks.length).toBe(1);
    expect(acks[0]!.records.map((r) => r.key)).toEqual(['post-1', 'post-2']);
    expect(inner.readAll('deadlines')).toHaveLength(2);
  });

  it('an acknowledgement that throws is logged, and the records are offered (and sent) again', async () => {
    transport = new InProcessTransport();
    const errors: string[] = [];
    let ackFailures = 1;
    const { acks, timer } = ackedTimer(['post-1'], () => {
      if (ackFailures-- > 0) throw new Error('state store down');
    });
    const { events } = await run(echoStage({ timers: [timer] }), {
      logger: { info() {}, warn() {}, error: (_fields, message) => void errors.push(message) },
    });
    await expect.poll(() => acks.length).toBe(2);
    // A duplicate of the same record, never a loss; the send itself did succeed both times.
    expect(transport.readAll('deadlines').map((r) => r.key)).toEqual(['post-1', 'post-1']);
    expect(events.filter((e) => e.type === 'timer').slice(0, 2)).toMatchObject([{ outcome: 'published' }, { outcome: 'published' }]);
    expect(errors).toEqual(['timer acknowledgement failed; the records will be offered again']);
  });

  it('refuses a timer without a positive interval, leaving nothing running', async () => {
    transport = new InProcessTransport();
    let stopped = 0;
    const stage = echoStage({ timers: [{ everyMs: 0, fire: async () => [] }], stop: async () => void stopped++ });
    await expect(runStage(stage, { transport, codecs: jsonCodecs, groupId: 'g', deadLetterTopic: DLQ })).rejects.toThrow(RangeError);
    expect(stopped).toBe(1);
    // The group was left: a correct stage can take it.
    running.push(await runStage(echoStage(), { transport, codecs: jsonCodecs, groupId: 'g', deadLetterTopic: DLQ }));
  });
});

describe('runStage: whenIdle across stages', () => {
  it('settles only once records have travelled through a chain of slow stages', async () => {
    transport = new InProcessTransport();
    const slow = (name: string, from: string, to: string): Stage<Msg> => ({
      name,
      inputs: [from],
      async handle(record) {
        await new Promise((r) => setTimeout(r, 10));
        return [{ topic: to, key: record.key!, value: { n: record.value.n + 1 } }];
      },
    });
    await run(slow('first', 'in', 'mid'));
    await run(slow('second', 'mid', 'out'));
    await transport.send([input('a', { n: 0 }), input('b', { n: 10 })]);
    await transport.whenIdle();
    expect(values('out').sort((x, y) => (x as Msg).n - (y as Msg).n)).toEqual([{ n: 2 }, { n: 12 }]);
  });
});

describe('runStage: lifecycle', () => {
  it('starts the stage before consuming and stops everything once', async () => {
    transport = new InProcessTransport();
    const calls: string[] = [];
    const stage = echoStage({
      start: async () => void calls.push('start'),
      stop: async () => void calls.push('stop'),
      async handle(record) {
        calls.push(`handle ${record.value.n}`);
        return [];
      },
    });
    await transport.send([input('k', { n: 1 })]);
    const { stage: runningStage } = await run(stage);
    await transport.whenIdle();
    expect(runningStage.name).toBe('echo');
    const first = runningStage.stop();
    expect(runningStage.stop()).toBe(first);
    await first;
    await runningStage.stop();
    await transport.send([input('k', { n: 2 })]);
    await transport.whenIdle();
    expect(calls).toEqual(['start', 'handle 1', 'stop']);
  });

  it('leaves a batch uncommitted when stopped during a retry wait, and it is processed after restart', async () => {
    transport = new InProcessTransport();
    let entered!: () => void;
    const failedOnce = new Promise<void>((r) => (entered = r));
    const first = await run(
      echoStage({
        async handle() {
          entered();
          throw new MediaAiError('MEDIA_AI_LLM_UNAVAILABLE');
        },
      }),
      { retry: { maxAttempts: 5, initialDelayMs: 60_000, maxDelayMs: 60_000 } },
    );
    await transport.send([input('k', { n: 1 })]);
    await failedOnce;
    const startedStop = Date.now();
    await first.stage.stop();
    expect(Date.now() - startedStop).toBeLessThan(1_000);
    expect(first.events.find((e) => e.type === 'batch')).toMatchObject({ outcome: 'abandoned' });
    expect(transport.committedOffset('fn-media-ai.echo', 'in', transport.partitionOf('k'))).toBe('0');
    expect(transport.readAll(DLQ)).toEqual([]);
    await run(echoStage());
    await transport.whenIdle();
    expect(values('out')).toEqual([{ n: 1 }]);
  });

  it('ignores a throwing event hook', async () => {
    transport = new InProcessTransport();
    await run(echoStage(), {
      onEvent: () => {
        throw new Error('metrics bug');
      },
    });
    await transport.send([input('k', { n: 1 })]);
    await transport.whenIdle();
    expect(values('out')).toEqual([{ n: 1 }]);
  });

  it('refuses to consume its own dead-letter topic and a non-positive maxAttempts', async () => {
    transport = new InProcessTransport();
    const base = { transport, codecs: jsonCodecs, groupId: 'g', deadLetterTopic: DLQ };
    await expect(runStage(echoStage({ inputs: ['in', DLQ] }), base)).rejects.toThrow('dead-letter');
    await expect(runStage(echoStage(), { ...base, retry: { maxAttempts: 0, initialDelayMs: 1, maxDelayMs: 1 } })).rejects.toThrow(
      RangeError,
    );
  });
});
