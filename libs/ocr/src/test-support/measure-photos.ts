/**
 * Benchmark / calibration script (not a test): reads every photo of ../shared/photos with the real
 * reader and prints kept lines, rotation, latency and recall against the manifest's text.
 * Run: cd libs/ocr && npx tsx --conditions development src/test-support/measure-photos.ts [raw] [redact] [normalized] [file...]
 * `normalized` reads what the OCR stage reads: the fetcher's copy (normalizePhoto at the deployment
 * defaults AI_MAX_IMAGE_SIZE 2048, AI_IMAGE_QUALITY 85), not the original file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizePhoto } from '@media-ai/vision';
import { redactPersonalData } from '@media-ai/privacy';
import { TesseractTextReader } from '../index.js';

const PHOTOS = join(import.meta.dirname, '../../../../../shared/photos');
interface Entry {
  file: string;
  text: string[];
}
const manifest = JSON.parse(readFileSync(join(PHOTOS, 'manifest.json'), 'utf8')) as Entry[];
const only = process.argv.slice(2).filter((a) => !['raw', 'redact', 'normalized'].includes(a));
const normalized = process.argv.includes('normalized');
const FETCHER = {
  maxSide: 2048,
  quality: 85,
  maxPixels: 50_000_000,
  allowedTypes: ['image/jpeg', 'image/png', 'image/webp'],
  stripMetadata: true,
} as const;
const raw = process.argv.includes('raw');

const reader = new TesseractTextReader({
  poolSize: 2,
  lineFilter: raw ? { minWordConfidence: 0, minAnchorConfidence: 0, minLineConfidence: 0 } : {},
});
await reader.start();
const norm = (s: string): string[] =>
  s
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length >= 2);
for (const entry of manifest) {
  if (only.length && !only.some((o) => entry.file.includes(o))) continue;
  const original = readFileSync(join(PHOTOS, entry.file));
  const bytes = normalized ? (await normalizePhoto(original, FETCHER)).jpeg : original;
  const result = await reader.read(bytes).catch((e: Error) => e);
  if (result instanceof Error) {
    console.log(`== ${entry.file} FAILED ${result.message}`);
    continue;
  }
  const truth = entry.text.flatMap(norm);
  const got = new Set(norm(result.text));
  const hit = truth.filter((t) => got.has(t)).length;
  const recall = truth.length ? (hit / truth.length).toFixed(2) : '-';
  console.log(
    `== ${entry.file} ${result.width}x${result.height} rot=${result.rotation} ${result.durationMs}ms lines=${result.lines.length} conf=${result.confidence} recall=${recall} (${hit}/${truth.length})`,
  );
  if (process.argv.includes('redact'))
    console.log('   REDACTED: ' + JSON.stringify(redactPersonalData(result.text, { context: result.contextText }).text));
  for (const l of result.lines)
    console.log(
      `   [${l.confidence}] ${JSON.stringify(l.text)}${raw ? '  :: ' + l.words.map((w) => `${w.text}(${Math.round(w.confidence * 100)})`).join(' ') : ''}`,
    );
}
await reader.stop();
