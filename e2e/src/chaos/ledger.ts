/**
 * Test-only: the checker's books. It is told which revisions of which posts must come out (from the
 * lifecycle events the run sent and the aggregator's revision rules), which may no longer (a newer
 * event, a deletion, overtook them), and when each deletion was processed; it reads every record of
 * media-ai.enrichment and says what went wrong:
 * - lost: a revision that had to be published and never was;
 * - conflicting: two different bodies for one post and revision (a replay must publish the very
 *   same event), with the fields that differ;
 * - after_delete: an event of a post published after the aggregator processed its deletion;
 * - unexpected: a revision nobody asked for.
 * Identical copies of an event (at-least-once) are counted as duplicates, which is allowed.
 *
 * Pure bookkeeping over plain data: it never reads a topic or a clock itself.
 */
import type { ReadRecord } from '../support/kafka-cluster.js';

export interface PublishedEvent {
  postId: string;
  revision: number;
  eventType: string;
  /** The body with its keys sorted: two copies of one event compare equal. */
  canonical: string;
  /** When its producer sent it (epoch ms). */
  timestamp: number;
  body: unknown;
}

export interface Conflict {
  postId: string;
  revision: number;
  /** Paths where the first two different bodies differ (at most ten). */
  differences: string[];
}

export interface LedgerFindings {
  posts: number;
  /** Revisions that had to be published. */
  revisions: number;
  /** Distinct post revisions published (required or not). */
  published: number;
  lost: Array<{ postId: string; revision: number }>;
  conflicting: Conflict[];
  afterDelete: Array<{ postId: string; revision: number; afterMs: number }>;
  unexpected: Array<{ postId: string; revision: number; eventType: string }>;
  /** Extra identical copies of published events. */
  duplicates: number;
  /** Deletions whose processing was never seen (after_delete could not be judged for them). */
  deletionsUnseen: string[];
  /** Published events that list stages whose part never arrived (the deadline published them). */
  partial: number;
}

type Expectation = 'required' | 'optional';

const key = (postId: string, revision: number) => `${postId}#${revision}`;

export class EnrichmentLedger {
  private readonly posts = new Set<string>();
  private readonly expected = new Map<string, Expectation>();
  private readonly events = new Map<string, PublishedEvent[]>();
  private readonly deletions = new Map<string, { processedAt: number | null }>();
  private readonly unreadable: string[] = [];
  private read = 0;

  /** `source`: the records of media-ai.enrichment as they arrive (read from where it was last read). */
  constructor(private readonly source: readonly ReadRecord[] = []) {}

  /** A post.created was sent. */
  created(postId: string): void {
    this.posts.add(postId);
  }

  /** This revision of the post must come out. */
  expect(postId: string, revision: number): void {
    this.posts.add(postId);
    this.expected.set(key(postId, revision), 'required');
  }

  /**
   * The post's deletion was sent. Revisions of it not published yet may now never be (the
   * aggregator forgets an open revision on deletion); what it did publish stays counted.
   */
  deleted(postId: string): void {
    this.ingest();
    for (const [k, expectation] of this.expected) {
      if (expectation === 'required' && k.startsWith(`${postId}#`) && !this.events.has(k)) this.expected.set(k, 'optional');
    }
    this.deletions.set(postId, { processedAt: null });
  }

  /** The aggregator committed past the post's deletion at `at` (epoch ms). */
  deletionProcessed(postId: string, at: number): void {
    const deletion = this.deletions.get(postId);
    if (deletion && deletion.processedAt === null) deletion.processedAt = at;
  }

  pendingDeletions(): string[] {
    return [...this.deletions].filter(([, d]) => d.processedAt === null).map(([postId]) => postId);
  }

  isPublished(postId: string, revision: number): boolean {
    this.ingest();
    return this.events.has(key(postId, revision));
  }

  /** Reads the records that arrived since the last call. */
  ingest(): void {
    for (; this.read < this.source.length; this.read++) this.record(this.source[this.read]!);
  }

  record(record: ReadRecord): void {
    let body: { event_type?: string; data?: { post_id?: string; revision?: number } };
    try {
      body = JSON.parse(record.value.toString('utf8')) as typeof body;
    } catch {
      this.unreadable.push(`${record.partition}:${record.offset}`);
      return;
    }
    const postId = body.data?.post_id ?? record.key ?? '';
    const revision = body.data?.revision;
    if (typeof revision !== 'number') {
      this.unreadable.push(`${record.partition}:${record.offset}`);
      return;
    }
    const k = key(postId, revision);
    const list = this.events.get(k) ?? [];
    list.push({ postId, revision, eventType: body.event_type ?? '?', canonical: canonicalJson(body), timestamp: record.timestamp, body });
    this.events.set(k, list);
  }

  /** Distinct post revisions published so far. */
  get publishedCount(): number {
    this.ingest();
    return this.events.size;
  }

  findings(): LedgerFindings {
    this.ingest();
    const lost: LedgerFindings['lost'] = [];
    for (const [k, expectation] of this.expected) {
      if (expectation === 'required' && !this.events.has(k)) lost.push(split(k));
    }
    const conflicting: Conflict[] = [];
    const unexpected: LedgerFindings['unexpected'] = [];
    const afterDelete: LedgerFindings['afterDelete'] = [];
    let duplicates = 0;
    let partial = 0;
    for (const [k, list] of this.events) {
      const first = list[0]!;
      const distinct = [...new Map(list.map((e) => [e.canonical, e])).values()];
      duplicates += list.length - distinct.length;
      if (distinct.length > 1) {
        conflicting.push({
          postId: first.postId,
          revision: first.revision,
          differences: differences(distinct[0]!.body, distinct[1]!.body),
        });
      }
      if (!this.expected.has(k)) unexpected.push({ postId: first.postId, revision: first.revision, eventType: first.eventType });
      const missing = (first.body as { data?: { missing_stages?: unknown[] } }).data?.missing_stages;
      if (Array.isArray(missing) && missing.length > 0) partial++;
      const processedAt = this.deletions.get(first.postId)?.processedAt;
      if (processedAt != null) {
        for (const event of list) {
          if (event.timestamp > processedAt)
            afterDelete.push({ postId: event.postId, revision: event.revision, afterMs: event.timestamp - processedAt });
        }
      }
    }
    return {
      posts: this.posts.size,
      revisions: [...this.expected.values()].filter((e) => e === 'required').length,
      published: this.events.size,
      lost,
      conflicting,
      afterDelete,
      unexpected,
      duplicates,
      deletionsUnseen: this.pendingDeletions(),
      partial,
    };
  }

  /** Records that were not a readable event with a post id and revision (offsets). */
  get unreadableRecords(): readonly string[] {
    return this.unreadable;
  }
}

function split(k: string): { postId: string; revision: number } {
  const at = k.lastIndexOf('#');
  return { postId: k.slice(0, at), revision: Number(k.slice(at + 1)) };
}

/** JSON with every object's keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Paths (`data.tags[2].confidence`) at which two JSON values differ; at most `limit`. */
export function differences(a: unknown, b: unknown, limit = 10, path = ''): string[] {
  if (canonicalJson(a) === canonicalJson(b)) return [];
  const bothObjects = a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b);
  if (!bothObjects) return [path || '(root)'];
  const out: string[] = [];
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const k of keys) {
    const child = Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
    out.push(...differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], limit - out.length, child));
    if (out.length >= limit) break;
  }
  return out.slice(0, limit);
}
