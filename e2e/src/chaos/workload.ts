/**
 * Test-only: plays the planned posts as fn-posts would send them, a bounded number of posts at a
 * time: each post's next event goes out once the revision its last event asked for is published
 * (plus a planned pause), as a user edits a post after seeing it — except a "hot" deletion, sent
 * right after the previous event. It tells the ledger what every event must lead to (revisions from
 * the fetcher's own revisionOf), and counts events sent, the progress faults are placed by; the run
 * may hold it at a fault's point until the fault begins (allowance).
 *
 * It never waits forever: a revision that does not come within stepTimeoutMs ends that post's
 * script (the ledger then counts it lost).
 */
import { randomUUID } from 'node:crypto';
import { HEADERS } from '@media-ai/contracts';
import { revisionOf } from '@media-ai/fetcher-service';
import type { TestCluster } from '../support/kafka-cluster.js';
import type { EnrichmentLedger } from './ledger.js';
import type { PhotoPool } from './photo-pool.js';
import type { ChaosPlan, PlannedPost, PlannedStep } from './plan.js';
import { buildPostEvent, initialState, type PostState } from './post-events.js';

export interface WorkloadOptions {
  plan: ChaosPlan;
  cluster: TestCluster;
  ledger: EnrichmentLedger;
  photos: PhotoPool;
  /** Posts going through their lifecycle at the same time. */
  concurrency: number;
  stepTimeoutMs: number;
  /** Stops sending (the run gives up). */
  signal: AbortSignal;
  /**
   * How many events may have been sent by now: the run holds the workload at the next fault's point
   * until that fault has begun, so that faults land amid the work however fast either goes.
   */
  allowance?: () => number;
}

/** A deletion as sent: its correlation id finds the fetcher's manifest for it on media-ai.posts. */
export interface SentDeletion {
  postId: string;
  correlationId: string;
  sentAt: number;
}

export class Workload {
  sent = 0;
  /** Posts whose script ended because a revision did not come in time. */
  readonly stalled: Array<{ postId: string; revision: number; step: PlannedStep['kind'] }> = [];
  readonly deletions: SentDeletion[] = [];
  /** Milliseconds from sending an event to its revision being published, per event kind. */
  readonly latencies: Array<{ kind: PlannedStep['kind']; ms: number }> = [];
  private done = false;

  constructor(private readonly options: WorkloadOptions) {}

  get finished(): boolean {
    return this.done;
  }

  /** Share of the planned events sent. */
  get progress(): number {
    return this.sent / Math.max(1, this.options.plan.events);
  }

  async run(): Promise<void> {
    const queue = [...this.options.plan.posts];
    const worker = async () => {
      for (let post = queue.shift(); post && !this.options.signal.aborted; post = queue.shift()) await this.play(post);
    };
    await Promise.all(Array.from({ length: this.options.concurrency }, worker));
    this.done = true;
  }

  private async play(post: PlannedPost): Promise<void> {
    const { ledger } = this.options;
    let state: PostState = initialState(post, new Date().toISOString());
    let lastAt = 0;
    let awaited: { revision: number; step: PlannedStep['kind']; sentAt: number } | null = null;
    for (const step of post.steps) {
      const hot = step.kind === 'deleted' && step.hot;
      if (awaited && !hot) {
        if (!(await this.published(post.postId, awaited.revision))) {
          this.stalled.push({ postId: post.postId, revision: awaited.revision, step: awaited.step });
          return;
        }
        this.latencies.push({ kind: awaited.step, ms: Date.now() - awaited.sentAt });
      }
      if (!hot) await sleep(step.thinkMs, this.options.signal);
      while (this.sent >= (this.options.allowance?.() ?? Infinity) && !this.options.signal.aborted) await sleep(100, this.options.signal);
      if (this.options.signal.aborted) return;
      // Counted before the send's await, so that concurrent posts never pass the allowance together.
      this.sent++;
      // One second apart at least: the fetcher's revision is the event's second (see revisionOf).
      const at = Math.max(Date.now(), lastAt + 1_000);
      lastAt = at;
      const timestamp = new Date(at).toISOString();
      const correlationId = randomUUID();
      const built = buildPostEvent(step, state, {
        eventId: randomUUID(),
        correlationId,
        timestamp,
        photoUrl: (photo) => this.options.photos.url(photo),
      });
      state = built.state;
      const eventType = built.event['event_type'] as string;
      if (step.kind === 'created') ledger.created(post.postId);
      if (step.kind === 'deleted') {
        ledger.deleted(post.postId);
        this.deletions.push({ postId: post.postId, correlationId, sentAt: Date.now() });
      }
      await this.options.cluster.produce(this.options.cluster.topics.postsEvents, [
        { key: post.postId, value: Buffer.from(JSON.stringify(built.event)), headers: { [HEADERS.correlationId]: correlationId } },
      ]);
      awaited = null;
      if (step.kind !== 'updated.other' && step.kind !== 'deleted') {
        const revision = revisionOf({ eventType, timestamp: at }, at);
        ledger.expect(post.postId, revision);
        awaited = { revision, step: step.kind, sentAt: Date.now() };
      }
    }
  }

  private async published(postId: string, revision: number): Promise<boolean> {
    const until = Date.now() + this.options.stepTimeoutMs;
    while (!this.options.signal.aborted && Date.now() < until) {
      if (this.options.ledger.isPublished(postId, revision)) return true;
      await sleep(200, this.options.signal);
    }
    return this.options.ledger.isPublished(postId, revision);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
