import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { correlationIdOf, extractTraceContext, injectTraceHeaders, propagateHeaders, W3CTraceContextPropagator } from './index.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const PARENT = `00-${TRACE_ID}-${SPAN_ID}-01`;

describe('W3C trace context', () => {
  it('reads a traceparent into a remote span context', () => {
    const spanContext = trace.getSpanContext(extractTraceContext({ traceparent: PARENT, tracestate: 'vendor=abc' }, ROOT_CONTEXT));
    expect(spanContext).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED, isRemote: true });
    expect(spanContext?.traceState?.get('vendor')).toBe('abc');
  });

  it('passes a parent through unchanged when no SDK starts spans', () => {
    const out = propagateHeaders(
      { traceparent: PARENT, tracestate: 'vendor=abc', 'correlation-id': 'abc-123' },
      { 'content-type': 'avro' },
    );
    expect(out).toEqual({ traceparent: PARENT, tracestate: 'vendor=abc', 'correlation-id': 'abc-123', 'content-type': 'avro' });
  });

  it.each([
    ['garbage', 'not-a-traceparent'],
    ['zero trace id', `00-${'0'.repeat(32)}-${SPAN_ID}-01`],
    ['zero span id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['forbidden version', `ff-${TRACE_ID}-${SPAN_ID}-01`],
    ['extra field on version 00', `${PARENT}-extra`],
    ['upper-case hex', `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`],
  ])('ignores %s and writes nothing', (_name, header) => {
    const context = extractTraceContext({ traceparent: header }, ROOT_CONTEXT);
    expect(trace.getSpanContext(context)).toBeUndefined();
    expect(injectTraceHeaders({}, context)).toEqual({});
  });

  it('accepts a later version with extra fields', () => {
    expect(trace.getSpanContext(extractTraceContext({ traceparent: `01-${TRACE_ID}-${SPAN_ID}-00-more` }, ROOT_CONTEXT))?.traceFlags).toBe(
      TraceFlags.NONE,
    );
  });

  it('writes the span context of a context, e.g. one an SDK span started', () => {
    const context = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.NONE });
    const input = { key: 'v' };
    expect(injectTraceHeaders(input, context)).toEqual({ key: 'v', traceparent: `00-${TRACE_ID}-b7ad6b7169203331-00` });
    expect(input).toEqual({ key: 'v' });
    expect(new W3CTraceContextPropagator().fields()).toEqual(['traceparent', 'tracestate']);
  });
});

describe('correlationIdOf', () => {
  it('keeps an existing id, else uses the fallback, else makes one', () => {
    expect(correlationIdOf({ 'correlation-id': ' abc ' })).toBe('abc');
    expect(correlationIdOf({}, 'from-event')).toBe('from-event');
    const made = correlationIdOf({});
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
    expect(correlationIdOf({})).not.toBe(made);
  });
});
