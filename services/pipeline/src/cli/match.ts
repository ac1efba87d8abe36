/**
 * `media-ai match <lost photos|post.enhanced JSON...> --against <found photos|folders|JSON...>`: ranks
 * the found posts for each lost one with the reference matcher (@media-ai/matching), each candidate
 * with its fused score, its signals and the reasons that made it. Photos are enriched first by the
 * embedded pipeline, one post per photo (lost or found); a `.json` argument is a post.enhanced event
 * (or a list of them) as `media-ai analyze --json` prints it, so enrichments made elsewhere compare too.
 *
 * Must never score anything but published enrichments: the matcher sees what post.enhanced carries.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PostEnhancedEvent } from '@media-ai/contracts';
import { matchProfileOf, rankMatches, type MatchProfile } from '@media-ai/matching';
import type { Runtime } from '@media-ai/runtime';
import { EmbeddedPipeline } from '../embedded/embedded-pipeline.js';
import { buildPostCreatedEvent } from '../post-events.js';
import { expandPhotoInputs } from './photo-inputs.js';

export interface MatchOptions {
  lost: string[];
  against: string[];
  json: boolean;
  /** Candidates shown per lost post. */
  limit: number;
}

interface Labelled {
  label: string;
  profile: MatchProfile;
}

export async function matchCommand(runtime: Runtime, options: MatchOptions): Promise<number> {
  let lost: Labelled[];
  let found: Labelled[];
  let pipeline: EmbeddedPipeline | null = null;
  const start = async () => (pipeline ??= await EmbeddedPipeline.start(runtime));
  try {
    try {
      lost = await posts(options.lost, 'lost', start);
      found = await posts(options.against, 'found', start);
    } catch (error) {
      process.stderr.write(`media-ai match: ${error instanceof Error ? error.message : String(error)}\n`);
      return 2;
    }
  } finally {
    await (pipeline as EmbeddedPipeline | null)?.stop();
  }
  const labelOf = new Map(found.map((f) => [f.profile.postId, f.label]));
  const results = lost.map((q) => ({
    lost: q.label,
    post_id: q.profile.postId,
    matches: rankMatches(
      q.profile,
      found.map((f) => f.profile),
      { limit: options.limit },
    ).map((m) => ({ ...m, label: labelOf.get(m.postId) ?? m.postId })),
  }));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return 0;
  }
  for (const r of results) {
    process.stdout.write(`${r.lost}\n`);
    r.matches.forEach((m, i) => {
      process.stdout.write(`  ${i + 1}. ${m.score.toFixed(3)}  ${m.label}${m.samePicture ? '  (the same picture)' : ''}\n`);
      for (const reason of m.reasons) process.stdout.write(`       ${reason}\n`);
    });
    process.stdout.write('\n');
  }
  return 0;
}

/** The enrichments the arguments name: events read from .json files, the rest enriched as photos. */
async function posts(args: readonly string[], type: 'lost' | 'found', pipeline: () => Promise<EmbeddedPipeline>): Promise<Labelled[]> {
  const out: Labelled[] = [];
  const photoArgs: string[] = [];
  for (const arg of args) {
    if (!arg.endsWith('.json')) {
      photoArgs.push(arg);
      continue;
    }
    const parsed = JSON.parse(await readFile(arg, 'utf8')) as unknown;
    const events = (Array.isArray(parsed) ? parsed : [parsed]) as PostEnhancedEvent[];
    for (const [i, event] of events.entries()) {
      if (event?.event_type !== 'post.enhanced') throw new Error(`${arg}: entry ${i} is not a post.enhanced event`);
      out.push({ label: `${path.basename(arg)}#${event.data.post_id}`, profile: matchProfileOf(event) });
    }
  }
  if (photoArgs.length === 0) return out;
  const photos = await expandPhotoInputs(photoArgs);
  if (photos.length === 0) throw new Error(`no photos found in ${photoArgs.join(', ')}`);
  const running = await pipeline();
  for (const photo of photos) {
    const { postId, event } = buildPostCreatedEvent({ photoUrls: [photo.url], type, title: `${type === 'lost' ? 'Lost' : 'Found'} item` });
    await running.submit(event);
    const enrichment = await running.waitForEnrichment(postId);
    if (enrichment.event_type !== 'post.enhanced')
      throw new Error(`${photo.label}: ${enrichment.event_type} (${JSON.stringify(enrichment.data)})`);
    // A photo named on the command line has no post time of its own: the event's created_at is this
    // run's clock, and every pair would read "posted the same day".
    out.push({ label: photo.label, profile: { ...matchProfileOf(enrichment), createdAt: null } });
  }
  return out;
}
