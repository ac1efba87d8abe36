/**
 * Test-only: the seeded plan of a chaos run — what each post goes through (created with 1–3 photos,
 * then photos added and removed, its text or something else updated, and for some a deletion, sent
 * at once or after the last revision came out) and what goes wrong meanwhile (SIGKILLs of every
 * stage, some right after it took a batch or while a second replica joins its group, SIGTERMs as in
 * a rollout, Redis stopped, the registry answering 503, the OpenAI API slow and then 429). Faults are
 * placed by workload progress (the share of the planned events sent), not by the clock, so a slow
 * machine sees the same faults at the same points of the same workload.
 *
 * Pure: the same options give the same plan (ids included), on every machine. It never starts or
 * sends anything.
 */
import { Faker, en } from '@faker-js/faker';
import type { StageName } from '@media-ai/contracts';

export const CHAOS_STAGES: readonly StageName[] = ['fetcher', 'detector', 'ocr', 'llm', 'aggregator'];

/** One lifecycle event of a post, as fn-posts would send it. */
export type PlannedStep =
  | { kind: 'created'; photos: PlannedPhoto[]; thinkMs: number }
  | { kind: 'photo.added'; photo: PlannedPhoto; thinkMs: number }
  /** `pick` chooses among the post's photos at that point (modulo their number). */
  | { kind: 'photo.removed'; pick: number; thinkMs: number }
  /** A new title and description: the llm is asked anew, a new revision. */
  | { kind: 'updated.text'; title: string; description: string; thinkMs: number }
  /** A change the enrichment does not read (the location): no new revision. */
  | { kind: 'updated.other'; latitude: number; longitude: number; thinkMs: number }
  /** `hot`: sent right after the previous event, without waiting for its revision. */
  | { kind: 'deleted'; hot: boolean; thinkMs: number };

export type StepKind = PlannedStep['kind'];

export interface PlannedPhoto {
  photoId: string;
  /** Index into the run's photo pool. */
  image: number;
}

export interface PlannedPost {
  postId: string;
  title: string;
  description: string;
  type: 'lost' | 'found';
  steps: PlannedStep[];
}

/** When a kill lands: whenever the stage is up, right after it logged a batch taken, or while a second replica joins. */
export type KillMoment = 'anytime' | 'mid-batch' | 'rebalance';

export type Fault =
  | { kind: 'kill'; stage: StageName; signal: 'SIGKILL' | 'SIGTERM'; moment: KillMoment; at: number }
  | { kind: 'redis-outage'; durationMs: number; at: number }
  | { kind: 'registry-outage'; durationMs: number; at: number }
  /** The API slow for slowMs (every answer delayed by delayMs), then 429 for rateLimitedMs. */
  | { kind: 'openai-trouble'; slowMs: number; delayMs: number; rateLimitedMs: number; at: number };

export interface ChaosPlan {
  seed: number;
  /** How many distinct images the posts' photos are drawn from. */
  images: number;
  posts: PlannedPost[];
  /** Sorted by `at`: the share (0–1) of the planned events sent when the fault starts. */
  faults: Fault[];
  /** Events the posts send in all (the progress the faults are placed by). */
  events: number;
}

export interface ChaosPlanOptions {
  seed: number;
  posts: number;
  /** SIGKILLs: the first five cover every stage. */
  kills: number;
  /** SIGTERMs (rolling restarts). */
  terms: number;
  images: number;
  /** Each outage's length (the issue: 10 s). */
  outageMs?: number;
}

const OUTAGE_MS = 10_000;
/** Faults fall between these shares of the workload: never before it has started, always before it ends. */
const FIRST_FAULT_AT = 0.05;
const LAST_FAULT_AT = 0.85;

const ITEMS = ['phone', 'wallet', 'backpack', 'umbrella', 'bicycle', 'watch', 'laptop', 'cup', 'jacket', 'skateboard', 'keys'];
const PLACES = ['the station', 'the library', 'the park', 'the bus stop', 'the cafe', 'the market', 'the gym'];

export function buildChaosPlan(options: ChaosPlanOptions): ChaosPlan {
  if (options.kills < CHAOS_STAGES.length) throw new RangeError(`kills must cover every stage: at least ${CHAOS_STAGES.length}`);
  const faker = new Faker({ locale: en });
  faker.seed(options.seed);
  const posts = Array.from({ length: options.posts }, () => planPost(faker, options.images));
  const events = posts.reduce((sum, post) => sum + post.steps.length, 0);
  return { seed: options.seed, images: options.images, posts, faults: planFaults(faker, options), events };
}

