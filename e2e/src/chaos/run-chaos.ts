/**
 * Test-only: one seeded chaos run across the five stage services. It starts the stand-in broker (its
 * log kept in a folder) and schema registry, a redis-server of its own, the OpenAI stand-in, the https
 * photo origin and the five stages as separate processes over the Kafka wire protocol; plays the
 * planned posts (plan.ts, workload.ts) while it carries out the planned faults (faults.ts) one after
 * the other, each at its point of the workload; then waits for every expected revision, every
 * deletion and every consumer group to drain, and judges: the ledger (lost, conflicting,
 * after_delete), consumer lag, readiness during the outages, recovery after each fault, unplanned
 * exits. The report's first line is the issue's:
 * `posts=… revisions=… published=… lost=… conflicting=… after_delete=… kills=… max_recovery_s=…`.
 *
 * It runs on the stand-ins only (a real cluster's registry cannot be made to fail from here) and
 * never touches the shared Redis.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HEADERS, TOPICS, type StageName } from '@media-ai/contracts';
import { DESCRIBES_EVERY_PHOTO } from '@media-ai/llm-service/test-support';
import { OpenAiStandIn, type OpenAiTarget } from '@media-ai/openai/test-support';
import { ensureTestTls } from '@media-ai/storage/test-support';
import { deploymentEnv, registerSchemas } from '../support/deployment.js';
import { startTestCluster, type PartitionPosition, type ReadRecord, type TestCluster } from '../support/kafka-cluster.js';
import { runFault, type FaultOutcome } from './faults.js';
import { StageFleet } from './fleet.js';
import { EnrichmentLedger, type LedgerFindings } from './ledger.js';
import { startPhotoPool } from './photo-pool.js';
import { buildChaosPlan, CHAOS_STAGES, type ChaosPlan, type ChaosPlanOptions } from './plan.js';
import { judgeReadiness, NEEDS, type OutageKind, type OutageWindow, type ReadinessVerdict } from './readiness-check.js';
import { startRedisServer } from '../support/redis-server.js';
import { Workload } from './workload.js';

export interface ChaosOptions extends ChaosPlanOptions {
  /** Posts going through their lifecycle at the same time. */
  concurrency?: number;
  /** Progress lines (faults, waits) as the run goes; default none. */
  log?: (line: string) => void;
}

export interface FaultRecovery {
  outcome: FaultOutcome;
  /** Seconds from the kill (or the outage's end) to the stage ready with its backlog drained; null if it never did. */
  recoveryS: number | null;
}

export interface ChaosReport {
  /** The issue's line. */
  line: string;
  /** The other figures: SIGTERMs, outages, lag, readiness, exits, dead letters. */
  more: string;
  ok: boolean;
  /** Why not ok, one line each. */
  failures: string[];
  findings: LedgerFindings;
  faults: FaultRecovery[];
  readiness: ReadinessVerdict[];
  plan: ChaosPlan;
  durationS: number;
}

/** Each stage's consumer group reads these (the README's diagram). */
const INPUTS: Record<StageName, readonly string[]> = {
  fetcher: [TOPICS.postsEvents],
  detector: [TOPICS.photos],
  ocr: [TOPICS.photos],
  llm: [TOPICS.photos],
  aggregator: [TOPICS.posts, TOPICS.detections, TOPICS.texts, TOPICS.descriptions, TOPICS.reviews],
};

