/**
 * Starts the OpenTelemetry Node SDK for one process when tracing is configured: spans exported over
 * OTLP/HTTP in batches, the kafkajs instrumentation, our trace-context propagator (see
 * RecordFirstTraceContextPropagator) and the configured sampler. Without a traces URL it starts
 * nothing and loads none of the SDK: every span in the code base stays the API's no-op.
 *
 * The kafkajs instrumentation patches kafkajs as it is loaded, so this must run before anything
 * imports kafkajs: a process entry point awaits startTracing first and imports the rest of the
 * process afterwards (see services/<stage>/src/main.ts). kafkajs is CommonJS imported from ESM, which
 * the SDK's require hook does not see; an ESM loader hook (import-in-the-middle, as OpenTelemetry
 * documents it) is registered for kafkajs alone, so no other module is wrapped.
 *
 * Must never read the environment (the caller passes typed options), never block shutdown for more
 * than its bound, and never make a span export failure fail the process.
 */
import { register } from 'node:module';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { RecordFirstTraceContextPropagator } from './trace-context.js';

export type TracingSampler =
  'always_on' | 'always_off' | 'traceidratio' | 'parentbased_always_on' | 'parentbased_always_off' | 'parentbased_traceidratio';

/** What the config lib's TracingConfig provides; spelled out here so telemetry does not depend on config. */
export interface TracingOptions {
  /** Where spans are POSTed (…/v1/traces). */
  tracesUrl: string;
  protocol: 'http/json' | 'http/protobuf';
  headers?: Record<string, string>;
  serviceName: string;
  serviceVersion: string;
  environment: string;
  sampler: TracingSampler;
  samplerRatio: number;
  exportDelayMs: number;
}

export interface Tracing {
  /** Whether an SDK was started (spans are recorded and exported). */
  readonly enabled: boolean;
  /** Exports what is buffered and stops, within `timeoutMs` (default 5 s). Idempotent. */
  shutdown(timeoutMs?: number): Promise<void>;
}

const DISABLED: Tracing = { enabled: false, shutdown: async () => undefined };

let running: Tracing | null = null;
let hookRegistered = false;

/**
 * Starts tracing for this process, or does nothing when `options` is null (tracing off). A second
 * call returns the first one's handle: one SDK per process.
 * @param exporter replaces the OTLP exporter (tests).
 */
export async function startTracing(options: TracingOptions | null, exporter?: SpanExporter): Promise<Tracing> {
  if (!options) return DISABLED;
  if (running) return running;
  if (!hookRegistered) {
    register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, { data: { include: ['kafkajs'] } });
    hookRegistered = true;
  }
  // Loaded only now: a process without tracing never pays for the SDK.
  const [{ NodeSDK }, { KafkaJsInstrumentation }, { resourceFromAttributes }, base, { diag, DiagLogLevel }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/instrumentation-kafkajs'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/api'),
  ]);
  diag.setLogger(stderrDiagLogger(options.serviceName), DiagLogLevel.WARN);

  const spanExporter = exporter ?? (await otlpExporter(options));
  const ratio = new base.TraceIdRatioBasedSampler(options.samplerRatio);
  const root = {
    always_on: new base.AlwaysOnSampler(),
    always_off: new base.AlwaysOffSampler(),
    traceidratio: ratio,
    parentbased_always_on: new base.ParentBasedSampler({ root: new base.AlwaysOnSampler() }),
    parentbased_always_off: new base.ParentBasedSampler({ root: new base.AlwaysOffSampler() }),
    parentbased_traceidratio: new base.ParentBasedSampler({ root: ratio }),
  }[options.sampler];

  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      'service.name': options.serviceName,
      'service.version': options.serviceVersion,
      'deployment.environment.name': options.environment,
    }),
    // Bounded queue that drops rather than blocks: a collector outage must not slow a stage down.
    spanProcessors: [
      new base.BatchSpanProcessor(spanExporter, {
        scheduledDelayMillis: options.exportDelayMs,
        maxQueueSize: 4096,
        maxExportBatchSize: 512,
      }),
    ],
    sampler: root,
    textMapPropagator: new RecordFirstTraceContextPropagator(),
    instrumentations: [new KafkaJsInstrumentation()],
    // Traces only. Left unset, the SDK would start OTLP metric and log exporters of its own;
    // metrics are Prometheus' (/metrics), logs are JSON lines on stdout.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();

  let stopping: Promise<void> | null = null;
  running = {
    enabled: true,
    shutdown(timeoutMs = 5_000) {
      stopping ??= (async () => {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          sdk.shutdown().catch(() => undefined),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, timeoutMs);
            timer.unref();
          }),
        ]).finally(() => clearTimeout(timer));
        running = null;
      })();
      return stopping;
    },
  };
  return running;
}

async function otlpExporter(options: TracingOptions): Promise<SpanExporter> {
  const settings = { url: options.tracesUrl, headers: options.headers ?? {} };
  if (options.protocol === 'http/protobuf') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
    return new OTLPTraceExporter(settings);
  }
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  return new OTLPTraceExporter(settings);
}

/** The SDK's own warnings (an unreachable collector, dropped spans), as JSON lines like the service log. */
function stderrDiagLogger(service: string) {
  const write = (level: string) => (message: string) => {
    process.stderr.write(
      `${JSON.stringify({ timestamp: new Date().toISOString(), level, service, message: `opentelemetry: ${message}` })}\n`,
    );
  };
  const ignore = () => undefined;
  return { error: write('error'), warn: write('warning'), info: ignore, debug: ignore, verbose: ignore };
}
