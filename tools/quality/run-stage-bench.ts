/**
 * `npm run bench -- <folder> --stages [--photos N] [--repeat]`: the bench's figure for the per-stage
 * deployment. It starts what the e2e suite starts (@media-ai/e2e/test-support): the Kafka test broker
 * and schema registry stand-ins, a redis-server of the run's own (empty: no result-cache entry of an
 * earlier run can answer), the OpenAI-compatible stand-in, and fetcher, detector, ocr, llm and
 * aggregator as separate Node processes from their real entry points. Once every stage is ready and
 * idle it publishes one post.created per photo (distinct photos unless --repeat, as the embedded
 * bench), all at once, and waits for each post's post.enhanced or dead letter. It prints posts/min,
 * per-post latency (publish to the post.enhanced record's timestamp) p50/p95, and per stage: CPU ms
 * per post (utime + stime of /proc/<pid>/stat, every thread of the process, read before and after
 * the run; in brackets the process's own process_cpu_seconds_total, a cross-check), peak RSS
 * (VmHWM: the process's peak since start, model loading included) and the records
 * it handled, failed and dead-lettered and its result-cache hits (its own /metrics, before and after).
 * Also the CPU of redis-server and of this process (broker, registry and OpenAI stand-ins, the
 * collectors): not the stages', printed apart. The last line:
 *   stages_posts_per_min=… stages_cpu_ms_per_post=… fetcher_cpu_ms=… detector_cpu_ms=… ocr_cpu_ms=… llm_cpu_ms=… aggregator_cpu_ms=… stages_peak_rss_mb=… enhanced=… dead_letters=… posts=… p50_ms=… p95_ms=… limit_posts_per_min=… cache_hits=…
 * (<stage>_cpu_ms per post; stages_peak_rss_mb the sum of the five peaks, what five pods must hold).
 * Extra variables for every stage (a lever to compare): MEDIA_AI_STAGE_BENCH_ENV='K=V K2=V2'.
 * The report is printed by stage-bench-report.ts. Figures are measurements of this run on this
 * machine; it never asserts one, and it never touches the shared Redis or a real broker unless
 * KAFKA_BOOTSTRAP_SERVERS and SCHEMA_REGISTRY_URL name one.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HEADERS, type StageName } from '@media-ai/contracts';
import {
  deploymentEnv,
  registerSchemas,
  StageProcess,
  startRedisServer,
  startTestCluster,
  type ReadRecord,
} from '@media-ai/e2e/test-support';
import { DESCRIBES_EVERY_PHOTO } from '@media-ai/llm-service/test-support';
import { openAiTarget } from '@media-ai/openai/test-support';
import { buildPostCreatedEvent } from '@media-ai/pipeline';
import { processMemory } from '../load/served-process.js';
import { cores, loadAverage, processCpuMs, procStatCpuMs } from './cpu.js';
import { counterTotal, scrapeMetrics } from './prometheus-counters.js';
import { listPhotos } from './run-bench.js';
import { printStageBench } from './stage-bench-report.js';

/** The stages in the order of the line; started consumers first, the fetcher (the entry) last. */
export const BENCH_STAGES: readonly StageName[] = ['fetcher', 'detector', 'ocr', 'llm', 'aggregator'];
const START_ORDER: readonly StageName[] = ['aggregator', 'detector', 'ocr', 'llm', 'fetcher'];

/** Five processes loading models at once on a loaded machine: generous. */
const READY_TIMEOUT_MS = 600_000;
/** After ready, a stage may still be warming up (the redaction library's import): wait until idle. */
const SETTLE_WINDOW_MS = 1_000;
const SETTLE_IDLE_CPU_MS = 50;
const SETTLE_MAX_MS = 60_000;
/** Time for a post.enhanced that follows a dead letter of the same post. */
const LATE_RECORDS_MS = 2_000;
const POLL_MS = 200;
const TERMINATE_TIMEOUT_MS = 30_000;

export interface StageBenchOptions {
  /** Posts (one photo each); default every photo of the folder once. */
  photos?: number;
  /** Allow more posts than the folder has photos (cycling); cache hits then become possible. */
  repeat?: boolean;
  /** Variables every stage gets on top of the deployment's (MEDIA_AI_STAGE_BENCH_ENV). */
  stageEnv?: Record<string, string>;
  /** Where the report goes; default stdout. */
  write?: (text: string) => void;
}

/** What a stage's /metrics counts, summed over labels. */
interface StageCounters {
  processed: number;
  failed: number;
  deadLettered: number;
  cacheHits: number;
  /** prom-client's process_cpu_seconds_total (process.cpuUsage: every thread), in ms: a cross-check of /proc. */
  selfReportedCpuMs: number;
}

