// `npm run bench -- <folder> [--photos N] [--repeat] [--single K]`: embedded pipeline vs a naive
// sequential loop in one process, distinct photos by default, CPU time per photo and per step
// (tools/quality/run-bench.ts says what each figure is). With --stages: the five stage services as
// processes over the Kafka test broker instead (tools/quality/run-stage-bench.ts).
import { parseArgs } from 'node:util';
import { createRuntime } from '@media-ai/runtime';
import { runBench } from './quality/run-bench.js';

const usage = 'usage: npm run bench -- <folder> [--photos N] [--repeat] [--single K] [--baseline] [--stages]\n';
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    photos: { type: 'string' },
    repeat: { type: 'boolean', default: false },
    single: { type: 'string', default: '10' },
    baseline: { type: 'boolean', default: false },
    stages: { type: 'boolean', default: false },
  },
});
const folder = positionals[0];
const photos = values.photos === undefined ? undefined : Number(values.photos);
const single = Number(values.single);
if (!folder || (photos !== undefined && (!Number.isInteger(photos) || photos < 1)) || !Number.isInteger(single) || single < 0) {
  process.stderr.write(usage);
  process.exit(2);
}
if (values.stages) {
  const { stageBenchMain } = await import('./quality/run-stage-bench.js');
  process.exit(await stageBenchMain(folder, { photos, repeat: values.repeat }));
}
const env = process.env.LOG_LEVEL ? process.env : { ...process.env, LOG_LEVEL: 'WARNING' };
try {
  await runBench(createRuntime({ logToStderr: true, env }), folder, { photos, repeat: values.repeat, single, baseline: values.baseline });
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
process.exit(0);
