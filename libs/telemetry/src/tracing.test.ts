import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import { startTracing, tracerFor, withSpan, type Tracing, type TracingOptions } from './index.js';

/** Keeps what the SDK exports (an in-memory exporter would forget it on shutdown). */
function collectingExporter() {
  const spans: ReadableSpan[] = [];
  const exporter: SpanExporter = {
    export(batch, done) {
      spans.push(...batch);
      done({ code: 0 });
    },
    shutdown: async () => undefined,
  };
  return { spans, exporter };
}

const OPTIONS: TracingOptions = {
  tracesUrl: 'http://127.0.0.1:9/v1/traces',
  protocol: 'http/json',
  serviceName: 'media-ai-test-fetcher',
  serviceVersion: '9.9.9',
  environment: 'development',
  sampler: 'parentbased_always_on',
  samplerRatio: 1,
  exportDelayMs: 50,
};

const PARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('startTracing', () => {
  let tracing: Tracing;
  const { spans, exporter } = collectingExporter();
  afterAll(() => tracing?.shutdown());

  it('starts nothing without options', async () => {
    const off = await startTracing(null);
    expect(off.enabled).toBe(false);
    await off.shutdown();
  });

  it('records spans with the service resource, failures by type only', async () => {
    tracing = await startTracing(OPTIONS, exporter);
    expect(tracing.enabled).toBe(true);
    // One SDK per process: a second start hands back the first.
    expect(await startTracing(OPTIONS, exporter)).toBe(tracing);

    await expect(
      withSpan(tracerFor('test'), 'inference yolox-nano', { attributes: { model_name: 'yolox-nano' } }, async () => {
        throw new Error('boom: secret detail');
      }),
    ).rejects.toThrow('boom');
    await withSpan(tracerFor('test'), 'download', {}, async () => 'ok');
    await tracing.shutdown();

    const byName = new Map(spans.map((s) => [s.name, s]));
    const failed = byName.get('inference yolox-nano')!;
    expect(failed.resource.attributes).toMatchObject({
      'service.name': 'media-ai-test-fetcher',
      'service.version': '9.9.9',
      'deployment.environment.name': 'development',
    });
    expect(failed.status).toEqual({ code: 2, message: 'Error' });
    expect(failed.attributes['error.type']).toBe('Error');
    // The message may quote what failed (a URL, text): it never reaches the span.
    expect(JSON.stringify(failed.events)).not.toContain('secret detail');
    expect(byName.get('download')!.status.code).toBe(0);
  });

  it('patches kafkajs when an entry point imports it after starting (its own process: ESM, as deployed)', async () => {
    const probe = fileURLToPath(new URL('./test-support/kafkajs-patch-probe.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=development', '--import', 'tsx', probe], {
      encoding: 'utf8',
    });
    expect(JSON.parse(stdout)).toEqual({ patched: true });
  });

  it('installs a propagator that keeps the traceparent a record already carries', () => {
    const span = trace.wrapSpanContext({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 });
    const active = trace.setSpan(ROOT_CONTEXT, span);
    const carrier: Record<string, string> = { traceparent: PARENT };
    context.with(active, () => propagation.inject(context.active(), carrier));
    expect(carrier.traceparent).toBe(PARENT);
    const empty: Record<string, string> = {};
    propagation.inject(active, empty);
    expect(empty.traceparent).toBe(`00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`);
    expect(trace.getSpanContext(propagation.extract(ROOT_CONTEXT, { traceparent: PARENT }))?.spanId).toBe('00f067aa0ba902b7');
  });
});
