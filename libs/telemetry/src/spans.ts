/**
 * Span helpers for the code that does the slow things (model inference, downloads, vision-model
 * calls, record handling): run work inside a span, mark a failure on it the same way everywhere.
 * Through the OpenTelemetry API only, so with no SDK started every span is the API's no-op and
 * nothing is recorded or exported.
 * Must never put personal data on a span: no photo bytes, OCR or model text, URLs or post content,
 * and on failure only the error's catalogue code (or class name), never its message or stack, which
 * may quote what it failed on.
 */
import { SpanStatusCode, trace, type Attributes, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';
import { MediaAiError } from '@media-ai/contracts';

export { SpanKind, SpanStatusCode, type Attributes, type Span, type Tracer } from '@opentelemetry/api';

/** The tracer of one of our libraries; a no-op until an SDK registers a provider (then the real one). */
export function tracerFor(name: string): Tracer {
  return trace.getTracer(name);
}

/** What a failed span carries: the catalogue code of a MediaAiError, else the error's class name. */
export function errorTypeOf(error: unknown): string {
  if (error instanceof MediaAiError) return error.code;
  return error instanceof Error ? error.name : typeof error;
}

/** Marks the span as failed with the error's type (see errorTypeOf); never its message. */
export function markSpanFailed(span: Span, error: unknown): void {
  const type = errorTypeOf(error);
  span.setAttribute('error.type', type);
  span.setStatus({ code: SpanStatusCode.ERROR, message: type });
}

/**
 * Runs `work` inside a new active span (so spans it starts are its children), marks a throw as the
 * span's failure, and ends the span either way.
 */
export function withSpan<T>(tracer: Tracer, name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, options, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      markSpanFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Sets attributes only while the span records, so a no-op span costs no attribute objects. */
export function setSpanAttributes(span: Span, attributes: () => Attributes): void {
  if (span.isRecording()) span.setAttributes(attributes());
}
