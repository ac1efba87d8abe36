/**
 * One post, one trace: the five stage services as separate processes over the Kafka wire protocol
 * (as in kafka-pipeline.test.ts), each exporting spans over OTLP/HTTP to a receiver in this process.
 * A post enters posts.events with a traceparent (as fn-posts would send it) and the test checks that
 * every stage's spans land in that one trace, connected parent to child from the post's span to the
 * aggregator's publish span, which links the spans of the parts it joined; that the published
 * enrichment carries that publish span; that the stages answer their health routes and /metrics with
 * the guide's names; and that no log line of any stage (at DEBUG) holds the text read off the photo.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADERS, type PostEnhancedEvent } from '@media-ai/contracts';
import { buildPostCreatedEvent } from '@media-ai/pipeline';
import { DESCRIBES_EVERY_PHOTO } from '@media-ai/llm-service/test-support';
import { openAiTarget, type OpenAiTarget } from '@media-ai/openai/test-support';
import { photoUrl } from '@media-ai/pipeline/test-support';
import { deploymentEnv, E2E_API_TOKEN, redisDbUrl, registerSchemas, waitFor as waitForOutput } from './support/deployment.js';
import { startTestCluster, type ReadRecord, type TestCluster } from './support/kafka-cluster.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver.js';
import { StageProcess, type StageName } from './support/stage-process.js';

/** A database of its own: the other suite's aggregators scan their own database's deadline set. */
const TRACE_REDIS_DB = 12;
const APP_NAME = 'media-ai-trace';
const STAGES: StageName[] = ['aggregator', 'detector', 'ocr', 'llm', 'fetcher'];
/** What the business card says (../shared/photos/manifest.json): names, contacts, an address. */
const CARD_WORDS = ['Avery', 'Smith', 'avery.smith', 'Researcher', 'Kingdom Street', 'Paddington', '7911'];

const runId = randomUUID().slice(0, 8);
let cluster: TestCluster;
let receiver: OtlpReceiver;
let openAi: OpenAiTarget;
let workDir: string;
let enrichments: ReadRecord[];
const stages = new Map<StageName, StageProcess>();

function stageEnv(): Record<string, string> {
  return {
    // DEBUG: every line a stage can write is there for the privacy check below.
    ...deploymentEnv({
      cluster,
      openAi,
      workDir,
      appName: APP_NAME,
      groupId: `media-ai-trace-${runId}`,
      redisDb: TRACE_REDIS_DB,
      logLevel: 'DEBUG',
    }),
    OCR_WORKERS: '1',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    // Short, so the spans of the post arrive while the test waits (the default batches for 5 s).
    OTEL_BSP_SCHEDULE_DELAY: '200',
  };
}

