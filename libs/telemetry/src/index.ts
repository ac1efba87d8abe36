// Logger, Prometheus registry, tracing (SDK start-up, spans, trace context helpers). Everything is built from options the caller
// passes (no global registry, no environment reads), so several instances can live in one process.
export {
  createLogger,
  withLogContext,
  toPinoLevel,
  SECRET_PATHS,
  REDACTED,
  type Logger,
  type LoggerOptions,
  type LoggerLevel,
  type GuideLogLevel,
  type LogContext,
} from './logger.js';
export {
  createMetrics,
  timed,
  LATENCY_BUCKETS,
  CONFIDENCE_BUCKETS,
  BATCH_SIZE_BUCKETS,
  type MediaAiMetrics,
  type MetricsOptions,
} from './metrics.js';
export { Registry } from 'prom-client';
export {
  W3CTraceContextPropagator,
  RecordFirstTraceContextPropagator,
  extractTraceContext,
  injectTraceHeaders,
  propagateHeaders,
  correlationIdOf,
  TRACEPARENT,
  TRACESTATE,
  CORRELATION_ID,
  type HeaderMap,
} from './trace-context.js';
export { startTracing, type Tracing, type TracingOptions, type TracingSampler } from './tracing.js';
export {
  errorTypeOf,
  markSpanFailed,
  setSpanAttributes,
  SpanKind,
  SpanStatusCode,
  tracerFor,
  withSpan,
  type Attributes,
  type Span,
  type Tracer,
} from './spans.js';
export { JoinTraces, type JoinTraceOptions } from './trace-links.js';
