// `node --expose-gc --conditions=development --import tsx tools/spacing-eval.ts [--split tune|holdout] [--per-kind N] [--render N [--dump features.json]] [--photos manifest.json]`
// Compares the ways of putting back the spaces OCR drops, on generated text (tools/spacing/phrases.ts):
// every phrase glued (spaces removed), then re-spaced; precision and recall of the restored
// letter/digit boundaries, and false splits when the same phrases are given with their spaces.
// --render N also renders N phrases per locale as text-line images (tools/spacing/render-eval.ts)
// and reads them with PP-OCRv4 and tesseract: the CTC-gap and tesseract options need pixels.
// Run --split holdout only at the end: its text was never looked at while tuning.
import WordsNinja from 'wordsninja';
import { DEFAULT_RESTORE_SPACES, restoreWordSpaces, wordLexicon, type RestoreSpacesOptions } from '@media-ai/ocr';
import { addCount, boundaries, emptyCount, formatCount, phrases, type BoundaryCount, type Split } from './spacing/phrases.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => (args.includes(name) ? args[args.indexOf(name) + 1]! : fallback);
const split = arg('--split', 'tune') as Split;
const perKind = Number(arg('--per-kind', '12'));
const render = Number(arg('--render', '0'));

const set = phrases(split, perKind);
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const before = process.memoryUsage();
let t = performance.now();
const lexicon = wordLexicon();
const loadMs = performance.now() - t;
gc?.();
const after = process.memoryUsage();
const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
process.stdout.write(
  `split ${split}: ${set.length} phrases (${perKind} per kind and locale); lexicon loaded in ${loadMs.toFixed(0)} ms, ` +
    `heap +${mib(after.heapUsed - before.heapUsed)} MiB, RSS +${mib(after.rss - before.rss)} MiB${gc ? '' : ' (run with --expose-gc for exact heap figures)'}\n`,
);

const ninja = new WordsNinja();
await ninja.loadDictionary();
/** wordsninja as the library does it: every run split, the spaces it returns between its words. */
function wordsninjaSpaced(glued: string): string {
  const words = ninja.splitSentence(glued) as string[];
  // Put its words back over the glued text (it drops punctuation) so boundaries compare.
  let out = '';
  let i = 0;
  for (const w of words) {
    const at = glued.indexOf(w, i);
    if (at < 0) continue;
    out += glued.slice(i, at) + (out && at === i ? ' ' : '') + w;
    i = at + w.length;
  }
  return out + glued.slice(i);
}

const only = (steps: Partial<RestoreSpacesOptions['steps']>): Partial<RestoreSpacesOptions> => ({
  steps: { gaps: false, digits: false, caseChanges: false, segmentation: false, ...steps },
});
const options: Record<string, ((text: string) => string) | undefined> = {
  'wordsninja 1.1.0 as is (every run split)': wordsninjaSpaced,
  '(b) segmentation only': (s) => restoreWordSpaces(s, { lexicon, options: only({ segmentation: true }) }),
  'case changes only': (s) => restoreWordSpaces(s, { lexicon, options: only({ caseChanges: true }) }),
  'digits|words only': (s) => restoreWordSpaces(s, { lexicon, options: only({ digits: true }) }),
  'combined (digits, case, segmentation)': (s) => restoreWordSpaces(s, { lexicon }),
};

type Style = 'as printed' | 'capitals';
const styles: Record<Style, (s: string) => string> = { 'as printed': (s) => s, capitals: (s) => s.toUpperCase() };

process.stdout.write('\n| option | text | glued: boundaries restored | intact: false splits / words |\n|---|---|---|---|\n');
for (const [name, respace] of Object.entries(options)) {
  for (const [style, styled] of Object.entries(styles)) {
    const glued: BoundaryCount = emptyCount();
    let falseSplits = 0;
    let words = 0;
    for (const p of set) {
      const text = styled(p.text);
      const truth = boundaries(text);
      addCount(glued, truth, boundaries(respace!(text.replace(/\s+/g, ''))));
      const intact = boundaries(respace!(text));
      falseSplits += [...intact].filter((b) => !truth.has(b)).length;
      words += text.split(/\s+/).length;
    }
    process.stdout.write(`| ${name} | ${style} | ${formatCount(glued)} | ${falseSplits}/${words} |\n`);
  }
}

// Cost of the combined step per line.
t = performance.now();
let lines = 0;
for (let round = 0; round < 3; round++)
  for (const p of set) {
    restoreWordSpaces(p.text.replace(/\s+/g, ''), { lexicon });
    lines++;
  }
process.stdout.write(`\ncombined: ${((performance.now() - t) / lines).toFixed(3)} ms per glued line (${lines} lines)\n`);
process.stdout.write(`defaults: ${JSON.stringify({ ...DEFAULT_RESTORE_SPACES, steps: undefined })}\n`);

if (args.includes('--photos')) {
  const { photoGaps, formatGapStats } = await import('./spacing/photo-gaps.js');
  process.stdout.write(`\nCTC gaps on ${arg('--photos', '')}:\n${formatGapStats(await photoGaps(arg('--photos', '')))}\n`);
}

if (render > 0) {
  const { renderEval } = await import('./spacing/render-eval.js');
  await renderEval(split, render, lexicon, args.includes('--dump') ? arg('--dump', '') : undefined);
}
process.exit(0);
