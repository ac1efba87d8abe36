import { describe, expect, it } from 'vitest';
import { buildChaosPlan, CHAOS_STAGES, type Fault } from './plan.js';

const FULL = { seed: 7, posts: 200, kills: 12, terms: 2, images: 12 };

describe('buildChaosPlan', () => {
  it('gives the same plan, ids included, for the same seed, and another for another seed', () => {
    expect(buildChaosPlan(FULL)).toEqual(buildChaosPlan(FULL));
    expect(buildChaosPlan({ ...FULL, seed: 8 }).posts[0]!.postId).not.toBe(buildChaosPlan(FULL).posts[0]!.postId);
  });

  it('kills every stage at least once, some mid-batch and some mid-rebalance, and takes each dependency away once', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { faults } = buildChaosPlan({ ...FULL, seed });
      const kills = faults.filter((f): f is Extract<Fault, { kind: 'kill' }> => f.kind === 'kill' && f.signal === 'SIGKILL');
      expect(kills).toHaveLength(12);
      expect(new Set(kills.map((k) => k.stage))).toEqual(new Set(CHAOS_STAGES));
      expect(kills.some((k) => k.moment === 'mid-batch')).toBe(true);
      expect(kills.some((k) => k.moment === 'rebalance')).toBe(true);
      expect(faults.filter((f) => f.kind === 'kill' && f.signal === 'SIGTERM')).toHaveLength(2);
      expect(
        faults
          .filter((f) => f.kind !== 'kill')
          .map((f) => f.kind)
          .sort(),
      ).toEqual(['openai-trouble', 'redis-outage', 'registry-outage']);
      // In workload order, all of them amid the work.
      expect(faults.map((f) => f.at)).toEqual([...faults.map((f) => f.at)].sort((a, b) => a - b));
      for (const fault of faults) expect(fault.at).toBeGreaterThan(0);
      for (const fault of faults) expect(fault.at).toBeLessThan(0.9);
    }
  });

  it('refuses fewer kills than stages', () => {
    expect(() => buildChaosPlan({ ...FULL, kills: 4 })).toThrow(/every stage/);
  });

  it('plays lifecycles fn-posts can send: created first, never the last photo removed, deletion last, text updates that change the text', () => {
    const plan = buildChaosPlan(FULL);
    const kinds = new Set(plan.posts.flatMap((p) => p.steps.map((s) => s.kind)));
    expect(kinds).toEqual(new Set(['created', 'photo.added', 'photo.removed', 'updated.text', 'updated.other', 'deleted']));
    expect(plan.events).toBe(plan.posts.reduce((n, p) => n + p.steps.length, 0));
    for (const post of plan.posts) {
      expect(post.steps[0]!.kind).toBe('created');
      let photos = 0;
      let title = post.title;
      post.steps.forEach((step, i) => {
        if (step.kind === 'created') photos = step.photos.length;
        if (step.kind === 'photo.added') photos++;
        if (step.kind === 'photo.removed') photos--;
        if (step.kind === 'updated.text') {
          expect(step.title).not.toBe(title);
          title = step.title;
        }
        if (step.kind === 'deleted') expect(i).toBe(post.steps.length - 1);
        expect(photos).toBeGreaterThanOrEqual(1);
        expect(photos).toBeLessThanOrEqual(4);
      });
    }
    expect(plan.posts.filter((p) => p.steps.some((s) => s.kind === 'deleted' && s.hot)).length).toBeGreaterThan(0);
    expect(plan.posts.filter((p) => p.steps.some((s) => s.kind === 'deleted' && !s.hot)).length).toBeGreaterThan(0);
  });
});
