/**
 * `media-ai analyze <files|folders|urls...>`: runs the embedded pipeline over the photos, one post
 * per photo (as a user posting each photo would), waits for each enrichment and prints a summary
 * per photo, or the post.enhanced events with --json. --annotate DIR writes copies of the
 * normalized photos with the detected boxes drawn on them and the faces blurred.
 *
 * Everything the run has to say is its result, on stdout: which stages are off, the summaries, the
 * annotated files. With --json stdout is the events alone, and those notes go to the logger at info.
 * stderr is for usage errors and for logs at LOG_LEVEL (warnings by default), never for chatter.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MediaAiError } from '@media-ai/contracts';
import { drawDetections, photoForRelease } from '@media-ai/vision';
import { EmbeddedPipeline } from '../embedded/embedded-pipeline.js';
import type { EnrichmentEvent } from '../embedded/enrichment-observer.js';
import { buildPostCreatedEvent } from '../post-events.js';
import type { CapabilityStatus, Runtime } from '@media-ai/runtime';
import { expandPhotoInputs, type PhotoInput } from './photo-inputs.js';
import { formatSummary } from './summary.js';

export interface AnalyzeOptions {
  inputs: string[];
  json: boolean;
  annotateDir?: string;
  title?: string;
  description?: string;
}

interface PhotoOutcome {
  input: PhotoInput;
  postId: string;
  event: EnrichmentEvent | null;
  error?: string;
}

export async function analyze(runtime: Runtime, options: AnalyzeOptions): Promise<number> {
  let photos: PhotoInput[];
  try {
    photos = await expandPhotoInputs(options.inputs);
  } catch (error) {
    // A mistyped path is a usage error: say which argument, no stack trace.
    process.stderr.write(`media-ai analyze: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  if (photos.length === 0) {
    process.stderr.write('media-ai analyze: no photos found in the given paths\n');
    return 2;
  }
  const pipeline = await EmbeddedPipeline.start(runtime);
  try {
    // With --json the pipeline's own start-up log says the same (info when off, warning when partial).
    if (!options.json) process.stdout.write(capabilityNotes(pipeline.capabilities));
    const outcomes: PhotoOutcome[] = await inWindow(photos, postsInFlight(runtime), async (input) => {
      const { postId, event } = buildPostCreatedEvent({ photoUrls: [input.url], title: options.title, description: options.description });
      await pipeline.submit(event);
      try {
        return { input, postId, event: await pipeline.waitForEnrichment(postId) };
      } catch (error) {
        return { input, postId, event: null, error: error instanceof Error ? error.message : String(error) };
      }
    });

    const annotated = options.annotateDir ? await annotate(pipeline, outcomes, options.annotateDir) : [];
    printOutcomes(outcomes, options.json);
    for (const file of annotated) {
      if (options.json) runtime.logger.info({ file }, 'annotated');
      else process.stdout.write(`annotated: ${file}\n`);
    }
    return outcomes.every((o) => o.event?.event_type === 'post.enhanced') ? 0 : 1;
  } finally {
    await pipeline.stop();
  }
}

/**
 * Posts analysed at once: as many as the OCR stage reads at once (OCR_WORKERS), the slowest stage.
 * Each post's deadline (AGGREGATOR_DEADLINE_MS) starts when the fetcher takes it. Submitting every
 * photo at once made the last ones spend their deadline queueing behind the others in this very
 * process: on a slower run their OCR part came after the deadline and the post went out without its
 * text (listed in missing_stages) in one run and with it in the next.
 */
function postsInFlight(runtime: Runtime): number {
  return Math.max(1, runtime.config.ai.ocr.workers);
}

/** Runs `work` over `items` with at most `width` at a time; results in the order of `items`. */
async function inWindow<T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return results;
}

/** One line per analysis stage that is off or runs partially, and an empty line after them. */
function capabilityNotes(capabilities: readonly CapabilityStatus[]): string {
  const notes = capabilities.flatMap((status) => {
    if (!status.enabled) return [`note: ${status.stage} is off: ${status.reason}`];
    return status.reason ? [`note: ${status.stage} runs partially: ${status.reason}`] : [];
  });
  return notes.length > 0 ? `${notes.join('\n')}\n\n` : '';
}

function printOutcomes(outcomes: readonly PhotoOutcome[], json: boolean): void {
  if (json) {
    const events = outcomes.map((o) => o.event ?? { post_id: o.postId, error: o.error });
    process.stdout.write(`${JSON.stringify(events.length === 1 ? events[0] : events, null, 2)}\n`);
    return;
  }
  for (const outcome of outcomes) {
    process.stdout.write(
      outcome.event
        ? `${formatSummary(outcome.input.label, outcome.event)}\n\n`
        : `${outcome.input.label}\n  error:   ${outcome.error}\n\n`,
    );
  }
}

/** Writes the annotated copies; returns their paths. */
async function annotate(pipeline: EmbeddedPipeline, outcomes: readonly PhotoOutcome[], dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const { input, postId, event } of outcomes) {
    if (event?.event_type !== 'post.enhanced') continue;
    // One photo per post here, so every object of the post belongs to this photo.
    const [photo] = pipeline.photosOf(postId);
    if (!photo) continue;
    const objects = (event.data.enhanced_metadata.attributes.objects ?? []).flatMap((o) =>
      o.bounding_box ? [{ label: o.name, confidence: o.confidence, box: o.bounding_box }] : [],
    );
    // The copy leaves the process: faces blurred with the fetcher's boxes; none when nobody looked for faces.
    let released: Buffer;
    try {
      released = await photoForRelease(await pipeline.blobs.get(photo.blob_key), photo.faces);
    } catch (error) {
      if (!(error instanceof MediaAiError && error.code === 'MEDIA_AI_FACES_UNCHECKED')) throw error;
      process.stderr.write(`not annotated: ${input.label}: ${error.message}\n`);
      continue;
    }
    const drawn = await drawDetections(released, objects);
    const name = `${path.parse(input.label).name.replace(/[^\w.-]+/g, '_')}.annotated.jpg`;
    await writeFile(path.join(dir, name), drawn);
    written.push(path.join(dir, name));
  }
  return written;
}
