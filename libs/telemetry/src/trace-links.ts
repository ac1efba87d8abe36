/**
 * The trace side of a join: remembers, per key (a post id), the span of each record that contributed
 * to it (the span active while the record is handled), so the span that publishes the joined result
 * is linked to every one of them and one trace viewer shows where each part of a post came from.
 * In memory and bounded (the least recently touched keys are forgotten first): links help navigate,
 * they are not data, so a restart or a rebalance only loses the links of the posts in flight. Remembers
 * nothing while no span is being recorded (no SDK, or an unsampled trace), so it costs nothing then.
 */
import {
  context as contextApi,
  isSpanContextValid,
  ROOT_CONTEXT,
  SpanKind,
  trace,
  type Attributes,
  type Link,
  type SpanContext,
  type Tracer,
} from '@opentelemetry/api';
import { injectTraceHeaders, type HeaderMap } from './trace-context.js';

export interface JoinTraceOptions {
  /** Keys remembered at once (default 10 000 posts in flight). */
  maxKeys?: number;
  /** Contributions remembered per key (default 64: a 10-photo post has 31 records). */
  maxPerKey?: number;
}

export class JoinTraces {
  private readonly byKey = new Map<string, SpanContext[]>();
  private readonly maxKeys: number;
  private readonly maxPerKey: number;

  constructor(
    private readonly tracer: Tracer,
    options: JoinTraceOptions = {},
  ) {
    this.maxKeys = options.maxKeys ?? 10_000;
    this.maxPerKey = options.maxPerKey ?? 64;
  }

  /** Notes the active span (the handling of a record that contributes to `key`), while spans are recorded. */
  remember(key: string): void {
    const span = trace.getSpan(contextApi.active());
    if (!span?.isRecording()) return;
    const spanContext = span.spanContext();
    const list = this.byKey.get(key) ?? [];
    if (list.length < this.maxPerKey && !list.some((c) => c.spanId === spanContext.spanId)) list.push(spanContext);
    // Re-inserted so the Map's order is least recently touched first.
    this.byKey.delete(key);
    this.byKey.set(key, list);
    if (this.byKey.size > this.maxKeys) this.byKey.delete(this.byKey.keys().next().value!);
  }

  forget(key: string): void {
    this.byKey.delete(key);
  }

  /**
   * Starts and ends the span of publishing `key`'s joined result and returns the headers that carry
   * it to the output's consumers. Its parent is the active span (the record that completed the join)
   * or, with none (a deadline timer), the first record remembered for the key, so the span stays in
   * the post's trace either way; every other remembered record is a link.
   */
  publishSpan(name: string, key: string, attributes: Attributes = {}): HeaderMap {
    const contexts = this.byKey.get(key) ?? [];
    const active = contextApi.active();
    const activeSpan = trace.getSpanContext(active);
    const parent =
      activeSpan && isSpanContextValid(activeSpan) ? active : contexts[0] ? trace.setSpanContext(ROOT_CONTEXT, contexts[0]) : active;
    const parentId = trace.getSpanContext(parent)?.spanId;
    const links: Link[] = contexts.filter((c) => c.spanId !== parentId).map((c) => ({ context: c }));
    const span = this.tracer.startSpan(
      name,
      { kind: SpanKind.PRODUCER, links, attributes: { ...attributes, 'media_ai.joined_records': contexts.length } },
      parent,
    );
    span.end();
    return injectTraceHeaders({}, trace.setSpan(parent, span));
  }
}
