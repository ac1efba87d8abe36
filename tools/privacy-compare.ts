// `node --conditions=development --import tsx tools/privacy-compare.ts <manifest.json> [--engine hybrid|paddle|tesseract] [--cache DIR] [--lines] [--faces]`
// What the ocr stage publishes from real OCR readings, photo by photo, against what the reader read:
// the stage's own redaction (redactReading: @media-ai/privacy over the whole reading with its context,
// then each line alone, identifiers masked wherever repeated) with the development identifier key.
// Readings are cached per engine in --cache (default /tmp/media-ai-privacy-ocr/<engine>), so a rerun
// only redacts. Prints, per photo: the personal values the photo is known to show that are still
// published (must be none), the manifest's expected strings found before and after redaction (text
// recall, scored as tools/ocr-eval.ts does), the words the redaction removed, the document type and
// the kinds of identifiers hashed; then the totals.
// --faces: as the service runs: each photo normalized as the fetcher does, its faces found by the
// fetcher's detector (loadFaceDetector), the normalized photo read (readings with their boxes, cached
// in DIR-faces), and redactReading given the faces (a printed portrait fails closed). Then the totals
// are printed twice: without the faces (the redactor before portraits) and with them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEVELOPMENT_IDENTIFIER_KEY, loadConfig } from '@media-ai/config';
import type { FaceRecord } from '@media-ai/contracts';
import { loadFaceDetector, normalizeOptionsOf } from '@media-ai/fetcher-service';
import { createTextReader, type OcrEngine, type OcrResult } from '@media-ai/ocr';
import { printedPortraitOn, redactReading } from '@media-ai/ocr-service';
import { normalizePhoto } from '@media-ai/vision';
import { PERSONAL_VALUES } from './quality/personal-values.js';

interface Entry {
  file: string;
  text: string[];
}
interface Reading {
  file: string;
  lines: string[];
  contextText: string;
  /** --faces: each line's box (relative to the photo) and the faces the fetcher's detector found. */
  boxes?: Array<{ x: number; y: number; width: number; height: number }>;
  faces?: FaceRecord[];
}

const args = process.argv.slice(2);
const manifestPath = args.find((a) => a.endsWith('.json'));
if (!manifestPath) {
  process.stderr.write('usage: tools/privacy-compare.ts <manifest.json> [--engine hybrid|paddle|tesseract] [--cache DIR] [--lines]\n');
  process.exit(2);
}
const engine = (args.includes('--engine') ? args[args.indexOf('--engine') + 1] : 'hybrid') as OcrEngine;
const withFaces = args.includes('--faces');
const cacheDir =
  (args.includes('--cache') ? args[args.indexOf('--cache') + 1]! : `/tmp/media-ai-privacy-ocr/${engine}`) + (withFaces ? '-faces' : '');
const showLines = args.includes('--lines');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Entry[];

async function readings(): Promise<Reading[]> {
  mkdirSync(cacheDir, { recursive: true });
  const missing = manifest.filter((e) => !existsSync(join(cacheDir, `${e.file}.json`)));
  if (missing.length) {
    process.stderr.write(`reading ${missing.length} photos with ${engine} (cached in ${cacheDir})\n`);
    const reader = createTextReader({ engine, workers: 2 });
    await reader.start();
    const config = loadConfig({ LOG_LEVEL: 'WARNING' });
    const detector = withFaces ? await loadFaceDetector(config) : null;
    if (detector && !detector.faces) throw new Error(`the fetcher's face detector cannot be opened: ${detector.reason}`);
    for (const entry of missing) {
      let image: Buffer = readFileSync(join(dirname(manifestPath!), entry.file));
      let faces: FaceRecord[] | undefined;
      if (detector?.faces) {
        // The fetcher's path: the normalized photo is stored, its faces found, and the stages read it.
        const photo = await normalizePhoto(image, normalizeOptionsOf(config));
        image = photo.jpeg;
        faces = (await detector.faces.detectInJpeg(image)).map(({ confidence, box, keypoints }) => ({ confidence, box, keypoints }));
      }
      const result = await reader.read(image);
      const reading: Reading = {
        file: entry.file,
        lines: result.lines.map((l) => l.text),
        contextText: result.contextText,
        ...(faces ? { boxes: result.lines.map((l) => l.box), faces } : {}),
      };
      writeFileSync(join(cacheDir, `${entry.file}.json`), JSON.stringify(reading));
    }
    await Promise.all([reader.stop(), detector?.faces?.close()]);
  }
  return manifest.map((e) => JSON.parse(readFileSync(join(cacheDir, `${e.file}.json`), 'utf8')) as Reading);
}

const KEY = Buffer.from(DEVELOPMENT_IDENTIFIER_KEY, 'utf8');