interface StageReading {
  cpuMs: number;
  counters: StageCounters;
}

/** Parses `K=V K2=V2` (MEDIA_AI_STAGE_BENCH_ENV); throws on a word without `=`. */
export function parseStageEnv(text: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const word of (text ?? '').split(/\s+/).filter(Boolean)) {
    const at = word.indexOf('=');
    if (at < 1) throw new Error(`MEDIA_AI_STAGE_BENCH_ENV: "${word}" is not NAME=value`);
    env[word.slice(0, at)] = word.slice(at + 1);
  }
  return env;
}

async function countersOf(stage: StageProcess): Promise<StageCounters> {
  const text = await scrapeMetrics(`http://127.0.0.1:${stage.port}`);
  return {
    processed: counterTotal(text, 'media_ai_records_processed_total'),
    failed: counterTotal(text, 'media_ai_records_failed_total'),
    deadLettered: counterTotal(text, 'media_ai_records_dead_lettered_total'),
    cacheHits: counterTotal(text, 'redis_cache_hits_total'),
    selfReportedCpuMs: counterTotal(text, 'process_cpu_seconds_total') * 1000,
  };
}

function cpuOf(stage: StageProcess): number {
  const ms = stage.pid === null ? null : procStatCpuMs(stage.pid);
  if (ms === null) throw new Error(`${stage.stage}: no /proc/<pid>/stat (not running, or not Linux)\n${stage.logs()}`);
  return ms;
}

async function readAll(stages: ReadonlyMap<StageName, StageProcess>): Promise<Map<StageName, StageReading>> {
  const readings = new Map<StageName, StageReading>();
  for (const [name, stage] of stages) readings.set(name, { cpuMs: cpuOf(stage), counters: await countersOf(stage) });
  return readings;
}

/** Waits until every stage spends under SETTLE_IDLE_CPU_MS per SETTLE_WINDOW_MS (at most SETTLE_MAX_MS); returns ms waited. */
async function settle(stages: ReadonlyMap<StageName, StageProcess>): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < SETTLE_MAX_MS) {
    const before = [...stages.values()].map(cpuOf);
    await sleep(SETTLE_WINDOW_MS);
    const after = [...stages.values()].map(cpuOf);
    if (after.every((ms, i) => ms - before[i]! < SETTLE_IDLE_CPU_MS)) break;
  }
  return performance.now() - started;
}

