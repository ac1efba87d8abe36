// `node --conditions=development --import tsx tools/privacy-bench/blind-types.ts DUMP.json [--seed N] [--titles] [--leaks] [--over] [--no-common-words]`
// What the redactor does on documents whose type it cannot name: for each image of a tune dump
// (`npm run eval:privacy -- --split tune --dump DUMP.json`), every line (read and context) that
// holds a title or label phrase the recogniser took as evidence of the type is dropped, as if the
// document were a family whose wording no rule lists, and the rest is redacted again with
// @media-ai/privacy and scored (score.ts) against the image's ground truth. Prints leaks and
// over-redaction per kind, how many images were still typed, and one summary line.
//
// An approximation of the stage: one redactPersonalData over the kept lines with the kept context
// and the dump's portrait fact (the ocr stage also redacts each line again). --no-portrait ignores
// the portrait fact, for the figure without it. Tune dumps only: holdout output is not for tuning.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { commonWordLexicon } from '@media-ai/ocr';
import { EVIDENCE, recogniseDocument, redactPersonalData } from '@media-ai/privacy';
import { defaultCacheDir } from './generate.js';
import type { ImageTruth } from './ground-truth.js';
import { formatConfusion, type ScoredImage } from './report.js';
import { normalise, scoreImage } from './score.js';

interface DumpedImage {
  id: string;
  kind: string;
  raw: string[];
  context: string;
  /** Whether the stage saw a portrait printed beside the text (dumps from before it: absent, false). */
  portrait?: boolean;
}

const args = process.argv.slice(2);
const dumpFile = args.find((a) => !a.startsWith('--'));
if (!dumpFile) {
  process.stderr.write('usage: blind-types.ts DUMP.json [--seed N]\n');
  process.exit(2);
}
const seedAt = args.indexOf('--seed');
const seed = seedAt >= 0 ? Number(args[seedAt + 1]) : 1;
const cacheDir = defaultCacheDir(seed);
const showLeaks = args.includes('--leaks');
const showOver = args.includes('--over');
const usePortrait = !args.includes('--no-portrait');
const titlesOnly = args.includes('--titles');
/** Title phrases (weight >= 0.8), for --titles. */
const TITLES = new Set(EVIDENCE.filter((e) => e.weight >= 0.8).map((e) => e.phrase));
const dump = JSON.parse(await readFile(dumpFile, 'utf8')) as DumpedImage[];

const squeeze = (s: string): string => normalise(s).replace(/\s+/g, '');

interface Tally {
  images: number;
  typed: number;
  pii: number;
  leaked: number;
  words: number;
  over: number;
}
const byKind = new Map<string, Tally>();
const total: Tally = { images: 0, typed: 0, pii: 0, leaked: 0, words: 0, over: 0 };
/** Leaks counted at word boundaries only (score.ts). */
let leakedAtWordBoundary = 0;
/** Each image's type as named on the blinded text, for the confusion matrix. */
const typedImages: ScoredImage[] = [];

for (const image of dump) {
  const truth = JSON.parse(await readFile(path.join(cacheDir, `${image.id}.json`), 'utf8')) as ImageTruth;
  const contextLines = image.context ? image.context.split('\n') : [];
  const phrases = (recogniseDocument(image.raw.join('\n'), image.context)?.evidence ?? [])
    .filter((e) => e.startsWith('phrase:') && (!titlesOnly || TITLES.has(e.slice('phrase:'.length))))
    .map((e) => squeeze(e.slice('phrase:'.length)))
    .filter(Boolean);
  const blind = (lines: readonly string[]): string[] => lines.filter((l) => !phrases.some((p) => squeeze(l).includes(p)));
  const raw = blind(image.raw);
  const context = blind(contextLines).join('\n');
  const redacted = redactPersonalData(raw.join('\n'), {
    context,
    portrait: usePortrait && image.portrait === true,
    commonWords: args.includes('--no-common-words') ? undefined : commonWordLexicon(),
  });
  const score = scoreImage(truth, raw, { lines: redacted.text.split('\n'), identifiers: [] });
  const tally = byKind.get(image.kind) ?? { images: 0, typed: 0, pii: 0, leaked: 0, words: 0, over: 0 };
  leakedAtWordBoundary += score.personal.filter((p) => p.leaked && !p.inWordOnly).length;
  for (const t of [tally, total]) {
    t.images++;
    if (redacted.document) t.typed++;
    t.pii += score.personal.length;
    t.leaked += score.personal.filter((p) => p.leaked).length;
    const read = score.words.filter((w) => w.read);
    t.words += read.length;
    t.over += read.filter((w) => !w.published).length;
  }
  byKind.set(image.kind, tally);
  typedImages.push({ truth, score, documentType: redacted.document?.type ?? null, facesBlurred: null });
  const over = score.words.filter((w) => w.read && !w.published).map((w) => w.word);
  if (showOver && over.length) process.stdout.write(`${image.id} over-redacted: ${over.join(', ')}\n`);
  if (showLeaks && score.personal.some((p) => p.leaked)) {
    const leaks = score.personal.filter((p) => p.leaked).map((p) => `${p.category} "${p.value}"`);
    process.stdout.write(`${image.id}: ${leaks.join(', ')}\n  ${redacted.text.split('\n').join(' | ')}\n`);
  }
}

const pct = (a: number, b: number): string => (b ? `${((100 * a) / b).toFixed(1)}%` : 'n/a');
process.stdout.write('kind                   images  typed   pii  leaked   leak%  words  over   over%\n');
for (const [kind, t] of [...[...byKind].sort(([a], [b]) => a.localeCompare(b)), ['total', total] as const]) {
  process.stdout.write(
    `${kind.padEnd(22)} ${String(t.images).padStart(6)} ${String(t.typed).padStart(6)} ${String(t.pii).padStart(5)} ${String(t.leaked).padStart(7)} ${pct(t.leaked, t.pii).padStart(7)} ${String(t.words).padStart(6)} ${String(t.over).padStart(5)} ${pct(t.over, t.words).padStart(7)}\n`,
  );
}
process.stdout.write(`\n${formatConfusion(typedImages)}\n`);
const right = typedImages.filter((i) => (i.documentType ?? 'none').replace(/ /g, '_') === i.truth.kind).length;
process.stdout.write(
  `blind_types${titlesOnly ? ' (titles dropped)' : ''} images=${total.images} typed_right=${right} still_typed=${total.typed} pii_strings=${total.pii} leaked=${total.leaked} leak_rate=${(total.leaked / Math.max(1, total.pii)).toFixed(4)} leaked_at_word_boundary=${leakedAtWordBoundary} words=${total.words} over_redacted=${total.over} over_redaction_rate=${(total.over / Math.max(1, total.words)).toFixed(4)}\n`,
);
