/**
 * CPU-time accounting for the bench: what this process spent on the CPU, every thread counted
 * (onnxruntime's intra-op threads, tesseract.js worker threads, libuv's pool running sharp), which
 * other work on a shared machine disturbs far less than wall-clock time. Figures are printed,
 * never asserted.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';

/**
 * User + system CPU of the whole process in ms. process.cpuUsage is getrusage(RUSAGE_SELF), which
 * sums every thread of the process (unlike RUSAGE_THREAD); /proc/self/stat cross-checks it.
 */
export function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * utime + stime of /proc/<pid>/stat, this process's by default (all threads, in clock ticks of
 * 10 ms); null off Linux or once the process is gone. Another process's figure is how the stage
 * bench counts each stage service.
 */
export function procStatCpuMs(pid: number | 'self' = 'self'): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) * 10;
  } catch {
    return null;
  }
}

/** Threads the process has now (/proc/self/status), null off Linux. */
export function threadCount(): number | null {
  try {
    const match = /^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** CPU ms spent per named step, summed over photos. */
export class CpuSteps {
  private readonly byStep = new Map<string, number>();

  async time<T>(step: string, work: () => Promise<T>): Promise<T> {
    const before = processCpuMs();
    try {
      return await work();
    } finally {
      this.add(step, processCpuMs() - before);
    }
  }

  add(step: string, ms: number): void {
    this.byStep.set(step, (this.byStep.get(step) ?? 0) + ms);
  }

  total(): number {
    return [...this.byStep.values()].reduce((s, v) => s + v, 0);
  }

  /** Mean CPU ms per photo for each step, in first-seen order. */
  perPhoto(photos: number): Array<[string, number]> {
    return [...this.byStep].map(([step, ms]) => [step, ms / photos]);
  }
}

/** The cores the bench may count on: what Node reports as available to it. */
export const cores = (): number => os.availableParallelism();

/** The 1, 5 and 15 minute load averages, for a reader to judge wall-clock figures. */
export const loadAverage = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
