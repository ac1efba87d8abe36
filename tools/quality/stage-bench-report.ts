/**
 * What the stage bench (run-stage-bench.ts) prints once its run is over: the run's posts/min and
 * latency, a table of the five stages (CPU ms per post with each stage's own figure beside it, share,
 * peak RSS, records), what is not the stages' CPU, the CPU-bound limit, the load average at the end,
 * and the last line in the bench's key=value style. Pure: it formats the figures it is given and
 * never measures anything.
 */
import type { StageName } from '@media-ai/contracts';
import { mebibytes, percentile } from './measure.js';

/** One stage process over the run (deltas between the readings before and after). */
export interface StageFigures {
  name: StageName;
  /** utime + stime of /proc/<pid>/stat. */
  cpuMs: number;
  /** Its own process_cpu_seconds_total, in ms: the cross-check. */
  selfReportedCpuMs: number;
  /** VmHWM: the process's peak since it started. */
  peakRssBytes: number;
  processed: number;
  failed: number;
  deadLettered: number;
  cacheHits: number;
}

export interface StageBenchResult {
  posts: number;
  cores: number;
  /** From the publish to the last post's post.enhanced (or dead letter) record. */
  runMs: number;
  enhanced: number;
  /** Dead-letter records of the run's posts, and how many posts they belong to. */
  deadLetters: number;
  deadLetteredPosts: number;
  /** Publish to the post.enhanced record's timestamp, one per enhanced post. */
  latenciesMs: number[];
  /** In the order of the last line. */
  stages: StageFigures[];
  redisCpuMs: number | null;
  /** The bench process: broker, registry and OpenAI stand-ins, the collectors. */
  harnessCpuMs: number;
  loadAverageAtEnd: string;
}

const mb = (bytes: number) => mebibytes(bytes).toFixed(0);

export function printStageBench(result: StageBenchResult, write: (text: string) => void): void {
  const n = result.posts;
  const postsPerMin = (n / Math.max(1, result.runMs)) * 60_000;
  const perPost = (ms: number) => ms / n;
  const cpuPerPost = perPost(result.stages.reduce((s, st) => s + st.cpuMs, 0));
  const peakSum = result.stages.reduce((s, st) => s + st.peakRssBytes, 0);
  const cacheHits = result.stages.reduce((s, st) => s + st.cacheHits, 0);
  const limit = (result.cores * 60_000) / cpuPerPost;
  const p50 = percentile(result.latenciesMs, 50);
  const p95 = percentile(result.latenciesMs, 95);
  const max = result.latenciesMs.length ? Math.max(...result.latenciesMs) : Number.NaN;

  write(
    `run: ${n} posts in ${(result.runMs / 1000).toFixed(1)} s = ${postsPerMin.toFixed(1)} posts/min; ${result.enhanced} enhanced, ${result.deadLetters} dead letters` +
      ` (${result.deadLetteredPosts} posts); latency publish -> post.enhanced p50=${p50.toFixed(0)} ms p95=${p95.toFixed(0)} ms max=${max.toFixed(0)} ms\n`,
  );
  write(`  stage        cpu ms/post (its /metrics)  share  peak RSS MB  records handled  failed  dead-lettered  cache hits\n`);
  for (const st of result.stages) {
    const cpu = perPost(st.cpuMs);
    write(
      `  ${st.name.padEnd(12)} ${cpu.toFixed(0).padStart(11)} ${`(${perPost(st.selfReportedCpuMs).toFixed(0)})`.padStart(14)}  ${((cpu / cpuPerPost) * 100).toFixed(0).padStart(4)} %` +
        `  ${mb(st.peakRssBytes).padStart(11)}  ${String(st.processed).padStart(15)}  ${String(st.failed).padStart(6)}  ${String(st.deadLettered).padStart(13)}  ${String(st.cacheHits).padStart(10)}\n`,
    );
  }
  write(
    `  all stages   ${cpuPerPost.toFixed(0).padStart(11)} ${''.padStart(14)}  100 %  ${mb(peakSum).padStart(11)} (sum of the peaks)\n` +
      `  not the stages': redis-server ${result.redisCpuMs === null ? 'n/a' : perPost(result.redisCpuMs).toFixed(0)} ms/post;` +
      ` this process (broker, registry and OpenAI stand-ins, collectors) ${perPost(result.harnessCpuMs).toFixed(0)} ms/post\n`,
  );
  write(
    `CPU-bound limit: ${result.cores} cores x 60,000 / ${cpuPerPost.toFixed(0)} ms = ${limit.toFixed(1)} posts/min for the five stages;` +
      ` the run reached ${((postsPerMin / limit) * 100).toFixed(0)} % of it (wall clock: judge it by the load average)\n`,
  );
  write(`load average at end ${result.loadAverageAtEnd}\n`);
  const cpuFigures = result.stages.map((st) => `${st.name}_cpu_ms=${perPost(st.cpuMs).toFixed(0)}`).join(' ');
  write(
    `\nstages_posts_per_min=${postsPerMin.toFixed(1)} stages_cpu_ms_per_post=${cpuPerPost.toFixed(0)} ${cpuFigures} stages_peak_rss_mb=${mb(peakSum)}` +
      ` enhanced=${result.enhanced} dead_letters=${result.deadLetters} posts=${n} p50_ms=${p50.toFixed(0)} p95_ms=${p95.toFixed(0)} limit_posts_per_min=${limit.toFixed(1)} cache_hits=${cacheHits}\n`,
  );
}
