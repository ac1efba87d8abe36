/**
 * `npm run stress-test`: POST /api/v1/photos/analyze with fresh photos (fresh-photos.ts: never a
 * result-cache hit), one uploaded photo per request, at ramped concurrency (1, 2, 4, then 2), against
 * a `media-ai serve` this script starts on loopback, scanning on beside a local clamd when one is
 * installed. Each step sends a fixed number of requests, so none is left in flight; steps not begun
 * by --deadline seconds are skipped and named. Prints photos/min, p50/p95/p99, errors (non-2xx, or a
 * processing.error answer) and the server's peak RSS. Figures only, never a pass/fail.
 *
 *   npm run stress-test [-- --photos <folder of JPEGs> --per-step 1 --deadline 120]
 */
import { parseArgs } from 'node:util';
import { describeFigures, runCountedSteps, type CountedStep } from './ramp.js';
import { DEFAULT_PHOTOS, freshVariants, multipartPhoto, sourcePhotos } from './fresh-photos.js';
import { loadAverage, machineLine, serverLines } from './report.js';
import { measureAgainstServe } from './served-process.js';

const CONCURRENCY = [1, 2, 4, 2];

const { values } = parseArgs({
  options: {
    photos: { type: 'string', default: DEFAULT_PHOTOS },
    'per-step': { type: 'string', default: '1' },
    deadline: { type: 'string', default: '120' },
  },
});
const perStep = Number(values['per-step']);
const deadlineS = Number(values.deadline);
if (!Number.isInteger(perStep) || perStep < 1 || !(deadlineS > 0)) {
  process.stderr.write('usage: npm run stress-test -- [--photos folder] [--per-step requests per connection] [--deadline seconds]\n');
  process.exit(2);
}
const steps: CountedStep[] = CONCURRENCY.map((connections) => ({ connections, amount: connections * perStep }));
const total = steps.reduce((n, s) => n + s.amount, 0);

const sources = sourcePhotos(values.photos);
// One spare per step: autocannon builds each step's first request once before it sends it.
const variants = (await freshVariants(sources, total + steps.length)).map(multipartPhoto);
let next = 0;

const loadBefore = loadAverage();
process.stderr.write(`${variants.length} fresh photos from ${sources.length} source(s); starting media-ai serve (models load first)...\n`);
await measureAgainstServe('stress-test', {}, async (server) => {
  const figures = await runCountedSteps(
    {
      url: server.origin,
      timeoutS: 180,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/photos/analyze',
          setupRequest: (request) => {
            const photo = variants[next++ % variants.length]!;
            return { ...request, headers: { 'content-type': photo.contentType }, body: photo.body };
          },
        },
      ],
      judge: (body) => {
        const event = JSON.parse(body) as { event_type?: string; error?: { code?: string } };
        return event.event_type === 'post.enhanced'
          ? null
          : `${event.event_type ?? 'unknown'}${event.error?.code ? ` ${event.error.code}` : ''}`;
      },
    },
    steps,
    deadlineS,
    (step, i) => process.stderr.write(`  step ${i + 1}/${steps.length}: ${step.amount} photos at concurrency ${step.connections}\n`),
  );
  return [
    `stress-test: POST /api/v1/photos/analyze, one fresh photo per request, concurrency ${CONCURRENCY.join(' -> ')} (${perStep} photos per connection per step)`,
    ...describeFigures(figures, { label: 'photos/min (post.enhanced answers)', perSeconds: 60, of: 'ok' }),
    ...(figures.skipped.length
      ? [`skipped       ${figures.skipped.map((s) => `concurrency ${s.connections}`).join(', ')}: past the ${deadlineS} s deadline`]
      : []),
    ...serverLines(server, server.peakRssBytes()),
    machineLine(loadBefore),
  ];
});
