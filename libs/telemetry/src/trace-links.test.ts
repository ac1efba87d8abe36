import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JoinTraces, tracerFor } from './index.js';

const exporter = new InMemorySpanExporter();
let sdk: NodeSDK;
beforeAll(() => {
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
beforeEach(() => exporter.reset());

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const parent = (span: string) => `00-${TRACE}-${span}-01`;
const tracer = tracerFor('test');

/** Runs `work` as the handling of a record whose span is a child of `traceparent`; returns the record span's id too. */
function handling<T>(traceparent: string, work: () => T): { result: T; spanId: string } {
  const [, traceId, spanId] = traceparent.split('-');
  const remote = trace.setSpanContext(ROOT_CONTEXT, { traceId: traceId!, spanId: spanId!, traceFlags: 1, isRemote: true });
  const span = tracer.startSpan('aggregator process', {}, remote);
  try {
    return { result: context.with(trace.setSpan(remote, span), work), spanId: span.spanContext().spanId };
  } finally {
    span.end();
  }
}

describe('JoinTraces', () => {
  it('publishes as a child of the record completing the join, linked to every other part', () => {
    const joins = new JoinTraces(tracer);
    const manifest = handling(parent('000000000000000a'), () => joins.remember('post-1'));
    const detections = handling(parent('000000000000000b'), () => joins.remember('post-1'));
    const { result: headers, spanId: completing } = handling(parent('000000000000000c'), () => {
      joins.remember('post-1');
      return joins.publishSpan('aggregator publish', 'post-1', { 'messaging.destination.name': 'media-ai.enrichment' });
    });
    const publish = exporter.getFinishedSpans().find((s) => s.name === 'aggregator publish')!;
    expect(publish.parentSpanContext?.spanId).toBe(completing);
    expect(publish.links.map((l) => l.context.spanId)).toEqual([manifest.spanId, detections.spanId]);
    expect(publish.attributes).toMatchObject({ 'media_ai.joined_records': 3, 'messaging.destination.name': 'media-ai.enrichment' });
    expect(headers.traceparent).toBe(`00-${TRACE}-${publish.spanContext().spanId}-01`);
  });

  it('publishes from a timer as a child of the first record remembered', () => {
    const joins = new JoinTraces(tracer);
    const manifest = handling(parent('000000000000000a'), () => joins.remember('post-2'));
    const part = handling(parent('000000000000000b'), () => joins.remember('post-2'));
    joins.publishSpan('aggregator publish', 'post-2');
    const publish = exporter.getFinishedSpans().find((s) => s.name === 'aggregator publish')!;
    expect(publish.parentSpanContext?.spanId).toBe(manifest.spanId);
    expect(publish.links.map((l) => l.context.spanId)).toEqual([part.spanId]);
  });

  it('remembers nothing while no span records, and stays bounded', () => {
    const joins = new JoinTraces(tracer, { maxKeys: 2 });
    joins.remember('post-3');
    // Nothing remembered, nothing active (a restart lost the memory): the publish starts a trace.
    expect(joins.publishSpan('publish', 'post-3').traceparent).not.toContain(TRACE);
    expect(exporter.getFinishedSpans()[0]!.parentSpanContext).toBeUndefined();
    for (const key of ['a', 'b', 'c']) handling(parent('000000000000000a'), () => joins.remember(key));
    joins.publishSpan('oldest', 'a');
    joins.publishSpan('newest', 'c');
    const spans = exporter.getFinishedSpans();
    expect(spans.find((s) => s.name === 'oldest')!.attributes['media_ai.joined_records']).toBe(0);
    expect(spans.find((s) => s.name === 'newest')!.attributes['media_ai.joined_records']).toBe(1);
  });
});
