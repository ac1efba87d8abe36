/**
 * Tracing (the OpenTelemetry OTEL_* variables, read the way the OpenTelemetry specification defines
 * them): where spans are exported, what the process is called, how many traces are kept. No
 * OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_SDK_DISABLED=true) means tracing is off and nothing is started.
 * Must never echo the exporter headers (they carry collector API keys) in a message.
 */
import { z } from 'zod';
import { appSchema } from './app.js';
import { boolean, crossFieldIssue, decimal, integer, oneOf, text, url } from './env-fields.js';
import type { RawEnv } from './env-fields.js';

/** The specification's sampler names (OTEL_TRACES_SAMPLER); parentbased_* follow the caller's decision. */
export const OTEL_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type OtelSampler = (typeof OTEL_SAMPLERS)[number];

/**
 * The OTLP encodings this service can send. JSON is the default: it needs no protobuf code and every
 * OTLP/HTTP receiver (the Collector's :4318, Tempo, Jaeger) reads it. gRPC is not built in.
 */
export const OTEL_PROTOCOLS = ['http/json', 'http/protobuf'] as const;
export type OtelProtocol = (typeof OTEL_PROTOCOLS)[number];

export interface OtelSettings {
  /** Where spans are POSTed (…/v1/traces); null: tracing off. */
  tracesUrl: string | null;
  protocol: OtelProtocol;
  /** OTEL_EXPORTER_OTLP_HEADERS (collector credentials); absent when none are set. */
  headers?: Record<string, string>;
  /** OTEL_SERVICE_NAME; null: each process names itself (`<APP_NAME>-<stage>` for a stage service). */
  serviceName: string | null;
  sampler: OtelSampler;
  /** OTEL_TRACES_SAMPLER_ARG, the share of traces kept by the ratio samplers. */
  samplerRatio: number;
  /** OTEL_BSP_SCHEDULE_DELAY: how long finished spans wait to be exported in a batch. */
  exportDelayMs: number;
}

/** What a process needs to start its tracer: the settings with its own name, version and environment. */
export interface TracingConfig extends Omit<OtelSettings, 'tracesUrl' | 'serviceName'> {
  tracesUrl: string;
  serviceName: string;
  serviceVersion: string;
  environment: string;
}

/** `k1=v1,k2=v2` with percent-encoded values (the specification's W3C-baggage-like list). */
function parseHeaderList(raw: string): Record<string, string> | null {
  const headers: Record<string, string> = {};
  for (const entry of raw.split(',')) {
    if (entry.trim() === '') continue;
    const at = entry.indexOf('=');
    if (at <= 0) return null;
    const name = entry.slice(0, at).trim();
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) return null;
    try {
      headers[name.toLowerCase()] = decodeURIComponent(entry.slice(at + 1).trim());
    } catch {
      return null;
    }
  }
  return headers;
}

/** OTLP/HTTP appends the signal path to the generic endpoint, never to the per-signal one. */
function tracesUrlOf(base: URL): string {
  const text = base.toString();
  return `${text.endsWith('/') ? text : `${text}/`}v1/traces`;
}

export const otelSchema = z
  .object({
    OTEL_SDK_DISABLED: boolean(),
    OTEL_EXPORTER_OTLP_ENDPOINT: url(['http:', 'https:']),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url(['http:', 'https:']),
    OTEL_EXPORTER_OTLP_PROTOCOL: text(),
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: text(),
    OTEL_EXPORTER_OTLP_HEADERS: text({ secret: true }),
    OTEL_SERVICE_NAME: text(),
    OTEL_TRACES_SAMPLER: oneOf(OTEL_SAMPLERS),
    OTEL_TRACES_SAMPLER_ARG: decimal(0, 1),
    OTEL_BSP_SCHEDULE_DELAY: integer(1, 600_000),
  })
  .transform((env, ctx): OtelSettings => {
    const protocolVariable =
      env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL !== undefined ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
    const requested = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/json';
    const protocol = OTEL_PROTOCOLS.find((p) => p === requested.toLowerCase());
    if (!protocol)
      crossFieldIssue(
        ctx,
        protocolVariable,
        `expected one of ${OTEL_PROTOCOLS.join('|')} (gRPC is not built in), got ${JSON.stringify(requested)}`,
      );
    let headers: Record<string, string> | null = null;
    if (env.OTEL_EXPORTER_OTLP_HEADERS !== undefined) {
      headers = parseHeaderList(env.OTEL_EXPORTER_OTLP_HEADERS);
      if (!headers)
        crossFieldIssue(ctx, 'OTEL_EXPORTER_OTLP_HEADERS', 'expected name=value pairs separated by commas (values percent-encoded)');
    }
    const endpoint =
      env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.toString() ??
      (env.OTEL_EXPORTER_OTLP_ENDPOINT ? tracesUrlOf(env.OTEL_EXPORTER_OTLP_ENDPOINT) : null);
    const sampler = env.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on';
    return {
      tracesUrl: env.OTEL_SDK_DISABLED ? null : endpoint,
      protocol: protocol ?? 'http/json',
      ...(headers && Object.keys(headers).length > 0 ? { headers } : {}),
      serviceName: env.OTEL_SERVICE_NAME ?? null,
      sampler,
      samplerRatio: env.OTEL_TRACES_SAMPLER_ARG ?? 1,
      exportDelayMs: env.OTEL_BSP_SCHEDULE_DELAY ?? 5_000,
    };
  });

/**
 * The tracing settings of one process, read before anything else is loaded (a process entry point
 * starts its tracer first). Null when tracing is off, and also when a variable is invalid: loadConfig
 * parses the same variables moments later and stops start-up naming them, so nothing is hidden.
 * @param component the stage the process runs (`fetcher`); the service name defaults to `<APP_NAME>-<component>`.
 */
export function tracingConfigFrom(env: RawEnv, component?: string): TracingConfig | null {
  const otel = otelSchema.safeParse(env);
  const app = appSchema.safeParse(env);
  if (!otel.success || !app.success || !otel.data.tracesUrl) return null;
  const { tracesUrl, serviceName, ...rest } = otel.data;
  return {
    ...rest,
    tracesUrl,
    serviceName: serviceName ?? (component ? `${app.data.name}-${component}` : app.data.name),
    serviceVersion: app.data.version,
    environment: app.data.environment,
  };
}
