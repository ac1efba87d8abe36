/**
 * Measuring helpers shared by the eval, the bench and the memory tools: per-stage latency samples
 * with percentiles, a peak-RSS sampler, RSS split by kind of mapping. Figures of one run on one
 * machine; they must never be turned into pass/fail assertions (the machines are noisy), only printed.
 */
import { readFileSync } from 'node:fs';

/** The p-th percentile (nearest rank) of the values; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface LatencySummary {
  n: number;
  p50: number;
  p90: number;
  p95: number;
}

/** Milliseconds per stage, in the order the stages were first seen. */
export class Latencies {
  private readonly byStage = new Map<string, number[]>();

  add(stage: string, ms: number): void {
    const list = this.byStage.get(stage) ?? [];
    list.push(ms);
    this.byStage.set(stage, list);
  }

  summary(): Record<string, LatencySummary> {
    const out: Record<string, LatencySummary> = {};
    for (const [stage, values] of this.byStage) {
      out[stage] = { n: values.length, p50: percentile(values, 50), p90: percentile(values, 90), p95: percentile(values, 95) };
    }
    return out;
  }

  print(title: string, write: (line: string) => void = (line) => process.stdout.write(line)): void {
    write(`${title}\n`);
    for (const [stage, s] of Object.entries(this.summary())) {
      write(
        `  ${stage.padEnd(12)} n=${String(s.n).padStart(4)}  p50=${s.p50.toFixed(0).padStart(6)} ms  p90=${s.p90.toFixed(0).padStart(6)} ms  p95=${s.p95.toFixed(0).padStart(6)} ms\n`,
      );
    }
  }
}

/** Samples RSS while work runs: resourceUsage().maxRSS never goes down, so phases need sampling. */
export function rssSampler(): { stop: () => number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return { stop: () => (clearInterval(timer), Math.max(peak, process.memoryUsage().rss)) };
}

export const mebibytes = (bytes: number): number => bytes / 2 ** 20;

/** RSS of /proc/self/smaps by kind of mapping: glibc's main arena, other anonymous memory, files. */
export function smapsRss(): { heap: number; anon: number; file: number } {
  const out = { heap: 0, anon: 0, file: 0 };
  let kind: keyof typeof out = 'anon';
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      const name = header[1]!;
      kind = name === '[heap]' ? 'heap' : name === '' || name.startsWith('[') ? 'anon' : 'file';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) out[kind] += Number(rss[1]) * 1024;
  }
  return out;
}
