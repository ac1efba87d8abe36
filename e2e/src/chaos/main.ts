/**
 * `npm run test:chaos`: the full seeded chaos run (run-chaos.ts) — by default 200 posts, 12 SIGKILLs
 * and 2 SIGTERMs over the five stages, Redis stopped, the registry failing and the OpenAI API slow then
 * rate-limited for 10 s each — printing the issue's line, the other figures, each fault with its
 * recovery and each readiness verdict. Exits 1 when anything was lost, conflicting, published after a
 * deletion, or otherwise wrong (each reason printed).
 *
 * Options: --seed N (default 1), --posts N (200), --kills N (12), --terms N (2), --images N (12),
 * --concurrency N (10). MEDIA_AI_CHAOS_SEED overrides the default seed (CI may vary it).
 */
import { parseArgs } from 'node:util';
import { runChaos } from './run-chaos.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: process.env['MEDIA_AI_CHAOS_SEED'] ?? '1' },
    posts: { type: 'string', default: '200' },
    kills: { type: 'string', default: '12' },
    terms: { type: 'string', default: '2' },
    images: { type: 'string', default: '12' },
    concurrency: { type: 'string', default: '10' },
  },
});

const started = new Date();
const report = await runChaos({
  seed: Number(values.seed),
  posts: Number(values.posts),
  kills: Number(values.kills),
  terms: Number(values.terms),
  images: Number(values.images),
  concurrency: Number(values.concurrency),
  log: (line) => console.log(`chaos: ${line}`),
});
console.log('');
for (const fault of report.faults) {
  console.log(
    `fault: ${fault.outcome.description}; recovered ${fault.recoveryS === null ? 'never' : `in ${fault.recoveryS.toFixed(1)} s`}`,
  );
}
for (const verdict of report.readiness) console.log(`readiness: ${verdict.ok ? 'ok' : 'FAULT'}: ${verdict.description}`);
for (const failure of report.failures) console.log(`FAILED: ${failure}`);
console.log(`chaos run of ${started.toISOString()}:`);
console.log(report.line);
console.log(report.more);
process.exitCode = report.ok ? 0 : 1;
