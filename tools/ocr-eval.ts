// `node --conditions=development --import tsx tools/ocr-eval.ts <manifest.json> [--engines paddle,tesseract,hybrid] [--arena off|on|rec] [--json] [--lines]`
// OCR quality, latency and memory per engine on labelled photos (manifest entries: file, text[];
// photos beside the manifest). Each engine runs in a child process of its own, so its peak RSS is
// its own. Scoring (as in ../shared/reference/npm-shipped-models.md): an expected string is found
// when >= 70 % of its normalised words (length >= 2) occur as substrings of what was read
// (lower-cased, NFKC); word recall counts the expected strings' unique letter/digit runs found among
// the words read; garbage = lines read on photos that have no expected text.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createTextReader, OCR_ENGINES, type OcrEngine } from '@media-ai/ocr';

interface Entry {
  file: string;
  text: string[];
}
interface PhotoRun {
  file: string;
  ms: number;
  lines: string[];
  error?: string;
}
interface EngineRun {
  engine: OcrEngine;
  initMs: number;
  maxRssMiB: number;
  photos: PhotoRun[];
}

const args = process.argv.slice(2);
const manifestPath = args.find((a) => a.endsWith('.json'));
if (!manifestPath) {
  process.stderr.write(
    'usage: tools/ocr-eval.ts <manifest.json> [--engines paddle,tesseract,hybrid] [--arena off|on|rec] [--json] [--lines]\n',
  );
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Entry[];
// --arena off|on|rec: ORT arena + memory pattern for none, all, or only the rec/cls sessions (default: the reader's default).
const arena = args.includes('--arena') ? args[args.indexOf('--arena') + 1]! : 'default';
const sessionArena =
  arena === 'on'
    ? { detMemArena: true, recMemArena: true }
    : arena === 'off'
      ? { detMemArena: false, recMemArena: false }
      : arena === 'rec'
        ? { detMemArena: false, recMemArena: true }
        : {};
const childEngine = args.includes('--child') ? (args[args.indexOf('--child') + 1] as OcrEngine) : undefined;

const norm = (s: string): string => s.normalize('NFKC').toLowerCase();
const words = (s: string): string[] =>
  norm(s)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2);

if (childEngine) {
  const reader = createTextReader({
    engine: childEngine,
    workers: 2,
    paddle: { session: sessionArena },
    hybrid: { session: sessionArena },
  });
  let t = performance.now();
  await reader.start();
  const initMs = performance.now() - t;
  const photos: PhotoRun[] = [];
  for (const entry of manifest) {
    const bytes = readFileSync(join(dirname(manifestPath), entry.file));
    t = performance.now();
    try {
      const result = await reader.read(bytes);
      photos.push({ file: entry.file, ms: performance.now() - t, lines: result.lines.map((l) => l.text) });
    } catch (error) {
      photos.push({ file: entry.file, ms: performance.now() - t, lines: [], error: (error as Error).message });
    }
  }
  await reader.stop();
  const run: EngineRun = { engine: childEngine, initMs, maxRssMiB: process.resourceUsage().maxRSS / 1024, photos };
  process.stdout.write(`\n@@RESULT ${JSON.stringify(run)}\n`);
  process.exit(0);
}

const engines = (args.includes('--engines') ? args[args.indexOf('--engines') + 1]!.split(',') : [...OCR_ENGINES]) as OcrEngine[];
const runs: EngineRun[] = [];
for (const engine of engines) {
  const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, manifestPath, '--child', engine, '--arena', arena], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = child.stdout.split('\n').find((l) => l.startsWith('@@RESULT '));
  if (!line) {
    process.stderr.write(`${engine}: no result (exit ${child.status})\n${child.stdout}\n`);
    continue;
  }
  runs.push(JSON.parse(line.slice('@@RESULT '.length)) as EngineRun);
}

const found = (expected: string, read: string): boolean => {
  const w = words(expected);
  if (w.length === 0) return read.includes(norm(expected).trim());
  return w.filter((x) => read.includes(x)).length / w.length >= 0.7;
};
const pct = (values: number[], p: number): number => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0;
};

const rows = runs.map((run) => {
  let strings = 0;
  let stringsFound = 0;
  let expectedWords = 0;
  let wordsFound = 0;
  let lines = 0;
  let unmatched = 0;
  let garbage = 0;
  for (const photo of run.photos) {
    const entry = manifest.find((e) => e.file === photo.file)!;
    const read = norm(photo.lines.join('\n'));
    strings += entry.text.length;
    stringsFound += entry.text.filter((s) => found(s, read)).length;
    const truth = new Set(entry.text.flatMap(words));
    const got = new Set(words(read));
    expectedWords += truth.size;
    wordsFound += [...truth].filter((w) => got.has(w)).length;
    lines += photo.lines.length;
    const expectedText = norm(entry.text.join(' '));
    for (const l of photo.lines) {
      if (!words(l).some((w) => expectedText.includes(w))) unmatched++;
    }
    if (entry.text.length === 0) garbage += photo.lines.length;
  }
  const ms = run.photos.map((p) => p.ms);
  return {
    engine: run.engine,
    textRecall: `${(stringsFound / strings).toFixed(2)} (${stringsFound}/${strings})`,
    wordRecall: `${(wordsFound / expectedWords).toFixed(2)} (${wordsFound}/${expectedWords})`,
    unmatched: `${unmatched}/${lines} (${garbage})`,
    medianMs: Math.round(pct(ms, 50)),
    p90Ms: Math.round(pct(ms, 90)),
    initMs: Math.round(run.initMs),
    peakRssMiB: Math.round(run.maxRssMiB),
    errors: run.photos.filter((p) => p.error).length,
  };
});

if (args.includes('--json')) {
  process.stdout.write(`${JSON.stringify({ rows, runs }, null, 2)}\n`);
} else {
  process.stdout.write(
    `photos: ${manifest.length}, expected strings: ${manifest.reduce((s, e) => s + e.text.length, 0)}, ORT arena ${arena}\n`,
  );
  process.stdout.write(
    '| engine | text recall | word recall | unmatched lines (garbage on no-text photos) | median ms | p90 ms | init ms | peak RSS MiB | errors |\n|---|---|---|---|---|---|---|---|---|\n',
  );
  for (const r of rows)
    process.stdout.write(
      `| ${r.engine} | ${r.textRecall} | ${r.wordRecall} | ${r.unmatched} | ${r.medianMs} | ${r.p90Ms} | ${r.initMs} | ${r.peakRssMiB} | ${r.errors} |\n`,
    );
  if (args.includes('--lines')) {
    for (const run of runs)
      for (const p of run.photos)
        process.stdout.write(
          `${run.engine} ${p.file} ${Math.round(p.ms)}ms ${JSON.stringify(p.lines)}${p.error ? ` ERROR ${p.error}` : ''}\n`,
        );
  }
}
