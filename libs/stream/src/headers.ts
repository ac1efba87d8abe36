/**
 * Which headers travel from an input record to the records produced from it: the correlation id
 * and the W3C trace context, so one post can be followed across every stage and the dead-letter
 * topic. The trace context written is that of the span that handled the input (see process-batch),
 * so the next stage's span is its child and one trace follows a post; without a span to speak of
 * (no tracing SDK and no valid parent) the input's trace headers pass through as they came.
 * It never propagates anything else (dead-letter reasons, transport internals), so a header
 * written for one hop cannot leak into the next.
 */
import { HEADERS } from '@media-ai/contracts';
import { injectTraceHeaders } from '@media-ai/telemetry';
import type { Context } from '@opentelemetry/api';
import type { Headers } from './transport.js';

export const PROPAGATED_HEADERS: readonly string[] = [HEADERS.correlationId, HEADERS.traceparent, HEADERS.tracestate];

/** The propagated subset of an input's headers. */
export function propagatedHeaders(input: Headers): Headers {
  const out: Headers = {};
  for (const name of PROPAGATED_HEADERS) {
    const value = input[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * Headers of an output: the input's propagated ones, the trace context of `trace` (the span that
 * produced the output) in place of the input's when it has a valid one, and the output's own over all.
 */
export function outputHeaders(input: Headers, own: Headers | undefined, trace?: Context): Headers {
  const out = propagatedHeaders(input);
  if (trace) {
    const current = injectTraceHeaders({}, trace);
    if (current[HEADERS.traceparent] !== undefined) {
      // The span's tracestate (inherited from its parent) replaces the input's, or its absence does.
      delete out[HEADERS.tracestate];
      Object.assign(out, current);
    }
  }
  return own ? { ...out, ...own } : out;
}