const STARTUP_TIMEOUT_MS = 300_000;
const STEP_TIMEOUT_MS = 300_000;
const RECOVERY_TIMEOUT_MS = 300_000;
const DRAIN_TIMEOUT_MS = 240_000;
const POLL_MS = 500;
/** Time for a late duplicate or a stray event to show up before the books close. */
const SETTLE_MS = 3_000;
const MIN_KILLS = 10;
const PROGRESS_EVERY_MS = 15_000;

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const began = Date.now();
  const log = options.log ?? (() => undefined);
  const plan = buildChaosPlan(options);
  const runId = `${options.seed}-${began.toString(36)}`;
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'media-ai-chaos-'));
  const closers: Array<() => Promise<unknown>> = [async () => rmSync(workDir, { recursive: true, force: true })];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c().catch(() => undefined);
  };

  try {
    const cluster = await startTestCluster(3);
    closers.push(() => cluster.close());
    if (!cluster.standIn) throw new Error('the chaos run needs the stand-in broker and registry: unset KAFKA_BOOTSTRAP_SERVERS');
    const redis = await startRedisServer();
    closers.push(() => redis.close());
    const standIn = new OpenAiStandIn({ fallback: DESCRIBES_EVERY_PHOTO });
    await standIn.start();
    closers.push(() => standIn.stop());
    const openAi: OpenAiTarget = {
      baseURL: standIn.baseURL,
      apiKey: standIn.apiKey,
      model: standIn.model,
      standIn,
      close: () => standIn.stop(),
    };
    const photos = await startPhotoPool(plan.images);
    closers.push(() => photos.close());
    const tls = ensureTestTls();
    await registerSchemas(cluster);

    const groupPrefix = `media-ai-chaos-${runId}`;
    const groupOf = (stage: StageName) => `${groupPrefix}.${stage}`;
    const stageEnv = (): Record<string, string> => ({
      ...deploymentEnv({ cluster, openAi, workDir, appName: 'media-ai-chaos', groupId: groupPrefix, redisDb: 0, logLevel: 'DEBUG' }),
      REDIS_URL: redis.url,
      // Short enough that a killed member's partitions move within seconds (as in the e2e suite).
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      KAFKA_HEARTBEAT_INTERVAL_MS: '500',
      KAFKA_RETRY_BACKOFF_MS: '200',
      // The photo origin is the https test server on 127.0.0.1, with the test certificate.
      PHOTO_URL_ALLOW_LOOPBACK: 'true',
      NODE_EXTRA_CA_CERTS: tls.certFile,
      // Every photo costs ~3,000 tokens at gpt-4o-mini's low detail: the 50,000 default would make
      // the client's own limiter, not the faults, set the pace.
      OPENAI_MAX_TOKENS_PER_MINUTE: '10000000',
    });

    const enrichment = await cluster.collect(cluster.topics.enrichment);
    const manifests = await cluster.collect(TOPICS.posts);
    const deadLetters = await cluster.collect(cluster.topics.deadLetter);
    const ledger = new EnrichmentLedger(enrichment);

    const fleet = new StageFleet(stageEnv);
    closers.push(() => fleet.killAll());
    log(`starting the five stages (seed ${options.seed}: ${plan.posts.length} posts, ${plan.events} events, ${plan.faults.length} faults)`);
    await fleet.startAll();
    for (const stage of CHAOS_STAGES) {
      if (!(await fleet.waitReady(stage, STARTUP_TIMEOUT_MS))) throw new Error(`${stage} was not ready in time:\n${fleet.logs(stage)}`);
    }
    log(`stages ready after ${secs(Date.now() - began)} s`);

    const abort = new AbortController();
    // The workload may run up to the next fault that has not begun, no further.
    let nextFault = 0;
    const allowance = () => (nextFault < plan.faults.length ? Math.ceil(plan.faults[nextFault]!.at * plan.events) : Infinity);
    const workload = new Workload({
      allowance,
      plan,
      cluster,
      ledger,
      photos,
      concurrency: options.concurrency ?? 10,
      stepTimeoutMs: STEP_TIMEOUT_MS,
      signal: abort.signal,
    });
    const positions = new PositionWatch(cluster, groupOf);
    const watching = positions.watch(abort.signal, () => noteDeletions(workload, manifests, positions, ledger));
    const playing = workload.run();
    const reporting = (async () => {
      for (let next = Date.now() + PROGRESS_EVERY_MS; !abort.signal.aborted && !workload.finished; next += PROGRESS_EVERY_MS) {
        while (Date.now() < next && !workload.finished) await sleep(POLL_MS);
        const lag = await positions.lagByGroup().catch(() => ({}));
        const ready = CHAOS_STAGES.filter((s) => fleet.isReady(s)).length;
        log(
          `${secs(Date.now() - began)} s: sent ${workload.sent}/${plan.events}, published ${ledger.publishedCount}, lag ${JSON.stringify(lag)}, ${ready}/5 stages ready`,
        );
      }
    })();

    // The faults, one after the other, each once the workload got to its point.
    const recoveries: Array<Promise<FaultRecovery>> = [];
    /** Per stage, the recoveries (and the scale-downs after them) still running. */
    const settling = new Map<StageName, Array<Promise<unknown>>>();
    const outcomes: FaultOutcome[] = [];
    for (const fault of plan.faults) {
      while (workload.progress < fault.at && !workload.finished) await sleep(POLL_MS);
      // An outage is judged on the stages that need its dependency: they must be up, ready and left
      // alone through it, or the check has no replica to judge (a kill just before it would do that).
      const outage = outageKindOf(fault.kind);
      if (outage) await settleBeforeOutage(NEEDS[outage], fleet, settling);
      nextFault++;
      const outcome = await runFault(fault, { fleet, cluster, redis, openAi: standIn, groupOf });
      outcomes.push(outcome);
      log(`${secs(outcome.startedAt - began)} s: ${outcome.description}`);
      const recovery = measureRecovery(outcome, fleet, positions, outcome.stage ? [outcome.stage] : [...CHAOS_STAGES]).then(
        async (recovery) => {
          // The second replica a rebalance kill started goes away again (a scale-down: SIGTERM).
          if (outcome.extraReplica && outcome.extraReplica.endedAt === null) {
            const { code } = await fleet.end(outcome.extraReplica, 'SIGTERM', false);
            outcomes.push({
              fault: { kind: 'kill', stage: outcome.extraReplica.stage, signal: 'SIGTERM', moment: 'anytime', at: fault.at },
              startedAt: Date.now(),
              endedAt: Date.now(),
              description: `SIGTERM ${outcome.extraReplica.stage} scale-down (exit ${code})`,
              signal: 'SIGTERM',
              stage: outcome.extraReplica.stage,
            });
          }
          return recovery;
        },
      );
      recoveries.push(recovery);
      for (const stage of outcome.stage ? [outcome.stage] : []) settling.set(stage, [...(settling.get(stage) ?? []), recovery]);
    }
    await playing;
    await reporting;
    log(`workload sent ${workload.sent} events in ${secs(Date.now() - began)} s; waiting for recoveries and the drain`);
    const faults = await Promise.all(recoveries);

    // Drain: every deletion seen through, every group at the end of its inputs.
    const drainUntil = Date.now() + DRAIN_TIMEOUT_MS;
    while (Date.now() < drainUntil && (ledger.pendingDeletions().length > 0 || (await positions.totalLag()) > 0)) await sleep(POLL_MS);
    await sleep(SETTLE_MS);
    const lagByGroup = await positions.lagByGroup();
    abort.abort();
    await watching;

    const findings = ledger.findings();
    const outages: OutageWindow[] = outcomes.flatMap((o): OutageWindow[] => {
      const kind = outageKindOf(o.fault.kind);
      return kind ? [{ kind, start: o.startedAt, end: o.endedAt }] : [];
    });
    const disturbances = outcomes.filter((o) => o.stage).map((o) => ({ stage: o.stage!, at: o.startedAt }));
    for (const exit of fleet.unplannedExits) disturbances.push({ stage: exit.stage, at: exit.at });
    const readiness = judgeReadiness(outages, fleet.replicas, disturbances);
    const exits = await fleet.stopAll();

    const kills = outcomes.filter((o) => o.signal === 'SIGKILL').length;
    const terms = outcomes.filter((o) => o.signal === 'SIGTERM').length;
    const recoveryTimes = faults.map((f) => f.recoveryS);
    const maxRecovery = recoveryTimes.some((r) => r === null) ? null : Math.max(0, ...(recoveryTimes as number[]));
    const lag = Object.values(lagByGroup).reduce((a, b) => a + b, 0);
    const deadByCode = countBy(deadLetters.map((r) => `${r.headers[HEADERS.dlqStage] ?? '?'}:${r.headers[HEADERS.dlqErrorCode] ?? '?'}`));
    const badExits = exits.filter((e) => e.code !== 0);
    const readinessFaults = readiness.filter((v) => !v.ok);

    const failures: string[] = [];
    for (const l of findings.lost) failures.push(`lost: post ${l.postId} revision ${l.revision}`);
    for (const c of findings.conflicting)
      failures.push(`conflicting: post ${c.postId} revision ${c.revision} differs at ${c.differences.join(', ')}`);
    for (const a of findings.afterDelete)
      failures.push(`after_delete: post ${a.postId} revision ${a.revision} published ${a.afterMs} ms after its deletion was processed`);
    for (const u of findings.unexpected)
      failures.push(`unexpected: post ${u.postId} revision ${u.revision} (${u.eventType}) was never asked for`);
    for (const d of findings.deletionsUnseen) failures.push(`deletion of post ${d} was never processed`);
    for (const s of workload.stalled)
      failures.push(`post ${s.postId} stalled: revision ${s.revision} (${s.step}) not published within ${secs(STEP_TIMEOUT_MS)} s`);
    if (kills < Math.min(MIN_KILLS, options.kills)) failures.push(`only ${kills} SIGKILLs were carried out, ${options.kills} planned`);
    if (lag > 0) failures.push(`consumer lag not back to zero: ${JSON.stringify(lagByGroup)}`);
    for (const f of faults)
      if (f.recoveryS === null) failures.push(`no recovery within ${secs(RECOVERY_TIMEOUT_MS)} s after: ${f.outcome.description}`);
    for (const v of readinessFaults) failures.push(`readiness: ${v.description}`);
    for (const e of fleet.unplannedExits)
      failures.push(`${e.stage} exited on its own (code ${e.code}):\n${e.logs.split('\n').slice(-15).join('\n')}`);
    for (const e of badExits) failures.push(`${e.stage} exited ${e.code} on SIGTERM at the end`);
    if (ledger.unreadableRecords.length > 0) failures.push(`unreadable enrichment records at ${ledger.unreadableRecords.join(', ')}`);

    const line =
      `posts=${findings.posts} revisions=${findings.revisions} published=${findings.published} lost=${findings.lost.length} ` +
      `conflicting=${findings.conflicting.length} after_delete=${findings.afterDelete.length} kills=${kills} ` +
      `max_recovery_s=${maxRecovery === null ? 'never' : maxRecovery.toFixed(1)}`;
    const more =
      `seed=${options.seed} terms=${terms} outages=${outages.length} unexpected=${findings.unexpected.length} duplicates=${findings.duplicates} ` +
      `partial=${findings.partial} lag=${lag} readiness_faults=${readinessFaults.length} unplanned_exits=${fleet.unplannedExits.length} ` +
      `dead_letters=${deadLetters.length}${
        deadLetters.length
          ? ` (${Object.entries(deadByCode)
              .map(([k, n]) => `${k}=${n}`)
              .join(' ')})`
          : ''
      } ` +
      `publish_p50_s=${secs(
        percentile(
          workload.latencies.map((l) => l.ms),
          0.5,
        ),
      )} publish_max_s=${secs(Math.max(0, ...workload.latencies.map((l) => l.ms)))} ` +
      `run_s=${secs(Date.now() - began)}`;
    return { line, more, ok: failures.length === 0, failures, findings, faults, readiness, plan, durationS: (Date.now() - began) / 1000 };
  } finally {
    await close();
  }
}

