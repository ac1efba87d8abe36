/**
 * Sums image scores into the benchmark's figures (per document kind, per split, in total) and
 * prints them: tables, the worst leaks, and the closing machine-readable line. Pure formatting.
 */
import type { ImageKind, ImageTruth, Split } from './ground-truth.js';
import type { ImageScore } from './score.js';

export interface ScoredImage {
  truth: ImageTruth;
  score: ImageScore;
  /** The document type the service assigned, or null when it assigns none (see documentTypeOf). */
  documentType: string | null;
  /** Faces blurred in what the llm stage would send, or null while face blurring does not exist. */
  facesBlurred: number | null;
}

export interface Totals {
  images: number;
  pii_strings: number;
  leaked: number;
  leak_rate: number;
  /** The earlier strict counting, where a name particle alone ("van") was a leak (score.ts header). */
  leaked_counting_particles: number;
  /** Leaks counted only at word boundaries (score.ts, `inWordOnly` left out). */
  leaked_at_word_boundary: number;
  leak_rate_at_word_boundary: number;
  /** Leaked name tokens that are also whole words of the image's printed wording (counted in both). */
  leaked_also_printed: number;
  words: number;
  words_read: number;
  over_redacted: number;
  over_redaction_rate: number;
  text_recall: number;
  doc_typed: number;
  doc_type_correct: number;
  doc_type_accuracy: number | null;
  faces: number;
  faces_blurred: number | null;
}

