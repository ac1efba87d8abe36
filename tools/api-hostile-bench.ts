// `node --conditions=development --import tsx tools/api-hostile-bench.ts [--runs 50]`
// How quickly the shared HTTP server (libs/http) refuses hostile JSON bodies, over a real socket:
// a body nested 10,000 deep, and one as deep as the 1 MiB body limit allows, beside a shallow body
// of the same route for comparison. Prints the median and p95 of each, with the status and error
// code the server answered (400 MEDIA_AI_JSON_TOO_DEEP is expected for both deep bodies).
import { parseArgs } from 'node:util';
import { createHttpServer, HealthRegistry } from '@media-ai/http';
import { Registry } from 'prom-client';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '50' } } });
const runs = Number(values.runs);

const app = await createHttpServer({
  service: 'api-hostile-bench',
  version: 'bench',
  metrics: new Registry(),
  health: new HealthRegistry(),
  docs: false,
});
app.post('/api/v1/echo', async (request) => ({ received: typeof request.body }));
const address = await app.listen({ host: '127.0.0.1', port: 0 });

const nested = (depth: number) => `{"payload":${'['.repeat(depth)}${']'.repeat(depth)}}`;
// As deep as fits in Fastify's default 1 MiB body limit.
const limitDepth = Math.floor((1024 * 1024 - 20) / 2);
const bodies: Array<[string, string]> = [
  ['shallow body (3 deep)', JSON.stringify({ event_type: 'post.created', payload: { photos: [{ url: 'https://x/y.jpg' }] } })],
  ['10,000 deep', nested(10_000)],
  [`${limitDepth.toLocaleString('en')} deep (1 MiB)`, nested(limitDepth)],
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

console.log(`${runs} requests each, POST ${address}/api/v1/echo, node ${process.version}`);
for (const [name, body] of bodies) {
  const times: number[] = [];
  let answer = '';
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const response = await fetch(`${address}/api/v1/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const json = (await response.json()) as { error?: { code: string } };
    times.push(performance.now() - started);
    answer = `${response.status} ${json.error?.code ?? 'ok'}`;
  }
  times.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(28)} ${answer.padEnd(28)} median ${percentile(times, 0.5).toFixed(2)} ms, p95 ${percentile(times, 0.95).toFixed(2)} ms`,
  );
}
await app.close();
