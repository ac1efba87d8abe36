/**
 * Which headers travel from an input record to the records produced from it: the correlation id
 * and the W3C trace context, so one post can be followed across every stage and the dead-letter
 * topic. It never propagates anything else (dead-letter reasons, transport internals), so a header
 * written for one hop cannot leak into the next.
 */
import { HEADERS } from '@media-ai/contracts';
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

/** Headers of an output: the input's propagated ones, overridden by the output's own. */
export function outputHeaders(input: Headers, own: Headers | undefined): Headers {
  return { ...propagatedHeaders(input), ...(own ?? {}) };
}