async function stopStage(stage: StageProcess): Promise<void> {
  const exited = stage.terminate();
  const timer = setTimeout(() => void stage.kill(), TERMINATE_TIMEOUT_MS);
  await exited.finally(() => clearTimeout(timer));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function runStageBench(folder: string, options: StageBenchOptions = {}): Promise<void> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const files = await listPhotos(folder, options.photos, options.repeat ?? false);
  const n = files.length;
  const ncores = cores();
  write(
    `stage bench: ${n} posts of one photo (${new Set(files).size} distinct) from ${folder}; ${ncores} cores; load average at start ${loadAverage()}\n`,
  );

  const workDir = mkdtempSync(path.join(os.tmpdir(), 'media-ai-stage-bench-'));
  const closers: Array<() => Promise<unknown>> = [async () => rmSync(workDir, { recursive: true, force: true })];
  const stages = new Map<StageName, StageProcess>();
  try {
    const cluster = await startTestCluster(3);
    closers.push(() => cluster.close());
    const redis = await startRedisServer({ durable: false });
    closers.push(() => redis.close());
    const openAi = await openAiTarget({ fallback: DESCRIBES_EVERY_PHOTO });
    closers.push(() => openAi.close());
    await registerSchemas(cluster);
    const enrichments = await cluster.collect(cluster.topics.enrichment);
    const deadLetters = await cluster.collect(cluster.topics.deadLetter);

    const runId = randomUUID().slice(0, 8);
    const env: Record<string, string> = {
      ...deploymentEnv({ cluster, openAi, workDir, appName: 'media-ai-stage-bench', groupId: `media-ai-stage-bench-${runId}`, redisDb: 0 }),
      REDIS_URL: redis.url,
      // ~3,000 tokens a photo: the 50,000 default would let the client's own limiter set the pace.
      OPENAI_MAX_TOKENS_PER_MINUTE: '10000000',
      ...options.stageEnv,
    };
    // Stopped before the broker and the stand-ins they talk to (closers run in reverse).
    closers.push(() => Promise.all([...stages.values()].map(stopStage)));
    const startedAt = performance.now();
    for (const name of START_ORDER) {
      const stage = await StageProcess.create(name, env);
      stage.start();
      stages.set(name, stage);
    }
    for (const stage of stages.values()) await stage.waitReady(READY_TIMEOUT_MS);
    const readyS = (performance.now() - startedAt) / 1000;
    const settledS = (await settle(stages)) / 1000;
    write(
      `stages: ${BENCH_STAGES.map((s) => `${s} (pid ${stages.get(s)!.pid})`).join(', ')} ready in ${readyS.toFixed(1)} s, idle after ${settledS.toFixed(1)} s more; ` +
        `${cluster.standIn ? 'Kafka test broker and registry stand-ins' : 'a real Kafka cluster and registry'}, ${openAi.standIn ? 'the OpenAI stand-in' : `OpenAI at ${openAi.baseURL}`}, a redis-server of the run's own` +
        `${
          Object.keys(options.stageEnv ?? {}).length
            ? `; extra env ${Object.entries(options.stageEnv!)
                .map(([k, v]) => `${k}=${v}`)
                .join(' ')}`
            : ''
        }\n`,
    );

    const before = await readAll(stages);
    const harness0 = processCpuMs();
    const redis0 = redis.pid === null ? null : procStatCpuMs(redis.pid);
    const posts = files.map((file) => buildPostCreatedEvent({ photoUrls: [pathToFileURL(path.resolve(file)).href] }));
    const publishedAt = Date.now();
    await cluster.produce(
      cluster.topics.postsEvents,
      posts.map(({ postId, event }) => ({
        key: postId,
        value: Buffer.from(JSON.stringify(event)),
        headers: { [HEADERS.correlationId]: randomUUID() },
      })),
    );

    const ids = new Set(posts.map((p) => p.postId));
    const firstOf = (records: readonly ReadRecord[]) => {
      const first = new Map<string, ReadRecord>();
      for (const record of records) if (record.key && ids.has(record.key) && !first.has(record.key)) first.set(record.key, record);
      return first;
    };
    const finished = () => {
      const enhanced = firstOf(enrichments);
      const dead = firstOf(deadLetters);
      return [...ids].every((id) => enhanced.has(id) || dead.has(id));
    };
    const waitMs = 20 * 60_000 + n * 30_000;
    const until = Date.now() + waitMs;
    while (!finished()) {
      if (Date.now() > until) {
        const done = firstOf(enrichments).size;
        throw new Error(
          `after ${(waitMs / 60_000).toFixed(0)} min only ${done} of ${n} posts were enhanced (${deadLetters.length} dead letters)\n${[...stages.values()].map((s) => s.logs()).join('\n')}`,
        );
      }
      for (const stage of stages.values()) if (!stage.running) throw new Error(`${stage.stage} exited during the run\n${stage.logs()}`);
      await sleep(POLL_MS);
    }
    if (firstOf(deadLetters).size > 0) await sleep(LATE_RECORDS_MS);
    const after = await readAll(stages);
    const harnessMs = processCpuMs() - harness0;
    const redisMs = redis0 === null || redis.pid === null ? null : procStatCpuMs(redis.pid)! - redis0;
    const peakRss = new Map([...stages].map(([name, stage]) => [name, processMemory(stage.pid!, 'VmHWM')]));

    const enhanced = firstOf(enrichments);
    const dead = firstOf(deadLetters);
    const lastAt = Math.max(...[...enhanced.values(), ...dead.values()].map((r) => r.timestamp));
    printStageBench(
      {
        posts: n,
        cores: ncores,
        runMs: lastAt - publishedAt,
        enhanced: enhanced.size,
        deadLetters: deadLetters.filter((r) => r.key && ids.has(r.key)).length,
        deadLetteredPosts: dead.size,
        latenciesMs: [...enhanced.values()].map((r) => r.timestamp - publishedAt),
        stages: BENCH_STAGES.map((name) => {
          const a = before.get(name)!;
          const b = after.get(name)!;
          const delta = (key: keyof StageCounters) => b.counters[key] - a.counters[key];
          return {
            name,
            cpuMs: b.cpuMs - a.cpuMs,
            selfReportedCpuMs: delta('selfReportedCpuMs'),
            peakRssBytes: peakRss.get(name)!,
            processed: delta('processed'),
            failed: delta('failed'),
            deadLettered: delta('deadLettered'),
            cacheHits: delta('cacheHits'),
          };
        }),
        redisCpuMs: redisMs,
        harnessCpuMs: harnessMs,
        loadAverageAtEnd: loadAverage(),
      },
      write,
    );
  } finally {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  }
}

/** The CLI's --stages: runs the bench with MEDIA_AI_STAGE_BENCH_ENV's variables; returns the exit code. */
export async function stageBenchMain(folder: string, options: Omit<StageBenchOptions, 'stageEnv' | 'write'>): Promise<number> {
  try {
    await runStageBench(folder, { ...options, stageEnv: parseStageEnv(process.env.MEDIA_AI_STAGE_BENCH_ENV) });
    return 0;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
