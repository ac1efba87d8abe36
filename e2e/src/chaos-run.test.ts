/**
 * The small seeded chaos run, as part of `npm test` (the full one is `npm run test:chaos`, see
 * src/chaos/main.ts): 20 posts with lifecycle events, a SIGKILL of every stage (one right after it
 * took a batch, one while a second replica joins), a SIGTERM, Redis stopped, the registry failing and
 * the OpenAI API slow then rate-limited for 10 s each — and nothing may be lost, published twice
 * differently or published after a deletion; every group drains, readiness follows the
 * dependencies, every stage recovers. Stand-in broker and registry only.
 */
import { describe, expect, it } from 'vitest';
import { runChaos } from './chaos/run-chaos.js';

const REAL_CLUSTER = Boolean(process.env['KAFKA_BOOTSTRAP_SERVERS'] && process.env['SCHEMA_REGISTRY_URL']);

describe.skipIf(REAL_CLUSTER)('chaos across the five stages', () => {
  it('loses no revision, publishes none twice differently and nothing after a deletion, through kills and outages', async () => {
    const report = await runChaos({ seed: 11, posts: 20, kills: 5, terms: 1, images: 6, concurrency: 6 });
    // The figures in the test output, as `npm run test:chaos` prints them.
    console.log(`${report.line}\n${report.more}`);
    expect(report.failures).toEqual([]);
    expect(report.findings.lost).toEqual([]);
    expect(report.findings.conflicting).toEqual([]);
    expect(report.findings.afterDelete).toEqual([]);
    expect(report.line).toMatch(/ kills=5 /);
    expect(report.findings.revisions).toBeGreaterThan(20);
  }, 900_000);
});
