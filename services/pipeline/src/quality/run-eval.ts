/**
 * `npm run eval -- <manifest.json>`: runs the embedded pipeline over every photo of a labelled
 * manifest (photos beside it, one post per photo) and prints per-photo and total recall, ending
 * with one machine-readable line:
 *   object_recall=… item_recall=… text_recall=… color_agreement=…
 * Text recall counts personal data the service redacts on purpose (names, numbers on ID cards) as
 * missed: the figure is what downstream gets, not what OCR saw.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { EmbeddedPipeline } from '../embedded/embedded-pipeline.js';
import { buildPostCreatedEvent } from '../post-events.js';
import type { Runtime } from '@media-ai/runtime';
import { scorePhoto, totals, type LabelledPhoto, type PhotoScore, type Recall } from './score.js';

const fmt = (r: Recall) => (r.expected === 0 ? '   -  ' : `${r.found}/${r.expected}`.padStart(6));
const fixed = (n: number) => n.toFixed(3);

export async function runEval(runtime: Runtime, manifestPath: string): Promise<PhotoScore[]> {
  const labels = JSON.parse(await readFile(manifestPath, 'utf8')) as LabelledPhoto[];
  const folder = path.dirname(path.resolve(manifestPath));
  const pipeline = await EmbeddedPipeline.start(runtime);
  try {
    const off = pipeline.capabilities.filter((c) => !c.enabled).map((c) => `${c.stage} (${c.reason})`);
    if (off.length > 0) process.stdout.write(`capabilities off: ${off.join(', ')}\n`);
    const posts = labels.map((label) => {
      const { postId, event } = buildPostCreatedEvent({ photoUrls: [pathToFileURL(path.join(folder, label.file)).href] });
      return { label, postId, event };
    });
    for (const post of posts) await pipeline.submit(post.event);
    const scores = await Promise.all(
      posts.map(async ({ label, postId }) => scorePhoto(label, await pipeline.waitForEnrichment(postId).catch(() => null))),
    );
    process.stdout.write(`${'photo'.padEnd(40)} objects  items   text  colours  missed\n`);
    for (const s of scores) {
      const missed = [...s.missed.objects.map((o) => `obj:${o}`), ...s.missed.items.map((i) => `item:${i}`), ...s.missed.colors.map((c) => `colour:${c}`)];
      if (s.missed.words.length > 0) missed.push(`${s.missed.words.length} words`);
      process.stdout.write(`${s.file.padEnd(40)} ${fmt(s.objects)} ${fmt(s.items)} ${fmt(s.text)}  ${fmt(s.colors)}  ${missed.join(' ')}\n`);
    }
    const t = totals(scores);
    process.stdout.write(
      `\nobject_recall=${fixed(t.object_recall)} item_recall=${fixed(t.item_recall)} text_recall=${fixed(t.text_recall)} color_agreement=${fixed(t.color_agreement)}\n`,
    );
    return scores;
  } finally {
    await pipeline.stop();
  }
}
