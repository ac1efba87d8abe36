/**
 * End to end with a second Kafka client: fn-posts, the producer of posts.events, is not a kafkajs
 * client, so here the platform's side is played by kcat (librdkafka) while the five stage services
 * run as separate processes over the Kafka wire protocol, as in kafka-pipeline.test.ts. kcat produces
 * a real fn-posts post.created event (../shared/contracts/examples/post.created.json, with a fresh
 * post id and a photo the stages can read), and a kcat consumer group reads the post.enhanced it
 * causes from media-ai.enrichment, checked against the platform contract; a second run of the group
 * resumes after its commit. kcat 1.7.1 (Debian bookworm) is built without Avro support (`kcat -V`
 * lists no "Avro"), so it cannot decode an internal topic through the registry itself: it reads one
 * media-ai.photos record as raw bytes, and the test decodes those through the registry stand-in with
 * the project's Avro codecs.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfluentSchemaRegistryClient,
  createCodecs,
  HEADERS,
  TOPICS,
  validatePostEnhanced,
  type PhotoRecord,
  type PostEnhancedEvent,
} from '@media-ai/contracts';
import { loadPlatformPostEnhancedValidator } from '@media-ai/contracts/test-support';
import { DESCRIBES_EVERY_PHOTO } from '@media-ai/llm-service/test-support';
import { openAiTarget, type OpenAiTarget } from '@media-ai/openai/test-support';
import { contractExample, photoUrl, setPostId, withPhotos } from '@media-ai/pipeline/test-support';
import { kcatHeaders, parseKcatRecords, requireKcat, runKcat, startKcat, type RunningKcat } from '@media-ai/stream/test-support/kcat';
import { deploymentEnv, registerSchemas, waitFor as waitForOutput } from './support/deployment.js';
import { startTestCluster, type TestCluster } from './support/kafka-cluster.js';
import { StageProcess, type StageName } from './support/stage-process.js';

/** A database of its own: aggregators scan their database's deadline set (kafka-pipeline uses 11, tracing 12). */
const KCAT_REDIS_DB = 13;
const STAGES: StageName[] = ['aggregator', 'detector', 'ocr', 'llm', 'fetcher'];
const PHOTO = 'laptop_on_kitchen_table.jpg';

const runId = randomUUID().slice(0, 8);
let cluster: TestCluster;
let openAi: OpenAiTarget;
let workDir: string;
const stages = new Map<StageName, StageProcess>();
const consumers: RunningKcat[] = [];

/** kcat's client settings for the cluster: nothing for the stand-in, security settings for a real one. */
function kcatArgs(): string[] {
  const env = cluster.env;
  const settings: Record<string, string | undefined> = {
    'security.protocol': env['KAFKA_SECURITY_PROTOCOL'],
    'sasl.mechanisms': env['KAFKA_SASL_MECHANISM'],
    'sasl.username': env['KAFKA_SASL_USERNAME'],
    'sasl.password': env['KAFKA_SASL_PASSWORD'],
  };
  return Object.entries(settings).flatMap(([name, value]) => (value ? ['-X', `${name}=${value}`] : []));
}

const kcat = (args: string[], input?: string) =>
  runKcat(cluster.env['KAFKA_BOOTSTRAP_SERVERS']!, [...kcatArgs(), ...args], {
    ...(input === undefined ? {} : { input }),
    timeoutMs: 60_000,
  });

function waitFor<T>(what: string, probe: () => T | undefined | false): Promise<T> {
  return waitForOutput(what, probe, stages.values());
}

beforeAll(async () => {
  // Before anything starts: without kcat the suite fails here, with the line that says how to install it.
  requireKcat();
  workDir = mkdtempSync(path.join(os.tmpdir(), 'media-ai-e2e-kcat-'));
  cluster = await startTestCluster(3);
  openAi = await openAiTarget({ fallback: DESCRIBES_EVERY_PHOTO });
  await registerSchemas(cluster);
  const env = {
    ...deploymentEnv({
      cluster,
      openAi,
      workDir,
      appName: 'media-ai-e2e-kcat',
      groupId: `media-ai-e2e-kcat-${runId}`,
      redisDb: KCAT_REDIS_DB,
    }),
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    KAFKA_HEARTBEAT_INTERVAL_MS: '500',
  };
  for (const stage of STAGES) {
    const process = await StageProcess.create(stage, env);
    process.start();
    stages.set(stage, process);
  }
  for (const stage of stages.values()) await stage.waitReady();
});