function planPost(faker: Faker, images: number): PlannedPost {
  const photo = (): PlannedPhoto => ({ photoId: faker.string.uuid(), image: faker.number.int({ max: images - 1 }) });
  const think = () => faker.number.int({ min: 0, max: 1_500 });
  const text = () => {
    const item = faker.helpers.arrayElement(ITEMS);
    const place = faker.helpers.arrayElement(PLACES);
    return { title: `${faker.color.human()} ${item} near ${place}`, description: `A ${item}, last seen near ${place}.` };
  };
  const first = text();
  let current = first;
  const photoCount = faker.helpers.weightedArrayElement([
    { weight: 5, value: 1 },
    { weight: 3, value: 2 },
    { weight: 2, value: 3 },
  ]);
  const steps: PlannedStep[] = [{ kind: 'created', photos: Array.from({ length: photoCount }, photo), thinkMs: 0 }];
  let held = photoCount;
  const changes = faker.helpers.weightedArrayElement([
    { weight: 3, value: 0 },
    { weight: 4, value: 1 },
    { weight: 2, value: 2 },
    { weight: 1, value: 3 },
  ]);
  for (let i = 0; i < changes; i++) {
    const kinds: StepKind[] = ['updated.text', 'updated.other'];
    if (held < 4) kinds.push('photo.added', 'photo.added');
    // Never the last photo: a post without photos is a processing.error, not a lifecycle the run checks.
    if (held > 1) kinds.push('photo.removed', 'photo.removed');
    const kind = faker.helpers.arrayElement(kinds);
    if (kind === 'photo.added') {
      steps.push({ kind, photo: photo(), thinkMs: think() });
      held++;
    } else if (kind === 'photo.removed') {
      steps.push({ kind, pick: faker.number.int({ max: 3 }), thinkMs: think() });
      held--;
    } else if (kind === 'updated.text') {
      // A text that differs from the post's: an update that changes nothing is no new revision.
      let next = text();
      while (next.title === current.title) next = text();
      current = next;
      steps.push({ kind, ...next, thinkMs: think() });
    } else {
      steps.push({ kind: 'updated.other', latitude: faker.location.latitude(), longitude: faker.location.longitude(), thinkMs: think() });
    }
  }
  if (faker.datatype.boolean({ probability: 0.25 })) steps.push({ kind: 'deleted', hot: faker.datatype.boolean(), thinkMs: think() });
  return {
    postId: faker.string.uuid(),
    ...first,
    type: faker.helpers.arrayElement(['lost', 'found'] as const),
    steps,
  };
}

function planFaults(faker: Faker, options: ChaosPlanOptions): Fault[] {
  const outageMs = options.outageMs ?? OUTAGE_MS;
  const at = () => faker.number.float({ min: FIRST_FAULT_AT, max: LAST_FAULT_AT, fractionDigits: 3 });
  // Every stage killed at least once, in a seeded order; the rest anywhere.
  const killed = [
    ...faker.helpers.shuffle([...CHAOS_STAGES]),
    ...Array.from({ length: options.kills - CHAOS_STAGES.length }, () => faker.helpers.arrayElement(CHAOS_STAGES)),
  ];
  // At least one kill mid-batch and one mid-rebalance; the others drawn.
  const moments: KillMoment[] = killed.map((_, i) =>
    i === 0 ? 'mid-batch' : i === 1 ? 'rebalance' : faker.helpers.weightedArrayElement(MOMENT_WEIGHTS),
  );
  const kills: Fault[] = killed.map((stage, i) => ({ kind: 'kill', stage, signal: 'SIGKILL', moment: moments[i]!, at: at() }));
  const terms: Fault[] = Array.from({ length: options.terms }, () => ({
    kind: 'kill',
    stage: faker.helpers.arrayElement(CHAOS_STAGES),
    signal: 'SIGTERM',
    moment: 'anytime',
    at: at(),
  }));
  // One of each outage, in thirds of the fault window so that they never overlap one another.
  const third = (LAST_FAULT_AT - FIRST_FAULT_AT) / 3;
  const slots = faker.helpers
    .shuffle([0, 1, 2])
    .map((slot) =>
      faker.number.float({ min: FIRST_FAULT_AT + slot * third, max: FIRST_FAULT_AT + (slot + 0.5) * third, fractionDigits: 3 }),
    );
  const outages: Fault[] = [
    { kind: 'redis-outage', durationMs: outageMs, at: slots[0]! },
    { kind: 'registry-outage', durationMs: outageMs, at: slots[1]! },
    { kind: 'openai-trouble', slowMs: outageMs, delayMs: 8_000, rateLimitedMs: outageMs, at: slots[2]! },
  ];
  return [...kills, ...terms, ...outages].sort((a, b) => a.at - b.at);
}

const MOMENT_WEIGHTS: Array<{ weight: number; value: KillMoment }> = [
  { weight: 4, value: 'anytime' },
  { weight: 4, value: 'mid-batch' },
  { weight: 2, value: 'rebalance' },
];
