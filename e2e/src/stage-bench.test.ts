/**
 * `npm run bench -- <folder> --stages` (tools/quality/run-stage-bench.ts) on three photos, run as a
 * user runs it: the CLI in its own process, which starts the broker and registry stand-ins, a Redis
 * of its own and the five stage services as processes. Checks that the last line carries every
 * figure and that they agree with each other and with what was asked (every post enhanced, no cache
 * hit, every stage spent CPU); never how fast anything was.
 */
import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PHOTOS_DIR } from '@media-ai/pipeline/test-support';
import { REPO_ROOT } from './support/stage-process.js';

const STAGES = ['fetcher', 'detector', 'ocr', 'llm', 'aggregator'] as const;
const POSTS = 3;

/** `a=1 b=2.5` to { a: 1, b: 2.5 }. */
function figures(line: string): Record<string, number> {
  return Object.fromEntries(line.split(' ').map((pair) => [pair.slice(0, pair.indexOf('=')), Number(pair.slice(pair.indexOf('=') + 1))]));
}

describe('the stage bench', () => {
  it('prints posts/min, latency and each stage’s CPU, RSS and records for distinct posts, every one enhanced', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--conditions=development', '--import', 'tsx', 'tools/bench.ts', PHOTOS_DIR, '--stages', '--photos', String(POSTS)],
      { cwd: REPO_ROOT, env: process.env, encoding: 'utf8', maxBuffer: 16 * 2 ** 20 },
    );
    console.log(stdout);
    expect(stdout).toMatch(/load average at start \d+\.\d\d \d+\.\d\d \d+\.\d\d/);
    expect(stdout).toMatch(/load average at end \d+\.\d\d \d+\.\d\d \d+\.\d\d/);
    const line = stdout.trim().split('\n').at(-1)!;
    const f = figures(line);
    const names = [
      'stages_posts_per_min',
      'stages_cpu_ms_per_post',
      ...STAGES.map((s) => `${s}_cpu_ms`),
      'stages_peak_rss_mb',
      'enhanced',
      'dead_letters',
      'posts',
      'p50_ms',
      'p95_ms',
      'limit_posts_per_min',
      'cache_hits',
    ];
    expect(Object.keys(f)).toEqual(names);
    for (const name of names) expect(Number.isFinite(f[name]), `${name} in ${line}`).toBe(true);
    expect(f['posts']).toBe(POSTS);
    expect(f['enhanced']).toBe(POSTS);
    expect(f['dead_letters']).toBe(0);
    // Distinct photos and an empty Redis: nothing may come from the result cache.
    expect(f['cache_hits']).toBe(0);
    for (const stage of STAGES) expect(f[`${stage}_cpu_ms`], stage).toBeGreaterThan(0);
    // The total is the stages' sum (each rounded on its own: within one ms per stage).
    const sum = STAGES.reduce((s, stage) => s + f[`${stage}_cpu_ms`]!, 0);
    expect(Math.abs(sum - f['stages_cpu_ms_per_post']!)).toBeLessThanOrEqual(STAGES.length);
    expect(f['stages_posts_per_min']).toBeGreaterThan(0);
    expect(f['limit_posts_per_min']).toBeCloseTo((os.availableParallelism() * 60_000) / f['stages_cpu_ms_per_post']!, -1);
    expect(f['p50_ms']).toBeGreaterThan(0);
    expect(f['p95_ms']).toBeGreaterThanOrEqual(f['p50_ms']!);
    expect(f['stages_peak_rss_mb']).toBeGreaterThan(0);
    // Every stage handled the posts: one record each for the fetcher and the photo stages, four per
    // post for the aggregator (the manifest, detections, texts, description).
    const rows = new Map(
      STAGES.map((stage) => {
        const row = new RegExp(`^  ${stage} +(\\d+) +\\((\\d+)\\) +\\d+ % +\\d+ +(\\d+) `, 'm').exec(stdout);
        expect(row, `${stage}'s row`).not.toBeNull();
        return [stage, { cpu: Number(row![1]), selfReported: Number(row![2]), records: Number(row![3]) }];
      }),
    );
    expect(Object.fromEntries(STAGES.map((stage) => [stage, rows.get(stage)!.records]))).toEqual({
      fetcher: POSTS,
      detector: POSTS,
      ocr: POSTS,
      llm: POSTS,
      aggregator: 4 * POSTS,
    });
    // /proc/<pid>/stat and the stage's own process_cpu_seconds_total count the same threads over
    // nearly the same window (each read a moment apart): they must agree, beyond clock-tick rounding
    // and the scrape's own cost.
    for (const [stage, { cpu, selfReported }] of rows) {
      expect(Math.abs(cpu - selfReported), `${stage}: /proc ${cpu} ms, its /metrics ${selfReported} ms`).toBeLessThanOrEqual(
        Math.max(50, 0.2 * cpu),
      );
    }
  }, 900_000);
});
