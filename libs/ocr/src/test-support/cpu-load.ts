/**
 * A CPU load a test creates: worker threads spinning on arithmetic until stopped, so a test can
 * read photos while every core is contended. Test code only; it must never be imported by product
 * code, and stop() must always be awaited (a spinning worker keeps the process alive).
 */
import { Worker } from 'node:worker_threads';

/** Busy loops in eval'd workers: no file to resolve, no module loader involved. */
const SPIN = `
const { parentPort } = require('node:worker_threads');
let stop = false;
parentPort.on('message', () => { stop = true; });
let x = 0;
function spin() {
  const until = Date.now() + 50;
  while (Date.now() < until) x = Math.sqrt(x + Math.random());
  if (!stop) setImmediate(spin);
  else parentPort.close();
}
spin();
`;

export interface CpuLoad {
  stop(): Promise<void>;
}

/** Starts `threads` spinning workers (default: twice the cores, so every core is oversubscribed). */
export function startCpuLoad(threads: number): CpuLoad {
  const workers = Array.from({ length: threads }, () => new Worker(SPIN, { eval: true }));
  return {
    async stop() {
      await Promise.all(
        workers.map(async (worker) => {
          worker.postMessage('stop');
          await worker.terminate();
        }),
      );
    },
  };
}
