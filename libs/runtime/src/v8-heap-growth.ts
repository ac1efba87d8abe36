/**
 * How far V8 lets a JavaScript heap grow past what survived its last full collection before the next
 * one: 1.5 times (--heap-growing-percent=50) instead of V8's own factor (up to 4 times when the
 * collector is fast, as it is for this process's ~70-100 MB of live objects). In the embedded
 * pipeline the main isolate's garbage, not its live data, made the peak RSS: its heap climbed from
 * ~70 to ~260 MB between full collections while the OCR thread read (tools/memory-timeline.ts).
 * It must never override a value the caller gave on node's command line. V8 flags are the
 * process's, so the OCR thread's isolate is bound by it too. Node refuses this flag in
 * NODE_OPTIONS, hence v8.setFlagsFromString at start-up.
 */
import v8 from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

/** Sets V8's heap growing factor unless node's own command line already set one. */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): void {
  if (execArgv.some((arg) => arg.startsWith('--heap-growing-percent') || arg.startsWith('--heap_growing_percent'))) return;
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
