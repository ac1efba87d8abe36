// `node --conditions=development --import tsx tools/redaction-cpu.ts <folder> [--readings FILE]`: the CPU
// the OCR stage's redaction (redactReading, @media-ai/privacy) spends per photo, apart from the
// OCR itself. The folder's photos are normalised and read once with the configured engine; the
// readings are kept in FILE (read from it when it exists, so that two commits time the same
// input), then redacted as the OCR stage does, timing process CPU. It prints CPU ms per photo and
// a SHA-256 of every redacted record, so a change that claims identical output can show it.
// Figures are printed, never asserted.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { normalizeOptionsOf } from '@media-ai/fetcher-service';
import { createTextReader, type OcrResult } from '@media-ai/ocr';
import { redactReading } from '@media-ai/ocr-service';
import { warmUpRedaction } from '@media-ai/privacy';
import { createRuntime } from '@media-ai/runtime';
import { normalizePhoto } from '@media-ai/vision';
import { listPhotos } from './quality/run-bench.js';
import { loadAverage, processCpuMs } from './quality/cpu.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { readings: { type: 'string', default: '/tmp/media-ai-readings.json' } },
});
const folder = positionals[0];
if (!folder) {
  process.stderr.write('usage: tools/redaction-cpu.ts <folder> [--readings FILE]\n');
  process.exit(2);
}
let readings: OcrResult[];
if (existsSync(values.readings)) {
  readings = JSON.parse(await readFile(values.readings, 'utf8')) as OcrResult[];
} else {
  const { config } = createRuntime({ logToStderr: true, env: { ...process.env, LOG_LEVEL: 'WARNING' } });
  const reader = createTextReader({ engine: config.ai.ocr.engine, workers: 1 });
  await reader.start();
  readings = [];
  for (const file of await listPhotos(folder, undefined, false)) {
    const normalized = await normalizePhoto(await readFile(file), normalizeOptionsOf(config));
    readings.push(await reader.read(normalized.jpeg));
  }
  await reader.stop();
  await writeFile(values.readings, JSON.stringify(readings));
}
// A fixed key: the hashed identifiers must come out the same in two runs.
const key = Buffer.alloc(32, 7);
// Loaded as the OCR stage loads it at start, so that the window holds the per-photo work only (one
// pass: the redactor memoises by line, a second pass over the same lines would time its memo).
warmUpRedaction();
const hash = createHash('sha256');
const cpu0 = processCpuMs();
for (const reading of readings) hash.update(JSON.stringify(redactReading(reading, key)));
const cpuMs = processCpuMs() - cpu0;
process.stdout.write(
  `redaction: ${readings.length} readings, ${(cpuMs / readings.length).toFixed(1)} ms CPU per photo, output sha256 ${hash.digest('hex').slice(0, 16)}; load ${loadAverage()}\n`,
);
process.exit(0);
