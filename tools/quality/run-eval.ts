/**
 * `npm run eval -- <manifest.json>`: runs the embedded pipeline over every photo of a labelled
 * manifest (photos beside it, one post per photo) and prints per-photo recall, false object labels,
 * garbage text lines, the reliability of the published confidences, latency per stage and peak RSS,
 * ending with one machine-readable line:
 *   object_recall=… item_recall=… text_recall=… text_recall_all_words=… exact_word_recall=… glued_token_share=… color_agreement=… colour_accuracy_top1=… colour_precision=… false_objects=… garbage_lines=… auto_apply_precision=… personal_values_published=…
 * personal_values_published counts the personal values the labelled documents show (personal-values.ts)
 * found anywhere in what was published for them: every string of the event, not only the text lines.
 * text_recall is over the labelled words of two characters or more that the service's redaction
 * lets through (what it can read and publish); text_recall_all_words counts every labelled word,
 * single characters and the personal data it withholds on purpose (names, numbers on ID cards)
 * included, missed or not: what downstream gets of everything printed. exact_word_recall counts a
 * labelled word only when it is a whole published token (a glued "DRIVERLICENSE" misses "driver");
 * glued_token_share is the share of published tokens that are glued words (score.ts).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readLabelledPhotos } from '@media-ai/contracts/test-support';
import { buildPostCreatedEvent, EmbeddedPipeline } from '@media-ai/pipeline';
import type { Runtime } from '@media-ai/runtime';
import type { StageEvent } from '@media-ai/stream';
import { Latencies, mebibytes, rssSampler, type LatencySummary } from './measure.js';
import { autoApplyByCategory, formatReliability, reliabilityByConfidence, reliabilityByTier } from './reliability.js';
import { scorePhoto, totals, type PhotoScore, type Totals } from './score.js';

const fmt = (r: { found: number; expected: number }) => (r.expected === 0 ? '   -  ' : `${r.found}/${r.expected}`.padStart(6));
const fixed = (n: number) => n.toFixed(3);

export interface EvalSummary extends Totals {
  /** Share of auto-applied tags the labels call right (NaN when none was auto-applied). */
  auto_apply_precision: number;
  auto_apply_tags: number;
  latency: Record<string, LatencySummary>;
  peak_rss_mb: number;
  /** Model and engine versions of the stages that ran, and the stages that were off (with why). */
  versions: Record<string, string>;
  off: string[];
}

export interface EvalOptions {
  /** Print only the final JSON summary line (for `--matrix`, which runs one child per configuration). */
  json?: boolean;
}

export async function runEval(runtime: Runtime, manifestPath: string, options: EvalOptions = {}): Promise<EvalSummary> {
  const write = options.json ? () => undefined : (text: string) => void process.stdout.write(text);
  const labels = readLabelledPhotos(manifestPath);
  const folder = path.dirname(path.resolve(manifestPath));
  const latencies = new Latencies();
  const onStageEvent = (event: StageEvent) => {
    if (event.type === 'processed' && event.stage !== 'api-observer') latencies.add(event.stage, event.durationMs);
  };
  const rss = rssSampler();
  const pipeline = await EmbeddedPipeline.start({ ...runtime, onStageEvent });
  let scores: PhotoScore[];
  try {
    const off = pipeline.capabilities.filter((c) => !c.enabled).map((c) => `${c.stage} (${c.reason})`);
    if (off.length > 0) write(`capabilities off: ${off.join(', ')}\n`);
    const posts = labels.map((label) => {
      const { postId, event } = buildPostCreatedEvent({ photoUrls: [pathToFileURL(path.join(folder, label.file)).href] });
      return { label, postId, event };
    });
    for (const post of posts) await pipeline.submit(post.event);
    scores = await Promise.all(
      posts.map(async ({ label, postId }) => scorePhoto(label, await pipeline.waitForEnrichment(postId).catch(() => null))),
    );
  } finally {
    await pipeline.stop();
  }
  const peakRssMb = mebibytes(rss.stop());

  write(`${'photo'.padEnd(40)} objects  items   text  colours  missed / false\n`);
  for (const s of scores) {
    const notes = [
      ...s.missed.objects.map((o) => `obj:${o}`),
      ...s.missed.items.map((i) => `item:${i}`),
      ...s.missed.colors.map((c) => `colour:${c}`),
    ];
    // A few missed words are worth reading; many are a count.
    if (s.missed.words.length > 0)
      notes.push(s.missed.words.length <= 6 ? `words:${s.missed.words.join(',')}` : `${s.missed.words.length} words`);
    notes.push(...s.falseObjects.map((o) => `FALSE:${o}`));
    notes.push(...s.personal.map((v) => `PERSONAL:${v}`));
    if (s.garbageLines > 0) notes.push(`${s.garbageLines} garbage lines`);
    notes.push(`colours:${s.colorNames.join(',') || '-'}`);
    if (s.tokens.glued.length > 0) notes.push(`glued:${s.tokens.glued.slice(0, 4).join(',')}${s.tokens.glued.length > 4 ? ',...' : ''}`);
    write(`${s.file.padEnd(40)} ${fmt(s.objects)} ${fmt(s.items)} ${fmt(s.text)}  ${fmt(s.colors)}  ${notes.join(' ')}\n`);
  }
  const tags = scores.flatMap((s) => s.tags);
  const byTier = reliabilityByTier(tags);
  const auto = byTier.find((r) => r.bucket === 'auto_apply')!;
  write(`\n${formatReliability('reliability by confidence (tags the labels can judge)', reliabilityByConfidence(tags))}`);
  write(formatReliability('reliability by tier', byTier));
  write(formatReliability('auto-applied tags by category', autoApplyByCategory(tags)));
  // The wrong tags a user would see applied or suggested: what calibration has to push down.
  const shown = scores.flatMap((s) =>
    s.tags
      .filter((t) => t.right === false && (t.tier === 'auto_apply' || t.tier === 'suggest'))
      .map((t) => `${s.file}: ${t.tag} ${t.confidence.toFixed(2)} (${t.tier})`),
  );
  if (shown.length > 0) write(`wrong tags applied or suggested:\n${shown.map((l) => `  ${l}`).join('\n')}\n`);
  latencies.print(`\nlatency per stage (handling time per record), peak RSS ${peakRssMb.toFixed(0)} MiB`, write);

  const t = totals(scores);
  const summary: EvalSummary = {
    ...t,
    auto_apply_precision: auto.share,
    auto_apply_tags: auto.tags,
    latency: latencies.summary(),
    peak_rss_mb: Math.round(peakRssMb),
    versions: Object.assign({}, ...pipeline.capabilities.map((c) => c.versions)) as Record<string, string>,
    off: pipeline.capabilities.filter((c) => !c.enabled).map((c) => `${c.stage}: ${c.reason}`),
  };
  if (options.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    write(
      `\nobject_recall=${fixed(t.object_recall)} item_recall=${fixed(t.item_recall)} text_recall=${fixed(t.text_recall)} text_recall_all_words=${fixed(t.text_recall_all_words)} exact_word_recall=${fixed(t.exact_word_recall)} glued_token_share=${fixed(t.glued_token_share)} color_agreement=${fixed(t.color_agreement)} colour_accuracy_top1=${fixed(t.colour_accuracy_top1)} colour_precision=${fixed(t.colour_precision)}` +
        ` false_objects=${t.false_objects} garbage_lines=${t.garbage_lines} auto_apply_precision=${fixed(auto.share)}` +
        ` personal_values_published=${t.personal_values_published}\n`,
    );
  }
  return summary;
}
