// `node --conditions=development --import tsx --import ./tools/allocation-by-function.ts <any tool or entry> ...`:
// what a process's main isolate allocates, by function. A preload: V8's sampling heap profiler
// from start to exit with the objects that scavenges and full GCs collected counted too (node's
// --heap-prof keeps only the survivors, which hides short-lived garbage, the cause of scavenges);
// at exit it prints the top 45 functions by sampled bytes to stderr (lines start "ALLOC"). Run the
// pipeline with OCR_THREADS=false to see the OCR reader's allocations on the main isolate.
// Line numbers of tsx-compiled files read 1. Figures are printed, never asserted. For GC counts
// by isolate add node's --trace-gc and count "Scavenge" / "Mark-Compact" per "[pid:isolate]" prefix.
import { Session } from 'node:inspector';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

const SAMPLING_INTERVAL_BYTES = 16384;
const session = new Session();
session.connect();
session.post('HeapProfiler.enable');
session.post('HeapProfiler.startSampling', {
  samplingInterval: SAMPLING_INTERVAL_BYTES,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});

const mebibytes = (bytes: number): string => (bytes / 1048576).toFixed(1);

process.on('exit', () => {
  // An in-thread inspector session answers synchronously, so this runs before the process ends.
  session.post('HeapProfiler.stopSampling', (error, result) => {
    if (error) {
      process.stderr.write(`ALLOC stopSampling failed: ${error.message}\n`);
      return;
    }
    const byFunction = new Map<string, number>();
    let total = 0;
    const walk = (node: ProfileNode): void => {
      const frame = node.callFrame;
      total += node.selfSize;
      const where = frame.url.replace(/.*\/(node_modules|libs|services|tools)\//, '$1/');
      const key = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize);
      node.children.forEach(walk);
    };
    walk((result as { profile: { head: ProfileNode } }).profile.head);
    process.stderr.write(`ALLOC total sampled ${mebibytes(total)} MiB (main isolate, start to exit)\n`);
    for (const [key, bytes] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 45)) {
      process.stderr.write(`ALLOC ${mebibytes(bytes).padStart(8)} MiB ${key}\n`);
    }
  });
});
