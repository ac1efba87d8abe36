// The runner continues a post's trace: each stage's span is a child of the span that produced its
// input, the stage's own spans nest under it, and its outputs carry it to the next stage. Runs with a
// real SDK (in-memory exporter) over the in-process transport.
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { HEADERS, MediaAiError } from '@media-ai/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InProcessTransport } from './in-process-transport.js';
import type { StageEvent } from './runner-options.js';
import { runStage } from './runner.js';
import type { RunningStage, Stage } from './index.js';
import { json, jsonCodecs } from './test-support/json-codecs.js';

const exporter = new InMemorySpanExporter();
let sdk: NodeSDK;
let transport: InProcessTransport;
const running: RunningStage[] = [];

beforeAll(() => {
  // No resource detection: a resource still detecting holds exports back, and these tests read at once.
  sdk = new NodeSDK({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    instrumentations: [],
    autoDetectResources: false,
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
});
afterAll(() => sdk.shutdown());
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
  await transport?.close();
  exporter.reset();
});

const ROOT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const ROOT_SPAN = '00f067aa0ba902b7';
const tracer = trace.getTracer('test');

async function run(stage: Stage<{ n: number }>, events: StageEvent[] = []): Promise<void> {
  running.push(
    await runStage(stage, {
      transport,
      codecs: jsonCodecs,
      groupId: `g.${stage.name}`,
      deadLetterTopic: 'dlq',
      retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 2 },
      onEvent: (e) => events.push(e),
    }),
  );
}

/** A stage reading `from`, writing `to`, starting one span of its own while it handles. */
function relay(name: string, from: string, to: string): Stage<{ n: number }> {
  return {
    name,
    inputs: [from],
    async handle(record) {
      await tracer.startActiveSpan(`${name} inference`, async (span) => span.end());
      return [{ topic: to, key: record.key!, value: record.value }];
    },
  };
}