/** Polls every consumer group's position on its inputs. */
class PositionWatch {
  private latest = new Map<StageName, PartitionPosition[]>();

  constructor(
    private readonly cluster: TestCluster,
    private readonly groupOf: (stage: StageName) => string,
  ) {}

  async read(stage: StageName): Promise<PartitionPosition[]> {
    const topics = INPUTS[stage].map((t) => (t === TOPICS.postsEvents ? this.cluster.topics.postsEvents : t));
    const found = await this.cluster.positions(this.groupOf(stage), topics);
    this.latest.set(stage, found);
    return found;
  }

  cached(stage: StageName): PartitionPosition[] {
    return this.latest.get(stage) ?? [];
  }

  async lagByGroup(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const stage of CHAOS_STAGES) out[stage] = (await this.read(stage)).reduce((sum, p) => sum + (p.end - p.committed), 0);
    return out;
  }

  async totalLag(): Promise<number> {
    return Object.values(await this.lagByGroup()).reduce((a, b) => a + b, 0);
  }

  async watch(signal: AbortSignal, onTick: () => void): Promise<void> {
    while (!signal.aborted) {
      await this.read('aggregator').catch(() => undefined);
      onTick();
      await sleep(POLL_MS);
    }
  }
}

/** Marks each deletion processed once the aggregator committed past the fetcher's manifest for it. */
function noteDeletions(workload: Workload, manifests: readonly ReadRecord[], positions: PositionWatch, ledger: EnrichmentLedger): void {
  const pending = new Set(ledger.pendingDeletions());
  if (pending.size === 0) return;
  const committed = positions.cached('aggregator');
  for (const deletion of workload.deletions) {
    if (!pending.has(deletion.postId)) continue;
    const manifest = manifests.find((m) => m.headers[HEADERS.correlationId] === deletion.correlationId);
    if (!manifest) continue;
    const position = committed.find((p) => p.topic === TOPICS.posts && p.partition === manifest.partition);
    if (position && position.committed > Number(manifest.offset)) ledger.deletionProcessed(deletion.postId, Date.now());
  }
}

