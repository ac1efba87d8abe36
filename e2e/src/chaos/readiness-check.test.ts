import { describe, expect, it } from 'vitest';
import type { ReadinessSample } from './fleet.js';
import { judgeReadiness, type ReplicaHistory } from './readiness-check.js';

/** Samples every 250 ms from `from` to `to`, ready unless `down(at)`. */
function samples(from: number, to: number, down: (at: number) => boolean): ReadinessSample[] {
  const out: ReadinessSample[] = [];
  for (let at = from; at <= to; at += 250) out.push({ at, ready: !down(at) });
  return out;
}

const REDIS = { kind: 'redis' as const, start: 100_000, end: 110_000 };

function replica(stage: ReplicaHistory['stage'], down: (at: number) => boolean, startedAt = 0): ReplicaHistory {
  return { stage, startedAt, endedAt: null, readiness: samples(startedAt + 1_000, 150_000, down) };
}

describe('judgeReadiness', () => {
  it('passes a stage that needs Redis going down with it and up after, and one that does not staying up', () => {
    const verdicts = judgeReadiness(
      [REDIS],
      [replica('aggregator', (at) => at > 100_500 && at < 111_000), replica('ocr', () => false)],
      [],
    );
    expect(verdicts.map((v) => [v.stage, v.ok])).toEqual([
      ['aggregator', true],
      ['ocr', true],
    ]);
  });

  it('fails a stage that stays ready without its dependency, says ready during it, or stays down after it', () => {
    const stays = judgeReadiness([REDIS], [replica('aggregator', () => false)], []);
    expect(stays[0]).toMatchObject({ ok: false, description: expect.stringContaining('stayed ready') });
    const flaps = judgeReadiness(
      [REDIS],
      [replica('aggregator', (at) => at > 100_500 && at < 111_000 && (at < 104_000 || at > 105_000))],
      [],
    );
    expect(flaps[0]).toMatchObject({ ok: false, description: expect.stringContaining('said ready') });
    const stuck = judgeReadiness([REDIS], [replica('aggregator', (at) => at > 100_500)], []);
    expect(stuck[0]).toMatchObject({ ok: false, description: expect.stringContaining('not ready 20 s after') });
  });

  it('fails a stage whose readiness falls over a dependency it does not need', () => {
    const verdicts = judgeReadiness(
      [{ kind: 'registry', start: 100_000, end: 110_000 }],
      [replica('detector', (at) => at > 101_000 && at < 102_000)],
      [],
    );
    expect(verdicts).toEqual([expect.objectContaining({ stage: 'detector', ok: false })]);
  });

  it('leaves out replicas started during the outage or disturbed by a kill, but fails when a needed stage could not be judged', () => {
    const late = replica('aggregator', () => false, 105_000);
    const killed = replica('llm', (at) => at > 103_000);
    const verdicts = judgeReadiness([REDIS], [late, killed], [{ stage: 'llm', at: 103_000 }]);
    expect(verdicts).toEqual([
      expect.objectContaining({ stage: 'aggregator', ok: false, description: expect.stringContaining('could not be judged') }),
    ]);
  });
});
