/**
 * End to end over the Kafka wire protocol: the stage services as separate Node processes started
 * from their real entry points, as a deployment runs them, with real kafkajs clients talking TCP to
 * the test broker (or a real cluster: see support/kafka-cluster.ts), Avro through the registry's
 * HTTP API, join state in a real Redis, real models and real tesseract. Schemas are registered by
 * the deploy command before any stage starts, as in production.
 *
 * The llm stage talks to the OpenAI-compatible stand-in (a real HTTP server in this process that
 * the real openai client calls), or to a real server with MEDIA_AI_TEST_OPENAI_BASE_URL and
 * OPENAI_API_KEY set. On the stand-in broker the chaos run also restarts the broker itself mid-stream
 * (it keeps its logs, offsets and groups in a folder, as a broker pod keeps its volume).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfluentSchemaRegistryClient,
  createCodecs,
  HEADERS,
  resolveSchemaIds,
  TOPICS,
  validatePostEnhanced,
  type PostEnhancedEvent,
  type ReviewDecisionRecord,
} from '@media-ai/contracts';
import { loadPlatformPostEnhancedValidator, type PlatformValidator } from '@media-ai/contracts/test-support';
import { buildPostCreatedEvent } from '@media-ai/pipeline';
import { POOLED_EMBEDDING_VERSION } from '@media-ai/vision';
import { DESCRIBES_EVERY_PHOTO } from '@media-ai/llm-service/test-support';
import { openAiTarget, type OpenAiTarget } from '@media-ai/openai/test-support';
import { photoPath, photoUrl } from '@media-ai/pipeline/test-support';
import { deploymentEnv, registerSchemas, waitFor as waitForOutput } from './support/deployment.js';
import { startTestCluster, type ReadRecord, type TestCluster } from './support/kafka-cluster.js';
import { StageProcess, type StageName } from './support/stage-process.js';

/** A database of its own: other suites' aggregators scan the default one's deadline set. */
const E2E_REDIS_DB = 11;

/** Set as support/kafka-cluster.ts reads it: the suite then runs against a real cluster and registry. */
const REAL_CLUSTER = Boolean(process.env['KAFKA_BOOTSTRAP_SERVERS'] && process.env['SCHEMA_REGISTRY_URL']);

const STAGES: StageName[] = ['aggregator', 'detector', 'ocr', 'llm', 'fetcher'];

let cluster: TestCluster;
let openAi: OpenAiTarget;
let workDir: string;
let stages: Map<StageName, StageProcess>;
let enrichments: ReadRecord[];
let deadLetters: ReadRecord[];
let platformValidator: PlatformValidator;

function stageEnv(stage: StageName): Record<string, string> {
  return {
    ...deploymentEnv({ cluster, openAi, workDir, appName: 'media-ai-e2e', groupId: `media-ai-e2e-${runId}`, redisDb: E2E_REDIS_DB }),
    // Short enough that a killed member's partitions move within seconds.
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    KAFKA_HEARTBEAT_INTERVAL_MS: '500',
    KAFKA_RETRY_BACKOFF_MS: '200',
    // One photo per OCR batch, so the crash test can kill it between two of them.
    ...(stage === 'ocr' ? { KAFKA_MAX_POLL_RECORDS: '1', OCR_WORKERS: '1' } : {}),
  };
}

const runId = randomUUID().slice(0, 8);

async function startStage(stage: StageName): Promise<StageProcess> {
  const process = await StageProcess.create(stage, stageEnv(stage));
  process.start();
  stages.set(stage, process);
  return process;
}

async function submitPost(file: string): Promise<string> {
  const { postId, event } = buildPostCreatedEvent({ photoUrls: [photoUrl(file)], title: `e2e ${file}` });
  await cluster.produce(cluster.topics.postsEvents, [
    { key: postId, value: Buffer.from(JSON.stringify(event)), headers: { [HEADERS.correlationId]: randomUUID() } },
  ]);
  return postId;
}