/**
 * From the fault's end (the kill, or the dependency back) until each stage has a ready replica and
 * its group has committed everything that was waiting when it became ready.
 */
async function measureRecovery(
  outcome: FaultOutcome,
  fleet: StageFleet,
  positions: PositionWatch,
  stages: readonly StageName[],
): Promise<FaultRecovery> {
  const from = outcome.endedAt;
  const until = from + RECOVERY_TIMEOUT_MS;
  for (const stage of stages) {
    if (!(await fleet.waitReady(stage, Math.max(0, until - Date.now())))) return { outcome, recoveryS: null };
  }
  const backlog = new Map<StageName, PartitionPosition[]>();
  for (const stage of stages) backlog.set(stage, await positions.read(stage));
  for (;;) {
    let drained = true;
    for (const stage of stages) {
      const now = await positions.read(stage).catch(() => []);
      const caughtUp = backlog.get(stage)!.every((then) => {
        const current = now.find((p) => p.topic === then.topic && p.partition === then.partition);
        return current !== undefined && current.committed >= then.end;
      });
      drained &&= caughtUp;
    }
    if (drained) return { outcome, recoveryS: (Date.now() - from) / 1000 };
    if (Date.now() > until) return { outcome, recoveryS: null };
    await sleep(POLL_MS);
  }
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function countBy(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

function secs(ms: number): string {
  return (ms / 1000).toFixed(1);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The dependency a fault takes away, if it is an outage. */
function outageKindOf(kind: FaultOutcome['fault']['kind']): OutageKind | null {
  if (kind === 'redis-outage') return 'redis';
  if (kind === 'registry-outage') return 'registry';
  if (kind === 'openai-trouble') return 'openai';
  return null;
}

/** How long an outage waits for the stages it is judged on to settle before it goes ahead anyway. */
const SETTLE_BEFORE_OUTAGE_MS = 120_000;

/**
 * Waits until the recoveries of earlier faults on these stages are over (their scale-downs included)
 * and each has a ready replica with a ready answer on record, so the outage finds them undisturbed.
 */
async function settleBeforeOutage(
  stages: readonly StageName[],
  fleet: StageFleet,
  settling: ReadonlyMap<StageName, ReadonlyArray<Promise<unknown>>>,
): Promise<void> {
  const until = Date.now() + SETTLE_BEFORE_OUTAGE_MS;
  const pending = stages.flatMap((stage) => settling.get(stage) ?? []);
  await Promise.race([Promise.allSettled(pending), sleep(SETTLE_BEFORE_OUTAGE_MS)]);
  for (const stage of stages) await fleet.waitReady(stage, Math.max(0, until - Date.now()));
  // One more readiness answer on record after "ready", so the judge sees it ready before the outage.
  await sleep(2 * POLL_MS);
}
