/**
 * `npm run load-test`: the deployment guide's k6 health load test, against a `media-ai serve` this
 * script starts on loopback. GET /api/v1/health and /api/v1/health/ready in turn, connections ramped
 * like the guide's stages (2 min to 10, 5 min to 50, 2 min down to 0), time-scaled by --scale
 * (default 1/6: 90 s in all). Prints req/s, p50/p95/p99, the share under the guide's 500 ms, errors
 * and the server's peak RSS. Figures only, never a pass/fail: rerun on a quiet machine for the README.
 *
 *   npm run load-test [-- --scale 0.1667 --step 10]
 */
import { parseArgs } from 'node:util';
import { describeFigures, planSteps, runRamp, type RampStage } from './ramp.js';
import { loadAverage, machineLine, serverLines } from './report.js';
import { measureAgainstServe } from './served-process.js';

/** The guide's k6 stages, in seconds. */
const GUIDE_STAGES: readonly RampStage[] = [
  { durationS: 120, target: 10 },
  { durationS: 300, target: 50 },
  { durationS: 120, target: 0 },
];

const { values } = parseArgs({ options: { scale: { type: 'string', default: String(1 / 6) }, step: { type: 'string', default: '10' } } });
const scale = Number(values.scale);
const stepS = Number(values.step);
if (!(scale > 0 && scale <= 1) || !(stepS >= 1)) {
  process.stderr.write('usage: npm run load-test -- [--scale 0<s<=1] [--step seconds>=1]\n');
  process.exit(2);
}

const stages = GUIDE_STAGES.map((s) => ({ ...s, durationS: s.durationS * scale }));
const steps = planSteps(stages, stepS);
const loadBefore = loadAverage();
process.stderr.write('starting media-ai serve (models load first)...\n');
await measureAgainstServe('load-test', {}, async (server) => {
  process.stderr.write(`ramp: ${steps.map((s) => `${s.connections}c/${s.durationS.toFixed(0)}s`).join(' ')}\n`);
  const figures = await runRamp(
    {
      url: server.origin,
      requests: [
        { method: 'GET', path: '/api/v1/health' },
        { method: 'GET', path: '/api/v1/health/ready' },
      ],
    },
    steps,
    (step, i) =>
      process.stderr.write(`  step ${i + 1}/${steps.length}: ${step.connections} connections for ${step.durationS.toFixed(0)} s\n`),
  );
  const under500 = figures.latenciesMs.filter((ms) => ms < 500).length / Math.max(1, figures.latenciesMs.length);
  return [
    `load-test: GET /api/v1/health and /api/v1/health/ready, the guide's stages x${scale.toFixed(3)} (${stages.map((s) => `${s.durationS.toFixed(0)}s->${s.target}`).join(', ')})`,
    ...describeFigures(figures, { label: 'req/s', perSeconds: 1, of: 'requests' }),
    `under 500 ms  ${(under500 * 100).toFixed(2)} % (the guide's k6 check)`,
    ...serverLines(server, server.peakRssBytes()),
    machineLine(loadBefore),
  ];
});
