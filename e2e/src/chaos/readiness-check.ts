/**
 * Test-only: judges the stages' readiness answers against the outages of a chaos run. A stage that
 * cannot work without a dependency must say so: not ready within DOWN_WITHIN_MS of the outage's
 * start, never ready again while it lasts, ready within UP_WITHIN_MS of its end. A stage that does
 * not need it must stay ready throughout (a readiness that falls over a dependency the stage can do
 * without would stall a rollout for nothing). Replicas that were not up and ready when the outage
 * began, or whose stage was killed, started or scaled while it was judged, are left out; but a stage
 * that needs the dependency must have been judged.
 *
 * Pure: samples and windows in, verdicts out.
 */
import type { StageName } from '@media-ai/contracts';
import type { ReadinessSample } from './fleet.js';

/**
 * Which stages cannot work without each dependency the run takes away, as the services declare
 * their readiness (libs/runtime/src/stage-health.ts): Redis holds the aggregator's join state (the
 * other stages use it only as a result cache, and analyse without it); the registry is non-critical
 * (schemas already seen keep decoding); the llm stage's breaker publishes photos as failed while the
 * API is away, so no stage waits on OpenAI.
 */
export const NEEDS: Record<OutageKind, readonly StageName[]> = {
  redis: ['aggregator'],
  registry: [],
  openai: [],
};

export type OutageKind = 'redis' | 'registry' | 'openai';

export const DOWN_WITHIN_MS = 5_000;
export const UP_WITHIN_MS = 20_000;
/** After the outage, a stage that does not need the dependency is still judged this long (late effects). */
const AFTERMATH_MS = 2_000;

export interface ReplicaHistory {
  stage: StageName;
  startedAt: number;
  endedAt: number | null;
  readiness: readonly ReadinessSample[];
}

export interface OutageWindow {
  kind: OutageKind;
  start: number;
  end: number;
}

export interface ReadinessVerdict {
  outage: OutageKind;
  stage: StageName;
  /** 'went down' / 'stayed up' when as expected. */
  ok: boolean;
  description: string;
}

export function judgeReadiness(
  outages: readonly OutageWindow[],
  replicas: readonly ReplicaHistory[],
  /** When each stage was killed, replaced or scaled (its group rebalanced), to leave those replicas out. */
  disturbances: ReadonlyArray<{ stage: StageName; at: number }>,
): ReadinessVerdict[] {
  const verdicts: ReadinessVerdict[] = [];
  for (const outage of outages) {
    const needs = new Set(NEEDS[outage.kind]);
    for (const replica of replicas) {
      const needed = needs.has(replica.stage);
      // Judged until it is ready again (a stage that needs the dependency), or just past the outage.
      const backUp = replica.readiness.find((s) => s.ready && s.at >= outage.end && s.at <= outage.end + UP_WITHIN_MS);
      const to = needed ? (backUp?.at ?? outage.end + UP_WITHIN_MS) : outage.end + AFTERMATH_MS;
      if (replica.startedAt >= outage.start || (replica.endedAt !== null && replica.endedAt < to)) continue;
      if (disturbances.some((d) => d.stage === replica.stage && d.at >= outage.start && d.at <= to)) continue;
      const before = [...replica.readiness].reverse().find((s) => s.at <= outage.start);
      if (!before?.ready) continue;
      const samples = replica.readiness.filter((s) => s.at >= outage.start && s.at <= to);
      verdicts.push(needed ? wentDown(outage, replica.stage, samples) : stayedUp(outage, replica.stage, samples));
    }
    // A stage that needs the dependency must be judged: a check that judged nobody proves nothing.
    for (const stage of needs) {
      if (!verdicts.some((v) => v.outage === outage.kind && v.stage === stage)) {
        verdicts.push({
          outage: outage.kind,
          stage,
          ok: false,
          description: `${stage} could not be judged on the ${outage.kind} outage (no replica was up and ready through it)`,
        });
      }
    }
  }
  return verdicts;
}

function wentDown(outage: OutageWindow, stage: StageName, samples: readonly ReadinessSample[]): ReadinessVerdict {
  const down = samples.find((s) => !s.ready && s.at <= outage.start + DOWN_WITHIN_MS);
  if (!down) {
    return {
      outage: outage.kind,
      stage,
      ok: false,
      description: `${stage} stayed ready ${DOWN_WITHIN_MS / 1000} s into the ${outage.kind} outage`,
    };
  }
  const readyDuring = samples.find((s) => s.ready && s.at > down.at && s.at < outage.end);
  if (readyDuring) {
    return {
      outage: outage.kind,
      stage,
      ok: false,
      description: `${stage} said ready ${secs(readyDuring.at - outage.start)} s into the ${outage.kind} outage`,
    };
  }
  const up = samples.find((s) => s.ready && s.at >= outage.end);
  if (!up) {
    return {
      outage: outage.kind,
      stage,
      ok: false,
      description: `${stage} not ready ${UP_WITHIN_MS / 1000} s after ${outage.kind} came back`,
    };
  }
  return {
    outage: outage.kind,
    stage,
    ok: true,
    description: `${stage} not ready ${secs(down.at - outage.start)} s into the ${outage.kind} outage, ready ${secs(up.at - outage.end)} s after it`,
  };
}

function stayedUp(outage: OutageWindow, stage: StageName, samples: readonly ReadinessSample[]): ReadinessVerdict {
  const down = samples.find((s) => !s.ready);
  return down
    ? {
        outage: outage.kind,
        stage,
        ok: false,
        description: `${stage} not ready ${secs(down.at - outage.start)} s into the ${outage.kind} outage, which it does not need`,
      }
    : { outage: outage.kind, stage, ok: true, description: `${stage} stayed ready through the ${outage.kind} outage` };
}

function secs(ms: number): string {
  return (ms / 1000).toFixed(1);
}