function enrichmentsOf(postId: string): PostEnhancedEvent[] {
  return enrichments.filter((r) => r.key === postId).map((r) => JSON.parse(r.value.toString('utf8')) as PostEnhancedEvent);
}

function waitFor<T>(what: string, probe: () => T | undefined | false): Promise<T> {
  return waitForOutput(what, probe, stages.values());
}

function expectOneEnrichment(postId: string): PostEnhancedEvent {
  const events = enrichmentsOf(postId);
  expect(events.length).toBeGreaterThan(0);
  // A replay may deliver the same event again; it must never be a different one.
  expect(new Set(events.map((e) => JSON.stringify(e))).size).toBe(1);
  const event = events[0]!;
  expect(event.event_type).toBe('post.enhanced');
  expect(validatePostEnhanced(event).errors).toEqual([]);
  expect(platformValidator(event).errors).toEqual([]);
  expect(event.data.missing_stages).toEqual([]);
  return event;
}

/** A real photo with a printed sticker composited onto it, large enough to read once normalized. */
async function withSticker(file: string, lines: readonly string[]): Promise<Buffer> {
  const text = lines
    .map((l, i) => `<text x="30" y="${70 + i * 70}" font-family="DejaVu Sans, Arial, sans-serif" font-size="48" fill="#111">${l}</text>`)
    .join('');
  const sticker = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="980" height="${60 + lines.length * 70}"><rect width="100%" height="100%" fill="#f6f6f2"/>${text}</svg>`,
  );
  return sharp(photoPath(file))
    .resize({ width: 1280 })
    .composite([{ input: sticker, top: 40, left: 40 }])
    .jpeg({ quality: 92 })
    .toBuffer();
}

beforeAll(async () => {
  platformValidator = loadPlatformPostEnhancedValidator();
  workDir = mkdtempSync(path.join(os.tmpdir(), 'media-ai-e2e-'));
  cluster = await startTestCluster(3);
  openAi = await openAiTarget({ fallback: DESCRIBES_EVERY_PHOTO });
  stages = new Map();
  await registerSchemas(cluster);
  enrichments = await cluster.collect(cluster.topics.enrichment);
  deadLetters = await cluster.collect(cluster.topics.deadLetter);
  for (const stage of STAGES) await startStage(stage);
  for (const stage of stages.values()) await stage.waitReady();
});

afterAll(async () => {
  for (const stage of stages?.values() ?? []) await stage.kill().catch(() => undefined);
  await cluster?.close();
  await openAi?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('the stage services over Kafka', () => {
  it('enrich every post once, with what each photo shows', async () => {
    const photos = { 'laptop_on_kitchen_table.jpg': 'laptop', 'coffee_cup_saucer.jpg': 'cup', 'person_with_dog.jpg': 'dog' } as const;
    const posts = new Map<string, string>();
    const hashes = new Set<string>();
    for (const [file, object] of Object.entries(photos)) posts.set(await submitPost(file), object);
    for (const [postId, object] of posts) {
      await waitFor(`the enrichment of ${postId}`, () => enrichmentsOf(postId).length > 0);
      const event = expectOneEnrichment(postId);
      expect(event.data.enhanced_metadata.attributes.objects?.map((o) => o.name)).toContain(object);
      expect(Object.keys(event.data.model_versions).length).toBeGreaterThan(0);
      // The llm stage's part made it in: the vision model's description is published.
      expect(event.data.generated_description).toBeTruthy();
      // The detector's fingerprint travelled (media-ai.detections v5, the join) into data.fingerprints.
      const [fingerprint, ...more] = event.data.fingerprints;
      expect(more).toEqual([]);
      expect(fingerprint).toMatchObject({
        photo_id: expect.any(String),
        model: `mobilenetv2-int8/${POOLED_EMBEDDING_VERSION}`,
        perceptual_hash: expect.stringMatching(/^[0-9a-f]{16}$/),
      });
      expect(fingerprint!.items.at(-1)).toMatchObject({ label: null, box: null });
      // The whole photo's vector is the global pool (1280); an item's adds its own pool of a feature map (mean ++ max of 32 channels).
      for (const item of fingerprint!.items)
        expect(Buffer.from(item.embedding, 'base64')).toHaveLength(item.label === null ? 1280 : 1280 + 64);
      // v5: the item's colour histogram travelled with it (28 bins); the whole photo has none.
      for (const item of fingerprint!.items) {
        expect(item.color_histogram ?? null).toEqual(item.label === null ? null : expect.stringMatching(/^[0-9a-f]{56}$/));
      }
      hashes.add(fingerprint!.perceptual_hash);
    }
    expect(hashes.size).toBe(posts.size);
  });

  it('pair a lost post naming an IMEI and a found post whose photo shows it by the same keyed hash, with the number readable nowhere', async () => {
    // A Luhn-valid IMEI (the redactor checks the digit) on a sticker, rendered onto a real photo.
    const imei = '490154203237518';
    const photo = path.join(workDir, 'laptop_with_imei_sticker.jpg');
    writeFileSync(photo, await withSticker('laptop_on_kitchen_table.jpg', ['Model: KX-200 Mobile Hotspot', `IMEI ${imei}`]));
    const lost = buildPostCreatedEvent({
      type: 'lost',
      title: 'Lost mobile hotspot',
      description: `Left on the train, black KX-200. IMEI ${imei}, reward offered.`,
      photoUrls: [photoUrl('phone_with_powerbank.jpg')],
    });
    const found = buildPostCreatedEvent({ type: 'found', title: 'Found a hotspot', photoUrls: [pathToFileURL(photo).href] });
    for (const { postId, event } of [lost, found]) {
      await cluster.produce(cluster.topics.postsEvents, [{ key: postId, value: Buffer.from(JSON.stringify(event)) }]);
    }
    const events: PostEnhancedEvent[] = [];
    for (const { postId } of [lost, found]) {
      await waitFor(`the enrichment of ${postId}`, () => enrichmentsOf(postId).length > 0);
      events.push(expectOneEnrichment(postId));
    }
    const imeiOf = (event: PostEnhancedEvent, source: 'photo' | 'post_text') =>
      event.data.sensitive?.identifiers.find((i) => i.kind === 'imei' && i.source === source);
    const fromText = imeiOf(events[0]!, 'post_text');
    const fromPhoto = imeiOf(events[1]!, 'photo');
    expect(fromText, JSON.stringify(events[0]!.data.sensitive)).toMatchObject({ last4: '7518', photo_id: null });
    expect(fromPhoto, JSON.stringify(events[1]!.data.sensitive)).toMatchObject({ last4: '7518', photo_id: expect.any(String) });
    expect(fromPhoto!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(fromPhoto!.hash).toBe(fromText!.hash);
    // Readable nowhere in either event: not whole, not grouped, not any run of seven of its digits.
    for (const event of events) {
      const json = JSON.stringify(event);
      const digits = json.replace(/[\s-]/g, '');
      for (let i = 0; i + 7 <= imei.length; i++) expect(digits, 'a run of the IMEI').not.toContain(imei.slice(i, i + 7));
    }
    // The lost post's own text is echoed masked, the way OCR text is.
    expect(events[0]!.data.original_post.description).toContain('IMEI [IMEI');
  });

  /**
   * Submits posts, SIGKILLs the stage once `midStream` says some (not all) of them went past it,
   * restarts it, and checks every post still gets exactly one enrichment.
   */
  async function crashMidStream(
    stage: StageName,
    files: readonly string[],
    progress: (postIds: readonly string[]) => Promise<() => number>,
  ): Promise<void> {
    const postIds: string[] = [];
    for (const file of files) postIds.push(await submitPost(file));
    const done = await progress(postIds);
    await waitFor(`the first result past the ${stage}`, () => done() > 0);
    expect(done()).toBeLessThan(files.length);
    await stages.get(stage)!.kill();
    const restarted = await startStage(stage);
    await restarted.waitReady();

    for (const postId of postIds) {
      await waitFor(`the enrichment of ${postId} after the ${stage} crash`, () => enrichmentsOf(postId).length > 0);
    }
    // Give a duplicate every chance to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    for (const postId of postIds) expectOneEnrichment(postId);
  }

  it('lose nothing and publish nothing twice when the ocr stage is SIGKILLed mid-stream and restarted', async () => {
    const texts = await cluster.collect('media-ai.texts');
    await crashMidStream(
      'ocr',
      [
        'phone_with_powerbank.jpg',
        'batteries_varta.jpg',
        'taxis_street.jpg',
        'skateboard_closeup.jpg',
        'book_page_text_with_numbers.png',
        'bicycles_two_riders.jpg',
      ],
      async (postIds) => () =>
        // OCR publishes one photo per batch here (KAFKA_MAX_POLL_RECORDS=1).
        texts.filter((r) => r.key !== null && postIds.includes(r.key)).length,
    );
  });

  it('lose nothing and publish nothing twice when the aggregator is SIGKILLed mid-join and restarted', async () => {
    await crashMidStream(
      'aggregator',
      [
        'hoodie_with_logo.jpg',
        'smartwatch_calendar.jpg',
        'pen_on_lined_paper.jpg',
        'business_card_on_wooden_desk.jpg',
        'cafe_terrace_table_menu.jpg',
      ],
      async (postIds) => () => postIds.filter((postId) => enrichmentsOf(postId).length > 0).length,
    );
  });

  // A real cluster cannot be restarted from here: this one runs on the stand-in broker only.
  it.skipIf(REAL_CLUSTER)('lose nothing and publish nothing twice when the broker restarts mid-stream', async () => {
    const photos = await cluster.collect('media-ai.photos');
    const files = [
      'bicycle_and_dog_on_porch.jpg',
      'book_page_watson_studio.jpg',
      'phone_lockscreen_in_hand.jpg',
      'toy_astronaut_on_desk.jpg',
    ];
    const postIds: string[] = [];
    for (const file of files) postIds.push(await submitPost(file));
    // In flight: the fetcher has published a photo of these posts, the aggregator has not finished them all.
    await waitFor('the first photo of these posts', () => photos.some((r) => r.key !== null && postIds.includes(r.key)));
    expect(postIds.filter((postId) => enrichmentsOf(postId).length > 0).length).toBeLessThan(files.length);
    await cluster.restartBroker();

    for (const postId of postIds) {
      await waitFor(`the enrichment of ${postId} after the broker restart`, () => enrichmentsOf(postId).length > 0);
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    for (const postId of postIds) expectOneEnrichment(postId);
    for (const stage of stages.values()) expect(stage.running, stage.logs()).toBe(true);
  });

  it('dead-letters a poison record with its origin and reason, and processes the records after it', async () => {
    const { postId, event } = buildPostCreatedEvent({ photoUrls: [photoUrl('coffee_cup_saucer.jpg')] });
    // Same key, so the same partition: the good record waits behind the poison one.
    await cluster.produce(cluster.topics.postsEvents, [
      { key: postId, value: Buffer.from('{"event_type": "post.created", "payload": {', 'utf8') },
      { key: postId, value: Buffer.from(JSON.stringify(event)) },
    ]);
    // A record no registry knows the schema of, on an internal topic every analysis stage reads.
    const unknownSchema = Buffer.concat([Buffer.from([0, 0, 0, 0x27, 0x0f]), Buffer.from('not avro')]);
    await cluster.produce('media-ai.photos', [{ key: postId, value: unknownSchema }]);

    await waitFor('the enrichment after the poison record', () => enrichmentsOf(postId).length > 0);
    expectOneEnrichment(postId);
    const poisoned = await waitFor('the dead letters', () => {
      const mine = deadLetters.filter((r) => r.key === postId);
      return mine.length >= 4 ? mine : undefined;
    });
    const badEvent = poisoned.find((r) => r.headers[HEADERS.dlqSourceTopic] === cluster.topics.postsEvents)!;
    expect(badEvent.headers[HEADERS.dlqStage]).toBe('fetcher');
    expect(badEvent.headers[HEADERS.dlqErrorCode]).toBe('MEDIA_AI_BAD_EVENT');
    expect(badEvent.headers[HEADERS.dlqSourcePartition]).toMatch(/^\d+$/);
    expect(badEvent.headers[HEADERS.dlqSourceOffset]).toMatch(/^\d+$/);
    expect(badEvent.value.toString('utf8')).toBe('{"event_type": "post.created", "payload": {');
    const unknown = poisoned.filter((r) => r.headers[HEADERS.dlqSourceTopic] === 'media-ai.photos');
    expect(unknown.map((r) => r.headers[HEADERS.dlqStage]).sort()).toEqual(['detector', 'llm', 'ocr']);
    for (const record of unknown) expect(record.headers[HEADERS.dlqErrorCode]).toBe('MEDIA_AI_UNKNOWN_SCHEMA');
  });

  it('a review decision on media-ai.reviews (Avro, through the registry) comes back as the next revision of the post', async () => {
    const postId = await submitPost('coffee_cup_saucer.jpg');
    await waitFor(`the enrichment of ${postId}`, () => enrichmentsOf(postId).length > 0);
    const first = expectOneEnrichment(postId);
    const [accepted, rejected] = [...first.data.tag_grades].sort((a, b) => a.confidence - b.confidence);
    expect(rejected, 'two tags to decide on').toBeDefined();
    const registry = new ConfluentSchemaRegistryClient({
      url: cluster.env['SCHEMA_REGISTRY_URL']!,
      username: cluster.env['SCHEMA_REGISTRY_USERNAME'],
      password: cluster.env['SCHEMA_REGISTRY_PASSWORD'],
    });
    const codecs = createCodecs({
      registry,
      schemaIds: await resolveSchemaIds(registry),
      enrichmentTopic: cluster.topics.enrichment,
      deadLetterTopic: cluster.topics.deadLetter,
    });
    const decide = async (tag: string, action: 'accept' | 'reject') => {
      const grade = first.data.tag_grades.find((g) => g.tag === tag)!;
      const decision: ReviewDecisionRecord = {
        decision_id: randomUUID(),
        post_id: postId,
        revision: first.data.revision,
        tenant: first.data.original_post.organization_id ?? 'none',
        reviewer: 'e2e-reviewer',
        decided_at: Date.now(),
        tag,
        tier: grade.tier,
        confidence: grade.confidence,
        action,
        corrected_to: null,
      };
      await cluster.produce(TOPICS.reviews, [{ key: postId, value: await codecs.forTopic(TOPICS.reviews).encode(decision) }]);
    };
    await decide(accepted!.tag, 'accept');
    await decide(rejected!.tag, 'reject');
    const latest = await waitFor('the revision with both decisions', () =>
      enrichmentsOf(postId).find((e) => e.data.revision === first.data.revision + 2),
    );
    expect(validatePostEnhanced(latest).errors).toEqual([]);
    expect(platformValidator(latest).errors).toEqual([]);
    expect(latest.data.tag_grades.find((g) => g.tag === accepted!.tag)).toMatchObject({ tier: 'auto_apply' });
    expect(latest.data.tag_grades.find((g) => g.tag === accepted!.tag)!.sources).toContain('reviewer');
    expect(latest.data.tag_grades.map((g) => g.tag)).not.toContain(rejected!.tag);
    expect(latest.data.enhanced_metadata.tags.map((t) => t.tag)).toContain(accepted!.tag);
  });

  it('stop on SIGTERM: finish, commit, leave the group and exit 0', async () => {
    for (const stage of [...stages.values()].reverse()) {
      expect(await stage.terminate(), stage.logs()).toBe(0);
    }
  });
});
