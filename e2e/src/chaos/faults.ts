/**
 * Test-only: carries out one planned fault of a chaos run and says what happened and when.
 * - kill: waits for the stage to be up, then SIGKILLs (or SIGTERMs) a replica — at once ('anytime'),
 *   right after it logs `batch received` ('mid-batch': the batch is in hand, nothing of it
 *   committed), or while a second replica joins its consumer group ('rebalance': killed when the
 *   group leaves Stable; the extra replica is scaled away once the stage has recovered) — and starts
 *   its replacement, as a ReplicaSet does.
 * - redis-outage: stops the run's own redis-server for its duration, then starts it again.
 * - registry-outage: the stand-in registry answers every request 503 for its duration.
 * - openai-trouble: the OpenAI stand-in answers every request late, then with 429s, then as before.
 * Never touches anything the run did not start.
 */
import type { StageName } from '@media-ai/contracts';
import type { OpenAiStandIn } from '@media-ai/openai/test-support';
import type { TestCluster } from '../support/kafka-cluster.js';
import type { RedisServer } from '../support/redis-server.js';
import type { Replica, StageFleet } from './fleet.js';
import { CHAOS_STAGES, type Fault } from './plan.js';

/** What a kill waits for before it gives up waiting and kills anyway. */
const STAGE_UP_WAIT_MS = 240_000;
const BATCH_WAIT_MS = 60_000;
const REBALANCE_WAIT_MS = 240_000;
/** Rebalance states of a consumer group (Kafka's names). */
const REBALANCING = new Set(['PreparingRebalance', 'CompletingRebalance']);

export interface FaultContext {
  fleet: StageFleet;
  cluster: TestCluster;
  redis: RedisServer;
  openAi: OpenAiStandIn;
  groupOf(stage: StageName): string;
}

export interface FaultOutcome {
  fault: Fault;
  startedAt: number;
  /** A kill: when the process was gone. An outage: when the dependency was back. */
  endedAt: number;
  /** What actually happened ("SIGKILL ocr mid-batch (batch of 3 taken)", "redis stopped 10.0 s"). */
  description: string;
  /** Set for a kill: the signal that was sent. */
  signal?: 'SIGKILL' | 'SIGTERM';
  /** The stage a kill hit. */
  stage?: StageName;
  /** A rebalance kill leaves a second replica running until the stage recovered. */
  extraReplica?: Replica;
}

export async function runFault(fault: Fault, context: FaultContext): Promise<FaultOutcome> {
  // An outage starts on a settled fleet: every stage up, so that each one's readiness can be judged.
  if (fault.kind !== 'kill') for (const stage of CHAOS_STAGES) await context.fleet.waitReady(stage, STAGE_UP_WAIT_MS);
  switch (fault.kind) {
    case 'kill':
      return kill(fault, context);
    case 'redis-outage': {
      const startedAt = Date.now();
      await context.redis.stop();
      await sleep(fault.durationMs);
      await context.redis.start();
      const endedAt = Date.now();
      return { fault, startedAt, endedAt, description: `redis stopped ${seconds(endedAt - startedAt)} s` };
    }
    case 'registry-outage': {
      const registry = context.cluster.registry;
      if (!registry) throw new Error('the chaos run needs the stand-in schema registry');
      const startedAt = Date.now();
      registry.failWith(503);
      await sleep(fault.durationMs);
      registry.failWith(null);
      const endedAt = Date.now();
      return { fault, startedAt, endedAt, description: `registry answered 503 for ${seconds(endedAt - startedAt)} s` };
    }
    case 'openai-trouble': {
      const { openAi } = context;
      const startedAt = Date.now();
      openAi.answerEveryRequestWith({ kind: 'slow', delayMs: fault.delayMs, then: openAi.fallbackReply });
      await sleep(fault.slowMs);
      // Retry-After as the API sends it: the client waits it out before its next try.
      openAi.answerEveryRequestWith({ kind: 'rate-limit', retryAfterMs: 2_000 });
      await sleep(fault.rateLimitedMs);
      openAi.answerEveryRequestWith(null);
      const endedAt = Date.now();
      return {
        fault,
        startedAt,
        endedAt,
        description: `openai slow (${seconds(fault.delayMs)} s per answer) for ${seconds(fault.slowMs)} s, then 429 for ${seconds(fault.rateLimitedMs)} s`,
      };
    }
  }
}

async function kill(fault: Extract<Fault, { kind: 'kill' }>, context: FaultContext): Promise<FaultOutcome> {
  const { fleet, cluster } = context;
  const { stage, signal } = fault;
  const up = await fleet.waitReady(stage, STAGE_UP_WAIT_MS);
  let victim = oldest(fleet.running(stage));
  let how: string = up ? fault.moment : `${fault.moment}, not ready after ${seconds(STAGE_UP_WAIT_MS)} s`;
  let extraReplica: Replica | undefined;

  if (fault.moment === 'mid-batch' && victim) {
    const taken = await nextLine(victim, /"message":"batch received"/, BATCH_WAIT_MS);
    const size = taken ? /"size":(\d+)/.exec(taken)?.[1] : undefined;
    how = taken ? `mid-batch (batch of ${size ?? '?'} taken)` : 'idle (no batch within 60 s)';
  } else if (fault.moment === 'rebalance' && victim) {
    extraReplica = await fleet.start(stage);
    const group = context.groupOf(stage);
    const until = Date.now() + REBALANCE_WAIT_MS;
    let state = await cluster.groupState(group).catch(() => 'unknown');
    while (!REBALANCING.has(state) && Date.now() < until && extraReplica.endedAt === null) {
      await sleep(50);
      state = await cluster.groupState(group).catch(() => 'unknown');
    }
    how = REBALANCING.has(state) ? `rebalance (group ${state} as a second replica joins)` : `rebalance not seen (group ${state})`;
    victim = oldest(fleet.running(stage).filter((r) => r !== extraReplica)) ?? victim;
  }

  if (!victim) {
    const now = Date.now();
    return { fault, startedAt: now, endedAt: now, description: `${signal} ${stage}: no replica running`, stage };
  }
  const startedAt = Date.now();
  const { code } = await fleet.end(victim, signal, true);
  const endedAt = Date.now();
  const exit = signal === 'SIGTERM' ? ` (exit ${code})` : '';
  return {
    fault,
    startedAt,
    endedAt,
    description: `${signal} ${stage} ${how}${exit}`,
    signal,
    stage,
    ...(extraReplica ? { extraReplica } : {}),
  };
}

function oldest(replicas: Replica[]): Replica | undefined {
  return [...replicas].sort((a, b) => a.startedAt - b.startedAt)[0];
}

/** The next line of the replica's output matching `pattern`, or null after `timeoutMs` or its exit. */
function nextLine(replica: Replica, pattern: RegExp, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const stop = replica.process.onLine((line) => {
      if (pattern.test(line)) finish(line);
    });
    const timer = setTimeout(() => finish(null), timeoutMs);
    void replica.process.whenExited().then(() => finish(null));
    function finish(line: string | null) {
      stop();
      clearTimeout(timer);
      resolve(line);
    }
  });
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