/** What the ocr stage publishes for a reading (redactReading), with the document and identifier kinds; `faces`: with the photo's faces. */
function publish(reading: Reading, faces: boolean) {
  const result: OcrResult = {
    lines: reading.lines.map((text, i) => ({
      text,
      confidence: 1,
      box: reading.boxes?.[i] ?? { x: 0, y: 0, width: 1, height: 1 },
      words: [],
    })),
    text: reading.lines.join('\n'),
    contextText: reading.contextText,
    confidence: 1,
    rotation: 0,
    durationMs: 0,
    width: 1,
    height: 1,
  };
  const photo = faces && reading.faces ? { faces: reading.faces } : undefined;
  const texts = redactReading(result, KEY, photo);
  return {
    portrait: printedPortraitOn(result, photo),
    lines: texts.lines.map((l) => l.text),
    document: texts.document?.type ?? null,
    identifiers: texts.identifiers.map((i) => i.kind),
  };
}

const norm = (s: string): string => s.normalize('NFKC').toLowerCase();
const words = (s: string): string[] =>
  norm(s)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2);
const found = (expected: string, read: string): boolean => {
  const w = words(expected);
  if (w.length === 0) return read.includes(norm(expected).trim());
  return w.filter((x) => read.includes(x)).length / w.length >= 0.7;
};
/** Words of the reading that the redactor removed (multiset difference, letters and digits only). */
function removed(read: string[], published: string[]): string[] {
  const left = new Map<string, number>();
  for (const w of published.flatMap(words)) left.set(w, (left.get(w) ?? 0) + 1);
  const gone: string[] = [];
  for (const w of read.flatMap(words)) {
    const n = left.get(w) ?? 0;
    if (n > 0) left.set(w, n - 1);
    else gone.push(w);
  }
  return gone;
}

const all = await readings();
// With --faces: first without the photo's faces (the redactor before portraits), quietly, then with them.
const modes = withFaces ? [false, true] : [false];
for (const faces of modes) {
  const verbose = faces === modes[modes.length - 1];
  const totals = {
    expected: 0,
    printedExpected: 0,
    read: 0,
    published: 0,
    printedPublished: 0,
    leaks: 0,
    removed: 0,
    words: 0,
    portraits: 0,
  };
  for (const reading of all) {
    const entry = manifest.find((e) => e.file === reading.file)!;
    if (reading.lines.length === 0 && entry.text.length === 0) continue;
    const published = publish(reading, faces);
    if (published.portrait) totals.portraits++;
    const readText = norm(reading.lines.join('\n'));
    const publishedText = norm(published.lines.join('\n'));
    const personal = PERSONAL_VALUES[reading.file] ?? [];
    const leaks = personal.filter((p) => publishedText.includes(norm(p)));
    const recall = (text: string): number => entry.text.filter((t) => found(t, text)).length;
    // The expected strings that are no personal value (the manifest lists the holder's name and dates too).
    const printedStrings = entry.text.filter((t) => !personal.some((p) => norm(t).includes(norm(p)) || norm(p).includes(norm(t))));
    const printedRecall = (text: string): number => printedStrings.filter((t) => found(t, text)).length;
    const gone = removed(reading.lines, published.lines);
    totals.expected += entry.text.length;
    totals.printedExpected += printedStrings.length;
    totals.read += recall(readText);
    totals.published += recall(publishedText);
    totals.printedPublished += printedRecall(publishedText);
    totals.leaks += leaks.length;
    totals.removed += gone.length;
    totals.words += reading.lines.flatMap(words).length;
    if (!verbose) continue;
    const faceNote = reading.faces ? `  faces ${reading.faces.length}${published.portrait ? ' (printed portrait)' : ''}` : '';
    console.log(
      `\n${reading.file}  (${reading.lines.length} lines read, ${entry.text.length} expected strings; read: ${recall(readText)})${faceNote}`,
    );
    console.log(
      `  published: recall ${recall(publishedText)}/${entry.text.length} (of which not personal ${printedStrings.length}: ${printedRecall(publishedText)})` +
        `  leaks [${leaks.join(', ')}]  document ${published.document ?? '-'}  identifiers [${published.identifiers.join(', ')}]` +
        `  removed ${gone.length}: ${gone.join(' ')}`,
    );
    const lost = entry.text.filter((t) => found(t, readText) && !found(t, publishedText));
    if (lost.length) console.log(`  expected strings read but not published: ${JSON.stringify(lost)}`);
    if (showLines) {
      reading.lines.forEach((line, i) => {
        if (published.lines[i] !== line) console.log(`    ${JSON.stringify(line)}\n      -> ${JSON.stringify(published.lines[i])}`);
      });
    }
  }
  console.log(
    `\n${engine}${withFaces ? (faces ? ', with the faces' : ', without the faces') : ''}: expected strings read ${totals.read}/${totals.expected}, published ${totals.published}/${totals.expected}; ` +
      `not personal: published ${totals.printedPublished}/${totals.printedExpected}; known personal values published: ${totals.leaks}; ` +
      `words removed: ${totals.removed} of ${totals.words} read${faces ? `; photos with a printed portrait: ${totals.portraits}` : ''}`,
  );
}