const spanNamed = (name: string): ReadableSpan => {
  const found = exporter.getFinishedSpans().find((s) => s.name === name);
  if (!found)
    throw new Error(
      `no span ${name} in ${exporter
        .getFinishedSpans()
        .map((s) => s.name)
        .join(', ')}`,
    );
  return found;
};
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('the runner with a tracing SDK', () => {
  it('continues the trace an input carries through two stages, and writes the current span on the output', async () => {
    transport = new InProcessTransport();
    const events: StageEvent[] = [];
    await run(relay('fetcher', 'posts.events', 'media-ai.photos'));
    await run(relay('detector', 'media-ai.photos', 'media-ai.detections'), events);
    await transport.send([
      {
        topic: 'posts.events',
        key: 'post-1',
        value: json({ n: 1 }),
        headers: {
          [HEADERS.correlationId]: 'c-1',
          [HEADERS.traceparent]: `00-${ROOT_TRACE}-${ROOT_SPAN}-01`,
          [HEADERS.tracestate]: 'fn=posts',
        },
      },
    ]);
    await transport.whenIdle();

    const fetcher = spanNamed('fetcher process posts.events');
    const detector = spanNamed('detector process media-ai.photos');
    for (const span of [fetcher, detector, spanNamed('fetcher inference'), spanNamed('detector inference')]) {
      expect(span.spanContext().traceId).toBe(ROOT_TRACE);
    }
    expect(parentOf(fetcher)).toBe(ROOT_SPAN);
    expect(parentOf(spanNamed('fetcher inference'))).toBe(fetcher.spanContext().spanId);
    expect(parentOf(detector)).toBe(fetcher.spanContext().spanId);
    expect(parentOf(spanNamed('detector inference'))).toBe(detector.spanContext().spanId);
    expect(fetcher.kind).toBe(SpanKind.CONSUMER);
    expect(fetcher.attributes).toMatchObject({
      'messaging.destination.name': 'posts.events',
      'messaging.kafka.message.key': 'post-1',
      'messaging.kafka.offset': 0,
      'media_ai.outcome': 'published',
      'media_ai.outputs': 1,
    });

    const [out] = transport.readAll('media-ai.detections');
    expect(out!.headers).toEqual({
      [HEADERS.correlationId]: 'c-1',
      [HEADERS.traceparent]: `00-${ROOT_TRACE}-${detector.spanContext().spanId}-01`,
      [HEADERS.tracestate]: 'fn=posts',
    });
    // Published after the commit, with the stage's value and the headers it went out with.
    expect(events.find((e) => e.type === 'published')).toEqual({
      type: 'published',
      stage: 'detector',
      topic: 'media-ai.detections',
      key: 'post-1',
      value: { n: 1 },
      headers: out!.headers,
      from: 'record',
    });
    expect(events.find((e) => e.type === 'processed')).toMatchObject({ key: 'post-1', correlationId: 'c-1' });
  });

  it('starts a trace at a record that carries none', async () => {
    transport = new InProcessTransport();
    await run(relay('fetcher', 'posts.events', 'media-ai.photos'));
    await transport.send([{ topic: 'posts.events', key: 'post-2', value: json({ n: 2 }) }]);
    await transport.whenIdle();
    const fetcher = spanNamed('fetcher process posts.events');
    expect(fetcher.parentSpanContext).toBeUndefined();
    expect(transport.readAll('media-ai.photos')[0]!.headers[HEADERS.traceparent]).toBe(
      `00-${fetcher.spanContext().traceId}-${fetcher.spanContext().spanId}-01`,
    );
  });

  it('marks a dead-lettered record failed with its code only, and its retries as events', async () => {
    transport = new InProcessTransport();
    await run({
      name: 'ocr',
      inputs: ['media-ai.photos'],
      async handle() {
        throw new MediaAiError('MEDIA_AI_TIMEOUT', 'took too long reading "JOHN SMITH 4111"');
      },
    });
    await transport.send([{ topic: 'media-ai.photos', key: 'post-3', value: json({ n: 3 }) }]);
    await transport.whenIdle();
    const span = spanNamed('ocr process media-ai.photos');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'MEDIA_AI_TIMEOUT' });
    expect(span.attributes).toMatchObject({
      'media_ai.outcome': 'dead_lettered',
      'error.type': 'MEDIA_AI_TIMEOUT',
      'media_ai.attempts': 2,
    });
    expect(span.events.map((e) => [e.name, e.attributes?.['media_ai.will_retry']])).toEqual([
      ['attempt failed', true],
      ['attempt failed', false],
    ]);
    expect(JSON.stringify({ attributes: span.attributes, events: span.events, status: span.status })).not.toContain('JOHN SMITH');
  });

  it('handles a batched call inside the record span for one record, in a linked span for several', async () => {
    transport = new InProcessTransport({ partitions: 1 });
    const batches: number[] = [];
    await run({
      name: 'detector',
      inputs: ['media-ai.photos'],
      async handle() {
        throw new Error('handleBatch is used');
      },
      async handleBatch(records) {
        batches.push(records.length);
        await tracer.startActiveSpan('yolox inference', async (span) => span.end());
        return records.map((r) => [{ topic: 'media-ai.detections', key: r.key!, value: r.value }]);
      },
    });
    await transport.send([0, 1, 2].map((n) => ({ topic: 'media-ai.photos', key: `post-${n}`, value: json({ n }) })));
    await transport.whenIdle();
    expect(batches).toEqual([3]);
    const batchSpan = spanNamed('detector handle batch');
    const records = exporter.getFinishedSpans().filter((s) => s.name === 'detector process media-ai.photos');
    expect(records).toHaveLength(3);
    expect(batchSpan.links.map((l) => l.context.spanId).sort()).toEqual(records.map((r) => r.spanContext().spanId).sort());
    expect(parentOf(spanNamed('yolox inference'))).toBe(batchSpan.spanContext().spanId);
    // Each output still continues its own record's trace.
    for (const out of transport.readAll('media-ai.detections')) {
      const own = records.find((r) => r.attributes['messaging.kafka.message.key'] === out.key)!;
      expect(out.headers[HEADERS.traceparent]).toContain(own.spanContext().spanId);
    }

    exporter.reset();
    await transport.send([{ topic: 'media-ai.photos', key: 'post-9', value: json({ n: 9 }) }]);
    await transport.whenIdle();
    expect(parentOf(spanNamed('yolox inference'))).toBe(spanNamed('detector process media-ai.photos').spanContext().spanId);
  });

  it('emits published events for a timer after its send', async () => {
    transport = new InProcessTransport();
    const events: StageEvent[] = [];
    let fired = 0;
    await run(
      {
        name: 'aggregator',
        inputs: ['media-ai.posts'],
        handle: async () => [],
        timers: [
          {
            everyMs: 5,
            fire: async () =>
              ++fired === 1
                ? [{ topic: 'media-ai.enrichment', key: 'post-4', value: { n: 4 }, headers: { [HEADERS.correlationId]: 'c-4' } }]
                : [],
          },
        ],
      },
      events,
    );
    await expect.poll(() => events.some((e) => e.type === 'published')).toBe(true);
    expect(events.find((e) => e.type === 'published')).toMatchObject({
      topic: 'media-ai.enrichment',
      key: 'post-4',
      from: 'timer',
      headers: { [HEADERS.correlationId]: 'c-4' },
    });
    // Outside a record's handling no span is active: no record's context leaks into the timer's.
    expect(trace.getSpan(context.active())).toBeUndefined();
    expect(context.active()).toBe(ROOT_CONTEXT);
  });
});
