/**
 * What both load tools print around their figures: the machine (cores, load average before and
 * after, since a shared machine skews every figure), the server's start-up and its peak RSS.
 */
import os from 'node:os';
import type { ServedProcess } from './served-process.js';

export const loadAverage = () =>
  os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');

export function machineLine(loadBefore: string): string {
  return `machine       ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, load average ${loadBefore} before, ${loadAverage()} after`;
}

export function serverLines(server: ServedProcess, peakRssBytes: number): string[] {
  return [
    `server        media-ai serve on ${server.origin}, ready in ${(server.readyMs / 1000).toFixed(1)} s, ${server.scanning}`,
    `peak RSS      ${(peakRssBytes / 2 ** 20).toFixed(0)} MiB (server VmHWM)`,
  ];
}
