import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig, tracingConfigFrom } from './index.js';
import { configProblems } from './test-support/config-problems.js';

const load = (env: Record<string, string | undefined>) => loadConfig(env, { cwd: '/srv', cpuCount: 2 });

const problems = (env: Record<string, string | undefined>) => configProblems(() => load(env));

describe('otel settings', () => {
  it('are off without an endpoint, with the specification defaults', () => {
    expect(load({}).otel).toEqual({
      tracesUrl: null,
      protocol: 'http/json',
      serviceName: null,
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
      exportDelayMs: 5_000,
    });
    expect(tracingConfigFrom({}, 'fetcher')).toBeNull();
  });

  it('append /v1/traces to the generic endpoint and use the per-signal one as it is', () => {
    expect(load({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).otel.tracesUrl).toBe('http://collector:4318/v1/traces');
    expect(load({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/otlp/' }).otel.tracesUrl).toBe(
      'http://collector:4318/otlp/v1/traces',
    );
    expect(
      load({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://tempo.example/api/traces' })
        .otel.tracesUrl,
    ).toBe('https://tempo.example/api/traces');
    expect(load({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).otel.tracesUrl).toBeNull();
  });

  it('name a stage process <APP_NAME>-<stage> unless OTEL_SERVICE_NAME says otherwise', () => {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      APP_NAME: 'fn-media-ai',
      APP_VERSION: '1.2.3',
      ENVIRONMENT: 'staging',
    };
    expect(tracingConfigFrom(env, 'detector')).toMatchObject({
      tracesUrl: 'http://127.0.0.1:4318/v1/traces',
      serviceName: 'fn-media-ai-detector',
      serviceVersion: '1.2.3',
      environment: 'staging',
    });
    expect(tracingConfigFrom(env)?.serviceName).toBe('fn-media-ai');
    expect(tracingConfigFrom({ ...env, OTEL_SERVICE_NAME: 'media-detector' }, 'detector')?.serviceName).toBe('media-detector');
  });

  it('read the sampler, ratio, protocol, export delay and headers', () => {
    const otel = load({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Basic%20abc,x-scope-orgid=media',
    }).otel;
    expect(otel).toMatchObject({ sampler: 'parentbased_traceidratio', samplerRatio: 0.25, protocol: 'http/protobuf', exportDelayMs: 200 });
    expect(otel.headers).toEqual({ authorization: 'Basic abc', 'x-scope-orgid': 'media' });
  });

  it('refuse a bad sampler or ratio, then gRPC and malformed headers, without echoing the headers', () => {
    expect(problems({ OTEL_TRACES_SAMPLER_ARG: '2', OTEL_TRACES_SAMPLER: 'sometimes' }).map((p) => p.split(':')[0])).toEqual([
      'OTEL_TRACES_SAMPLER',
      'OTEL_TRACES_SAMPLER_ARG',
    ]);
    const found = problems({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_HEADERS: 'no-equals-sign-secret-123' });
    expect(found.map((p) => p.split(':')[0])).toEqual(['OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_HEADERS']);
    expect(found.join('\n')).not.toContain('secret-123');
    // The entry point starts no tracer on a bad value; loadConfig then stops start-up naming it.
    expect(tracingConfigFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toBeNull();
  });

  it('describe without the exporter headers or URL credentials', () => {
    const view = describeConfig(
      load({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://user:pw-9@collector:4318', OTEL_EXPORTER_OTLP_HEADERS: 'api-key=key-8' }),
    );
    const text = JSON.stringify(view);
    expect(text).not.toContain('key-8');
    expect(text).not.toContain('pw-9');
    expect((view.otel as { tracesUrl: string }).tracesUrl).toBe('https://user:[redacted]@collector:4318/v1/traces');
  });
});