function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs?: number): Promise<T> {
  return waitForOutput(what, probe, stages.values(), timeoutMs);
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const serviceOf = (stage: StageName) => `${APP_NAME}-${stage}`;

beforeAll(async () => {
  // Results cached by an earlier run would answer instead of the models: no inference to trace.
  const redis = new Redis(redisDbUrl(TRACE_REDIS_DB), { lazyConnect: true });
  await redis.connect();
  await redis.flushdb();
  redis.disconnect();
  workDir = mkdtempSync(path.join(os.tmpdir(), 'media-ai-trace-'));
  receiver = await startOtlpReceiver();
  cluster = await startTestCluster(3);
  openAi = await openAiTarget({ fallback: DESCRIBES_EVERY_PHOTO });
  await registerSchemas(cluster);
  enrichments = await cluster.collect(cluster.topics.enrichment);
  for (const stage of STAGES) {
    const process = await StageProcess.create(stage, stageEnv());
    process.start();
    stages.set(stage, process);
  }
  for (const stage of stages.values()) await stage.waitReady();
});

afterAll(async () => {
  for (const stage of stages.values()) await stage.kill().catch(() => undefined);
  await cluster?.close();
  await openAi?.close();
  await receiver?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('one post through the stage services', () => {
  const traceId = hex(16);
  const rootSpanId = hex(8);
  let postId: string;
  let trace: ReceivedSpan[];

  it('yields one connected trace from posts.events to media-ai.enrichment', async () => {
    const built = buildPostCreatedEvent({ photoUrls: [photoUrl('business_card_on_wooden_desk.jpg')], title: 'Found a business card' });
    postId = built.postId;
    await cluster.produce(cluster.topics.postsEvents, [
      {
        key: postId,
        value: Buffer.from(JSON.stringify(built.event)),
        headers: { [HEADERS.correlationId]: randomUUID(), [HEADERS.traceparent]: `00-${traceId}-${rootSpanId}-01` },
      },
    ]);
    const published = await waitFor('the enrichment', () => enrichments.find((r) => r.key === postId));
    const isPublish = (s: ReceivedSpan) => s.service === serviceOf('aggregator') && s.name.startsWith('aggregator publish');
    trace = await waitFor(
      'the spans of every stage',
      () => {
        const mine = receiver.spans.filter((s) => s.traceId === traceId);
        return STAGES.every((stage) => mine.some((s) => s.service === serviceOf(stage))) && mine.some(isPublish) ? mine : undefined;
      },
      30_000,
    );

    // Connected: every span's parent is a span of the trace, or the post's own span upstream.
    const ids = new Set(trace.map((s) => s.spanId));
    const orphans = trace.filter((s) => s.parentSpanId !== rootSpanId && !ids.has(s.parentSpanId ?? ''));
    expect(orphans.map((s) => `${s.service} ${s.name}`)).toEqual([]);
    const fetcher = trace.find(
      (s) => s.name === 'fetcher process posts.events' || s.name.endsWith(`process ${cluster.topics.postsEvents}`),
    )!;
    expect(fetcher.parentSpanId).toBe(rootSpanId);
    expect(fetcher.kind).toBe(5);

    // The post's path, stage by stage: each consumer span a child of the one that produced its input.
    const spanOf = (stage: StageName, name: string) => trace.find((s) => s.service === serviceOf(stage) && s.name === name);
    for (const stage of ['detector', 'ocr', 'llm'] as const) {
      expect(spanOf(stage, `${stage} process media-ai.photos`)?.parentSpanId, stage).toBe(fetcher.spanId);
    }
    expect(spanOf('aggregator', 'aggregator process media-ai.posts')?.parentSpanId).toBe(fetcher.spanId);
    // The work inside the stages: the download, the models, the vision-model call.
    expect(trace.some((s) => s.service === serviceOf('fetcher') && s.name === 'photo download')).toBe(true);
    expect(trace.filter((s) => s.service === serviceOf('detector') && s.name.startsWith('inference ')).length).toBeGreaterThan(0);
    expect(trace.some((s) => s.service === serviceOf('llm') && s.name === 'openai describe')).toBe(true);
    expect(trace.some((s) => s.service === serviceOf('llm') && s.name.startsWith('chat '))).toBe(true);

    // The publish span joins the parts: a child of the record that completed the join, linked to the
    // aggregator's spans of every other record it joined.
    const publish = trace.find(isPublish)!;
    const joined = new Set([publish.parentSpanId, ...publish.links.map((l) => l.spanId)]);
    for (const topic of ['media-ai.posts', 'media-ai.detections', 'media-ai.texts', 'media-ai.descriptions']) {
      const record = spanOf('aggregator', `aggregator process ${topic}`);
      expect(record && joined.has(record.spanId), topic).toBe(true);
    }
    expect(publish.links).toHaveLength(3);
    expect(publish.links.every((l) => l.traceId === traceId)).toBe(true);
    expect(published.headers[HEADERS.traceparent]).toBe(`00-${traceId}-${publish.spanId}-01`);

    // The kafkajs instrumentation is on in every process (patched although kafkajs is imported from ESM).
    expect(new Set(receiver.spans.filter((s) => s.scope === '@opentelemetry/instrumentation-kafkajs').map((s) => s.service))).toEqual(
      new Set(STAGES.map(serviceOf)),
    );
    expect(receiver.refused).toEqual([]);

    if (process.env['MEDIA_AI_PRINT_TRACE']) {
      // The span tree, depth first, children in start order: the closing note's span list.
      const lines: string[] = [];
      const print = (span: ReceivedSpan, depth: number) => {
        const ms = Number((span.endNs - span.startNs) / 1_000_000n);
        lines.push(
          `${'  '.repeat(depth)}[${span.service.replace(`${APP_NAME}-`, '')}] ${span.name} ${ms} ms${span.links.length ? `, ${span.links.length} links` : ''}`,
        );
        for (const child of trace.filter((s) => s.parentSpanId === span.spanId).sort((a, b) => (a.startNs < b.startNs ? -1 : 1)))
          print(child, depth + 1);
      };
      print(fetcher, 0);
      console.log(`trace ${traceId} (${trace.length} spans)\n${lines.join('\n')}`);
    }
  });

  it('answers the four health routes and /metrics with the guide names on every stage', async () => {
    for (const [stage, service] of stages) {
      const base = `http://127.0.0.1:${service.port}`;
      const authorized = { headers: { authorization: `Bearer ${E2E_API_TOKEN.token}` } };
      for (const route of ['/api/v1/health', '/api/v1/health/ready', '/api/v1/health/live']) {
        expect((await fetch(`${base}${route}`)).status, `${stage} ${route}`).toBe(200);
      }
      // /health/detailed answers everyone, but shows each check's details only to a caller with a token.
      const anonymous = (await (await fetch(`${base}/api/v1/health/detailed`)).json()) as { checks: Record<string, object> };
      expect(
        Object.values(anonymous.checks).some((check) => 'details' in check),
        stage,
      ).toBe(false);
      const detailed = (await (await fetch(`${base}/api/v1/health/detailed`, authorized)).json()) as {
        status: string;
        checks: Record<string, { status: string; details?: Record<string, unknown> }>;
      };
      expect(detailed.status, stage).toBe('healthy');
      expect(Object.keys(detailed.checks).sort(), stage).toEqual(['blob_store', 'kafka', 'redis', 'schema_registry', stage].sort());
      if (stage === 'detector') {
        expect(detailed.checks['detector']!.details!['models']).toEqual(expect.arrayContaining([expect.any(String)]));
        if (process.env['MEDIA_AI_PRINT_TRACE']) console.log(JSON.stringify({ ...detailed, config: undefined }, null, 2));
      }
      const metrics = await (await fetch(`${base}/metrics`)).text();
      for (const name of [
        'ai_processing_duration_seconds',
        'ai_confidence_score_distribution',
        'kafka_consumer_lag',
        'model_inference_duration_seconds',
        'openai_api_requests_total',
        'gcs_download_duration_seconds',
        'redis_cache_hit_ratio',
        'media_ai_records_processed_total',
      ]) {
        expect(metrics, `${stage} ${name}`).toContain(`# TYPE ${name} `);
      }
    }
    const aggregatorMetrics = await (await fetch(`http://127.0.0.1:${stages.get('aggregator')!.port}/metrics`)).text();
    expect(aggregatorMetrics).toMatch(/ai_confidence_score_distribution_count\{source="post"\} [1-9]/);
  });

  it('logs the enrichment in the guide format, and nothing read off the photo, at DEBUG, anywhere', async () => {
    const event = JSON.parse(enrichments.find((r) => r.key === postId)!.value.toString('utf8')) as PostEnhancedEvent;
    // The card was read (so the check below means something)…
    expect(JSON.stringify(event.data.enhanced_metadata.attributes.text_content ?? [])).toMatch(/contoso/i);
    const aggregatorLines = stages
      .get('aggregator')!
      .logs()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const completed = aggregatorLines.find((l) => l.message === 'AI processing completed' && l.post_id === postId);
    expect(completed).toMatchObject({
      level: 'info',
      service: APP_NAME,
      photo_count: 1,
      confidence_score: event.data.ai_confidence,
      duration_ms: event.data.processing_time_ms,
    });
    expect(completed!.models_used).toEqual(Object.keys(event.data.model_versions));
    expect(typeof completed!.correlation_id).toBe('string');
    // …and none of it is in any stage's log.
    const everything = [...stages.values()].map((s) => s.logs()).join('\n');
    for (const word of CARD_WORDS) expect(everything, word).not.toContain(word);
  });

  it('export the last spans and exit 0 on SIGTERM', async () => {
    for (const stage of [...stages.values()].reverse()) expect(await stage.terminate(), stage.logs()).toBe(0);
  });
});
