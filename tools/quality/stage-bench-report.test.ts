import { describe, expect, it } from 'vitest';
import { printStageBench, type StageFigures } from './stage-bench-report.js';

const stage = (name: StageFigures['name'], cpuMs: number, processed: number): StageFigures => ({
  name,
  cpuMs,
  selfReportedCpuMs: cpuMs + 4,
  peakRssBytes: 100 * 2 ** 20,
  processed,
  failed: 0,
  deadLettered: 0,
  cacheHits: 0,
});

describe('printStageBench', () => {
  it('prints per-post figures, the stages’ sum, the limit and the last line in the order given', () => {
    let out = '';
    printStageBench(
      {
        posts: 4,
        cores: 2,
        runMs: 12_000,
        enhanced: 4,
        deadLetters: 0,
        deadLetteredPosts: 0,
        latenciesMs: [4_000, 9_000, 11_000, 12_000],
        stages: [
          stage('fetcher', 400, 4),
          stage('detector', 800, 4),
          stage('ocr', 2_400, 4),
          stage('llm', 200, 4),
          stage('aggregator', 200, 16),
        ],
        redisCpuMs: 8,
        harnessCpuMs: 120,
        loadAverageAtEnd: '1.00 2.00 3.00',
      },
      (text) => (out += text),
    );
    const lines = out.trim().split('\n');
    expect(lines.at(-1)).toBe(
      'stages_posts_per_min=20.0 stages_cpu_ms_per_post=1000 fetcher_cpu_ms=100 detector_cpu_ms=200 ocr_cpu_ms=600 llm_cpu_ms=50 aggregator_cpu_ms=50' +
        ' stages_peak_rss_mb=500 enhanced=4 dead_letters=0 posts=4 p50_ms=9000 p95_ms=12000 limit_posts_per_min=120.0 cache_hits=0',
    );
    expect(out).toMatch(/^ {2}ocr +600 +\(601\) +60 % +100 +4 /m);
    expect(out).toContain('redis-server 2 ms/post; this process (broker, registry and OpenAI stand-ins, collectors) 30 ms/post');
    expect(out).toContain('2 cores x 60,000 / 1000 ms = 120.0 posts/min for the five stages; the run reached 17 % of it');
    expect(out).toContain('load average at end 1.00 2.00 3.00');
  });
});
