/**
 * Carries a trace and a correlation id from one record to the next: W3C `traceparent` /
 * `tracestate` headers (the Kafka header names in @media-ai/contracts HEADERS) read from an
 * input record and written onto its outputs, through the OpenTelemetry API.
 * Works with no OpenTelemetry SDK installed (a remote parent passes through unchanged); when an
 * SDK starts spans, their context is what gets written. Must never invent a trace id: without a
 * valid parent nothing is written, so a tracing backend is not flooded with orphan traces.
 */
import { randomUUID } from 'node:crypto';
import {
  context as contextApi,
  createTraceState,
  isSpanContextValid,
  trace,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { HEADERS } from '@media-ai/contracts';

export const TRACEPARENT = HEADERS.traceparent;
export const TRACESTATE = HEADERS.tracestate;
export const CORRELATION_ID = HEADERS.correlationId;

/** Record headers as transports carry them: string values, lower-case names. */
export type HeaderMap = Record<string, string>;

// version-traceid-spanid-flags; version ff is forbidden, later versions may append fields.
const TRACEPARENT_PATTERN = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

const getter: TextMapGetter<HeaderMap> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key] ?? carrier[key.toLowerCase()],
};

const setter: TextMapSetter<HeaderMap> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

/** The W3C Trace Context propagator, small enough to own instead of pulling in @opentelemetry/core. */
export class W3CTraceContextPropagator implements TextMapPropagator<HeaderMap> {
  inject(context: Context, carrier: HeaderMap, set: TextMapSetter<HeaderMap> = setter): void {
    const spanContext = trace.getSpanContext(context);
    if (!spanContext || !isSpanContextValid(spanContext)) return;
    const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
    set.set(carrier, TRACEPARENT, `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`);
    const state = spanContext.traceState?.serialize();
    if (state) set.set(carrier, TRACESTATE, state);
  }

  extract(context: Context, carrier: HeaderMap, get: TextMapGetter<HeaderMap> = getter): Context {
    const raw = get.get(carrier, TRACEPARENT);
    const header = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    const match = header ? TRACEPARENT_PATTERN.exec(header) : null;
    if (!match) return context;
    const [, version, traceId, spanId, flags, rest] = match as unknown as [string, string, string, string, string, string | undefined];
    // Version 00 has exactly four fields; only future versions may carry more.
    if (version === 'ff' || (version === '00' && rest !== undefined)) return context;
    const spanContext = { traceId, spanId, traceFlags: parseInt(flags, 16), isRemote: true };
    if (!isSpanContextValid(spanContext)) return context;
    const rawState = get.get(carrier, TRACESTATE);
    const state = Array.isArray(rawState) ? rawState.join(',') : rawState;
    return trace.setSpanContext(context, state ? { ...spanContext, traceState: createTraceState(state) } : spanContext);
  }

  fields(): string[] {
    return [TRACEPARENT, TRACESTATE];
  }
}

/**
 * The process-wide propagator the tracing SDK installs: W3C trace context that never replaces a
 * traceparent the carrier already holds. The runner writes each output's traceparent from the span
 * of the record it was produced for; the kafkajs instrumentation injects again as it sends, from its
 * own per-batch span, and would otherwise cut a post's trace at every hop.
 */
export class RecordFirstTraceContextPropagator implements TextMapPropagator {
  private readonly w3c = new W3CTraceContextPropagator();

  inject(context: Context, carrier: unknown, set: TextMapSetter = setter as TextMapSetter): void {
    if (carrier !== null && typeof carrier === 'object' && (carrier as Record<string, unknown>)[TRACEPARENT] !== undefined) return;
    this.w3c.inject(context, carrier as HeaderMap, set as TextMapSetter<HeaderMap>);
  }

  extract(context: Context, carrier: unknown, get: TextMapGetter = getter as TextMapGetter): Context {
    return this.w3c.extract(context, carrier as HeaderMap, get as TextMapGetter<HeaderMap>);
  }

  fields(): string[] {
    return this.w3c.fields();
  }
}

const propagator = new W3CTraceContextPropagator();

/** The trace context an input record carries, as a parent for the work done on it. */
export function extractTraceContext(headers: HeaderMap, parent: Context = contextApi.active()): Context {
  return propagator.extract(parent, headers, getter);
}

/** Writes the trace context onto an output record's headers (a copy; the input is not changed). */
export function injectTraceHeaders(headers: HeaderMap, context: Context = contextApi.active()): HeaderMap {
  const out = { ...headers };
  propagator.inject(context, out, setter);
  return out;
}

/**
 * The correlation id a record travels under: the one it came with, or a new one at the edge where
 * a post enters the pipeline, so every later log line and record of that post can be joined.
 */
export function correlationIdOf(headers: HeaderMap, fallback?: string): string {
  const existing = headers[CORRELATION_ID]?.trim();
  if (existing) return existing;
  return fallback?.trim() || randomUUID();
}

/** Headers for a record produced while handling `input`: correlation id and trace context carried over. */
export function propagateHeaders(input: HeaderMap, output: HeaderMap = {}): HeaderMap {
  const withTrace = injectTraceHeaders(output, extractTraceContext(input));
  return { ...withTrace, [CORRELATION_ID]: correlationIdOf(input) };
}
