// `npm run bench -- <folder> [--photos N]`: embedded pipeline vs a naive sequential loop, one process.
import { parseArgs } from 'node:util';
import { createRuntime } from '@media-ai/runtime';
import { runBench } from './quality/run-bench.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { photos: { type: 'string', default: '20' } } });
const folder = positionals[0];
const count = Number(values.photos);
if (!folder || !Number.isInteger(count) || count < 1) {
  process.stderr.write('usage: npm run bench -- <folder> [--photos N]\n');
  process.exit(2);
}
const env = process.env.LOG_LEVEL ? process.env : { ...process.env, LOG_LEVEL: 'WARNING' };
await runBench(createRuntime({ logToStderr: true, env }), folder, count);
process.exit(0);
