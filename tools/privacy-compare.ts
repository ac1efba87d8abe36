// `node --conditions=development --import tsx tools/privacy-compare.ts <manifest.json> [--engine hybrid|paddle|tesseract] [--cache DIR] [--lines]`
// What the redactor of @media-ai/privacy removes from real OCR readings, photo by photo, against the
// redactor the ocr stage uses today (libs/ocr's redact.ts), both run as the stage runs them (the
// whole reading with its context, then each line alone). Readings are cached per engine in --cache
// (default /tmp/media-ai-privacy-ocr/<engine>), so a rerun only redacts. Prints, per photo: the
// personal values the photo is known to show that are still published (must be none), the
// manifest's expected strings found after each redactor (text recall, scored as tools/ocr-eval.ts
// does), and the words each redactor removed; then the totals.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createTextReader, redactPersonalData as redactToday, type OcrEngine } from '@media-ai/ocr';
import { redactPersonalData as redactNew } from '@media-ai/privacy/ocr-compat';

interface Entry {
  file: string;
  text: string[];
}
interface Reading {
  file: string;
  lines: string[];
  contextText: string;
}

/**
 * The personal values each labelled photo shows (the manifest's notes name them: fictitious specimen
 * and sample data). A published text containing one of these (case-insensitive) is a leak.
 */
const PERSONAL: Readonly<Record<string, readonly string[]>> = {
  'business_card_on_wooden_desk.jpg': ['avery', 'smith', '7911', '123456', '9876', '5432', '6789', 'kingdom', 'w2 6bd', 'paddington'],
  'id_driver_license_specimen_wa.jpg': [
    'WDLABCD456DG',
    'TALBOT',
    'LIAM',
    '01/06/1958',
    '1958',
    '99999-1234',
    'STREET ADDRESS',
    '01/06/2015',
    '08/12/2020',
  ],
  'passport_specimen_canada.jpg': ['ZE000509', 'BROWN', 'HOLLIE', '8501019', 'P<CAN', '01JAN', '14JAN', 'OTTAWA'],
  'health_insurance_card_on_table.png': ['ANGEL', 'BROWN', '123456789'],
};

const args = process.argv.slice(2);
const manifestPath = args.find((a) => a.endsWith('.json'));
if (!manifestPath) {
  process.stderr.write('usage: tools/privacy-compare.ts <manifest.json> [--engine hybrid|paddle|tesseract] [--cache DIR] [--lines]\n');
  process.exit(2);
}
const engine = (args.includes('--engine') ? args[args.indexOf('--engine') + 1] : 'hybrid') as OcrEngine;
const cacheDir = args.includes('--cache') ? args[args.indexOf('--cache') + 1]! : `/tmp/media-ai-privacy-ocr/${engine}`;
const showLines = args.includes('--lines');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Entry[];

async function readings(): Promise<Reading[]> {
  mkdirSync(cacheDir, { recursive: true });
  const missing = manifest.filter((e) => !existsSync(join(cacheDir, `${e.file}.json`)));
  if (missing.length) {
    process.stderr.write(`reading ${missing.length} photos with ${engine} (cached in ${cacheDir})\n`);
    const reader = createTextReader({ engine, workers: 2 });
    await reader.start();
    for (const entry of missing) {
      const result = await reader.read(readFileSync(join(dirname(manifestPath!), entry.file)));
      const reading: Reading = { file: entry.file, lines: result.lines.map((l) => l.text), contextText: result.contextText };
      writeFileSync(join(cacheDir, `${entry.file}.json`), JSON.stringify(reading));
    }
    await reader.stop();
  }
  return manifest.map((e) => JSON.parse(readFileSync(join(cacheDir, `${e.file}.json`), 'utf8')) as Reading);
}

type Redact = (text: string, options?: { context?: string }) => { text: string };