export function totals(images: readonly ScoredImage[]): Totals {
  let pii = 0;
  let leaked = 0;
  let countingParticles = 0;
  let atBoundary = 0;
  let alsoPrinted = 0;
  let words = 0;
  let read = 0;
  let over = 0;
  let typed = 0;
  let correct = 0;
  let faces = 0;
  let blurred: number | null = 0;
  for (const { truth, score, documentType, facesBlurred } of images) {
    pii += score.personal.length;
    leaked += score.personal.filter((p) => p.leaked).length;
    countingParticles += score.personal.filter((p) => p.leakedCountingParticles).length;
    atBoundary += score.personal.filter((p) => p.leaked && !p.inWordOnly).length;
    alsoPrinted += score.personal.filter((p) => p.leaked && p.alsoPrinted).length;
    words += score.words.length;
    read += score.words.filter((w) => w.read).length;
    over += score.words.filter((w) => w.read && !w.published).length;
    if (documentType !== null) typed++;
    if (isTypedAs(documentType, truth.kind)) correct++;
    faces += truth.faces.length;
    blurred = blurred === null || facesBlurred === null ? null : blurred + facesBlurred;
  }
  return {
    images: images.length,
    pii_strings: pii,
    leaked,
    leak_rate: pii ? leaked / pii : 0,
    leaked_counting_particles: countingParticles,
    leaked_at_word_boundary: atBoundary,
    leak_rate_at_word_boundary: pii ? atBoundary / pii : 0,
    leaked_also_printed: alsoPrinted,
    words,
    words_read: read,
    over_redacted: over,
    over_redaction_rate: read ? over / read : 0,
    text_recall: words ? read / words : 0,
    doc_typed: typed,
    doc_type_correct: correct,
    // Accuracy over every image once the service types documents; n/a while it types none.
    doc_type_accuracy: typed === 0 ? null : correct / images.length,
    faces,
    faces_blurred: images.length === 0 ? null : blurred,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function formatTable(title: string, images: readonly ScoredImage[]): string {
  const kinds = [...new Set(images.map((i) => i.truth.kind))].sort() as ImageKind[];
  const rows = [
    ...kinds.map((kind) => ({ name: kind, t: totals(images.filter((i) => i.truth.kind === kind)) })),
    { name: 'total', t: totals(images) },
  ];
  const head = `${'kind'.padEnd(22)}${'images'.padStart(7)}${'pii'.padStart(6)}${'leaked'.padStart(8)}${'leak%'.padStart(8)}${'words'.padStart(7)}${'read'.padStart(6)}${'over'.padStart(6)}${'over%'.padStart(8)}${'recall'.padStart(8)}${'type'.padStart(8)}${'faces'.padStart(7)}`;
  const lines = rows.map(
    ({ name, t }) =>
      `${name.padEnd(22)}${String(t.images).padStart(7)}${String(t.pii_strings).padStart(6)}${String(t.leaked).padStart(8)}${pct(t.leak_rate).padStart(8)}` +
      `${String(t.words).padStart(7)}${String(t.words_read).padStart(6)}${String(t.over_redacted).padStart(6)}${pct(t.over_redaction_rate).padStart(8)}` +
      `${pct(t.text_recall).padStart(8)}${(t.doc_type_accuracy === null ? 'n/a' : pct(t.doc_type_accuracy)).padStart(8)}${String(t.faces).padStart(7)}`,
  );
  return `${title}\n${head}\n${lines.join('\n')}\n`;
}

/** Leaks by category, for the table under the kinds. */
export function formatCategories(images: readonly ScoredImage[]): string {
  const by = new Map<string, { total: number; leaked: number; countingParticles: number }>();
  for (const { score } of images) {
    for (const p of score.personal) {
      const e = by.get(p.category) ?? { total: 0, leaked: 0, countingParticles: 0 };
      e.total++;
      if (p.leaked) e.leaked++;
      if (p.leakedCountingParticles) e.countingParticles++;
      by.set(p.category, e);
    }
  }
  const lines = [...by.entries()]
    .sort((a, b) => b[1].leaked - a[1].leaked || a[0].localeCompare(b[0]))
    .map(
      ([c, e]) =>
        `  ${c.padEnd(20)} ${String(e.leaked).padStart(4)} / ${String(e.total).padEnd(5)} ${pct(e.total ? e.leaked / e.total : 0).padStart(6)}` +
        `${String(e.countingParticles).padStart(8)}`,
    );
  return `leaks by category (leaked / printed; last column: leaked counting a name particle alone, the earlier count):\n${lines.join('\n')}\n`;
}

/** The leaks, grouped by template and category, with a few examples (fake faker data: printing is fine). */
export function formatWorstLeaks(images: readonly ScoredImage[], limit = 25): string {
  const groups = new Map<string, { count: number; examples: string[] }>();
  for (const { truth, score } of images) {
    for (const p of score.personal.filter((x) => x.leaked)) {
      const key = `${truth.template} ${p.category}`;
      const g = groups.get(key) ?? { count: 0, examples: [] };
      g.count++;
      if (g.examples.length < 2) g.examples.push(`${truth.id}: "${p.value}" in "${(p.where ?? '').slice(0, 70)}"`);
      groups.set(key, g);
    }
  }
  const sorted = [...groups.entries()].sort((a, b) => b[1].count - a[1].count).slice(0, limit);
  if (sorted.length === 0) return 'worst leaks: none\n';
  return `worst leaks (template, category: count, examples):\n${sorted
    .map(([key, g]) => `  ${key}: ${g.count}\n${g.examples.map((e) => `      ${e}`).join('\n')}`)
    .join('\n')}\n`;
}

export function formatOverRedacted(images: readonly ScoredImage[], limit = 12): string {
  const counts = new Map<string, number>();
  for (const { truth, score } of images) {
    for (const w of score.words.filter((x) => x.read && !x.published))
      counts.set(`${truth.kind} "${w.word}"`, (counts.get(`${truth.kind} "${w.word}"`) ?? 0) + 1);
  }
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit);
  return sorted.length === 0
    ? 'over-redacted words: none\n'
    : `most over-redacted words (kind "word": images):\n${sorted.map(([k, n]) => `  ${k}: ${n}`).join('\n')}\n`;
}

/**
 * Predicted against true document type, one row per true kind (the image's), one column per type the
 * service named ("none" when it named none), with per-kind recall: where the recogniser's evidence is
 * missing or misweighted. Counts only: safe for a held-out set (no image's words).
 */
export function formatConfusion(images: readonly ScoredImage[]): string {
  const predicted = (i: ScoredImage) => (i.documentType === null ? 'none' : i.documentType.trim().toLowerCase().replace(/\s+/g, '_'));
  const truths = [...new Set(images.map((i) => i.truth.kind as string))].sort();
  const columns = [...new Set([...truths, ...images.map(predicted)])].sort();
  const short = (k: string) =>
    k
      .replace(/_/g, ' ')
      .split(' ')
      .map((w) => w.slice(0, 4))
      .join('.')
      .slice(0, 9);
  const head = `${'true \\ predicted'.padEnd(22)}${columns.map((c) => short(c).padStart(10)).join('')}${'recall'.padStart(8)}`;
  const rows = truths.map((t) => {
    const row = images.filter((i) => i.truth.kind === t);
    const cells = columns.map((c) => {
      const n = row.filter((i) => predicted(i) === c).length;
      return (n === 0 ? '.' : String(n)).padStart(10);
    });
    const right = row.filter((i) => predicted(i) === t).length;
    return `${t.padEnd(22)}${cells.join('')}${pct(row.length ? right / row.length : 0).padStart(8)}`;
  });
  return `document type confusion (rows: true kind, columns: type the stage published):\n${head}\n${rows.join('\n')}\n`;
}

export function summaryLine(t: Totals): string {
  const f = (x: number) => x.toFixed(4);
  return (
    `pii_strings=${t.pii_strings} leaked=${t.leaked} leak_rate=${f(t.leak_rate)} ` +
    `leaked_counting_particles=${t.leaked_counting_particles} leak_rate_counting_particles=${f(t.pii_strings ? t.leaked_counting_particles / t.pii_strings : 0)} ` +
    `leaked_at_word_boundary=${t.leaked_at_word_boundary} leak_rate_at_word_boundary=${f(t.leak_rate_at_word_boundary)} ` +
    `leaked_also_printed=${t.leaked_also_printed} words=${t.words_read} over_redacted=${t.over_redacted} ` +
    `over_redaction_rate=${f(t.over_redaction_rate)} doc_type_accuracy=${t.doc_type_accuracy === null ? 'n/a' : f(t.doc_type_accuracy)} ` +
    `faces=${t.faces} faces_blurred=${t.faces_blurred === null ? 'n/a' : t.faces_blurred}`
  );
}

export function bySplit(images: readonly ScoredImage[], split: Split): ScoredImage[] {
  return images.filter((i) => i.truth.split === split);
}

/**
 * Whether the service's document type is the image's kind: its types are taxonomy tags with spaces
 * ('national id'), the benchmark's kinds identifiers ('national_id'); an image of no document
 * (`none`) is typed right when the service names no type.
 */
export function isTypedAs(documentType: string | null, kind: ImageKind): boolean {
  if (documentType === null) return kind === 'none';
  return documentType.trim().toLowerCase().replace(/\s+/g, '_') === kind;
}