afterAll(async () => {
  for (const consumer of consumers) await consumer.stop().catch(() => undefined);
  for (const stage of stages.values()) await stage.kill().catch(() => undefined);
  await cluster?.close();
  await openAi?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('the stage services with kcat on both edges', () => {
  const postId = randomUUID();
  const correlationId = randomUUID();
  const group = `platform-matcher-${runId}`;

  it('enrich a post.created event kcat produced, read by a kcat consumer group', async () => {
    // fn-posts' real event, pointed at a photo of ../shared and given its own post and correlation ids.
    const event = setPostId(withPhotos(contractExample('post.created.json'), [photoUrl(PHOTO)]), postId);
    event['correlation_id'] = correlationId;
    const produced = await kcat(
      [
        '-P',
        '-t',
        cluster.topics.postsEvents,
        '-K',
        '|',
        '-H',
        `${HEADERS.correlationId}=${correlationId}`,
        '-H',
        'event_type=post.created',
      ],
      `${postId}|${JSON.stringify(event)}\n`,
    );
    expect(produced.code, produced.stderr).toBe(0);

    // The matcher's side: a consumer group on the enrichment topic, from the earliest offset, printing JSON envelopes.
    const reader = startKcat(cluster.env['KAFKA_BOOTSTRAP_SERVERS']!, [
      ...kcatArgs(),
      '-G',
      group,
      cluster.topics.enrichment,
      '-X',
      'auto.offset.reset=earliest',
      '-J',
      '-u',
    ]);
    consumers.push(reader);
    const record = await waitFor(`the enrichment of ${postId} read by kcat`, () => reader.records().find((r) => r.key === postId));
    expect(await reader.stop()).toBe(0); // leaves the group after committing what it read

    const enhanced = JSON.parse(record.payload!) as PostEnhancedEvent;
    expect(enhanced.event_type).toBe('post.enhanced');
    expect(enhanced.data.post_id).toBe(postId);
    expect(validatePostEnhanced(enhanced).errors).toEqual([]);
    expect(loadPlatformPostEnhancedValidator()(enhanced).errors).toEqual([]);
    expect(enhanced.data.missing_stages).toEqual([]);
    expect(enhanced.data.enhanced_metadata.attributes.objects?.map((o) => o.name)).toContain('laptop');
    expect(kcatHeaders(record)).toMatchObject({
      [HEADERS.correlationId]: correlationId,
      event_type: 'post.enhanced',
      source: 'fn-media-ai',
    });
  });

  it('resume the kcat group after its commit: a second run reads nothing it already read', async () => {
    const again = await kcat(['-G', group, cluster.topics.enrichment, '-X', 'auto.offset.reset=earliest', '-e', '-J', '-q']);
    expect(again.code, again.stderr).toBe(0);
    expect(parseKcatRecords(again.stdout).filter((r) => r.key === postId)).toEqual([]);
  });

  it('carry an internal topic kcat can read as Confluent-framed Avro that the registry decodes', async () => {
    // kcat has no Avro here, so it prints each record's key and value lengths, then the raw bytes.
    const run = await kcat(['-C', '-t', TOPICS.photos, '-o', 'beginning', '-e', '-q', '-f', '%K %S\n%k%s']);
    expect(run.code, run.stderr).toBe(0);
    const values = splitRaw(run.stdoutBytes);
    const ours = values.find((v) => v.key === postId);
    expect(ours, `no ${TOPICS.photos} record keyed ${postId}`).toBeDefined();
    const bytes = ours!.value;
    expect(bytes[0]).toBe(0); // Confluent magic byte, then the 4-byte schema id
    const schemaId = bytes.readInt32BE(1);
    const registry = new ConfluentSchemaRegistryClient({ url: cluster.env['SCHEMA_REGISTRY_URL']! });
    const codecs = createCodecs({
      registry,
      schemaIds: { [TOPICS.photos]: schemaId },
      enrichmentTopic: cluster.topics.enrichment,
      deadLetterTopic: cluster.topics.deadLetter,
    });
    const photo = (await codecs.forTopic(TOPICS.photos).decode(bytes)) as PhotoRecord;
    expect(photo.post_id).toBe(postId);
    expect(photo.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

/** Cuts `kcat -f '%K %S\n%k%s'` output into records: a "keyLength valueLength" line, then the raw key and value. */
function splitRaw(output: Buffer): Array<{ key: string | null; value: Buffer }> {
  const records: Array<{ key: string | null; value: Buffer }> = [];
  let at = 0;
  while (at < output.length) {
    const end = output.indexOf(0x0a, at);
    const [keyLength, valueLength] = output.toString('utf8', at, end).split(' ').map(Number) as [number, number];
    at = end + 1;
    const key = keyLength < 0 ? null : output.toString('utf8', at, at + keyLength);
    at += Math.max(keyLength, 0);
    records.push({ key, value: output.subarray(at, at + Math.max(valueLength, 0)) });
    at += Math.max(valueLength, 0);
  }
  return records;
}