/** As the ocr stage's redactReading: the whole reading with its context, then each line alone. */
function publish(redact: Redact, reading: Reading): string[] {
  const joined = redact(reading.lines.map((l) => l.replace(/\n/g, ' ')).join('\n'), { context: reading.contextText }).text.split('\n');
  return reading.lines.map((_, i) => redact(joined[i] ?? '').text);
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
const totals = {
  printedExpected: 0,
  printedToday: 0,
  printedPrivacy: 0,
  expected: 0,
  today: 0,
  privacy: 0,
  leaksToday: 0,
  leaksPrivacy: 0,
  removedToday: 0,
  removedPrivacy: 0,
  read: 0,
};
for (const reading of all) {
  const entry = manifest.find((e) => e.file === reading.file)!;
  if (reading.lines.length === 0 && entry.text.length === 0) continue;
  const today = publish(redactToday, reading);
  const privacy = publish(redactNew, reading);
  const readText = norm(reading.lines.join('\n'));
  const todayText = norm(today.join('\n'));
  const privacyText = norm(privacy.join('\n'));
  const personal = PERSONAL[reading.file] ?? [];
  const leaks = (text: string): string[] => personal.filter((p) => text.includes(norm(p)));
  const recall = (text: string): number => entry.text.filter((t) => found(t, text)).length;
  // The expected strings that are no personal value (the manifest lists the holder's name and dates too).
  const printedStrings = entry.text.filter((t) => !personal.some((p) => norm(t).includes(norm(p)) || norm(p).includes(norm(t))));
  const printedRecall = (text: string): number => printedStrings.filter((t) => found(t, text)).length;
  const goneToday = removed(reading.lines, today);
  const gonePrivacy = removed(reading.lines, privacy);
  totals.expected += entry.text.length;
  totals.printedExpected += printedStrings.length;
  totals.printedToday += printedRecall(todayText);
  totals.printedPrivacy += printedRecall(privacyText);
  totals.today += recall(todayText);
  totals.privacy += recall(privacyText);
  totals.leaksToday += leaks(todayText).length;
  totals.leaksPrivacy += leaks(privacyText).length;
  totals.removedToday += goneToday.length;
  totals.removedPrivacy += gonePrivacy.length;
  totals.read += reading.lines.flatMap(words).length;
  console.log(`\n${reading.file}  (${reading.lines.length} lines read, ${entry.text.length} expected strings; read: ${recall(readText)})`);
  const np = `of which not personal ${printedStrings.length}`;
  console.log(
    `  today:   recall ${recall(todayText)}/${entry.text.length} (${np}: ${printedRecall(todayText)})  leaks [${leaks(todayText).join(', ')}]  removed ${goneToday.length}: ${goneToday.join(' ')}`,
  );
  console.log(
    `  privacy: recall ${recall(privacyText)}/${entry.text.length} (${np}: ${printedRecall(privacyText)})  leaks [${leaks(privacyText).join(', ')}]  removed ${gonePrivacy.length}: ${gonePrivacy.join(' ')}`,
  );
  const onlyToday = entry.text.filter((t) => found(t, todayText) && !found(t, privacyText));
  const onlyPrivacy = entry.text.filter((t) => !found(t, todayText) && found(t, privacyText));
  if (onlyToday.length || onlyPrivacy.length) {
    console.log(
      `  expected strings only today's keeps: ${JSON.stringify(onlyToday)}; only privacy's keeps: ${JSON.stringify(onlyPrivacy)}`,
    );
  }
  if (showLines) {
    reading.lines.forEach((line, i) => {
      if (today[i] !== line || privacy[i] !== line)
        console.log(`    ${JSON.stringify(line)}\n      today   ${JSON.stringify(today[i])}\n      privacy ${JSON.stringify(privacy[i])}`);
    });
  }
}
console.log(
  `\n${engine}: expected strings found after redaction: today ${totals.today}/${totals.expected}, privacy ${totals.privacy}/${totals.expected}; ` +
    `not personal: today ${totals.printedToday}/${totals.printedExpected}, privacy ${totals.printedPrivacy}/${totals.printedExpected}; ` +
    `known personal values published: today ${totals.leaksToday}, privacy ${totals.leaksPrivacy}; ` +
    `words removed of ${totals.read} read: today ${totals.removedToday}, privacy ${totals.removedPrivacy}`,
);
