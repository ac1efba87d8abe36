import { describe, expect, it } from 'vitest';
import type { ReadRecord } from '../support/kafka-cluster.js';
import { canonicalJson, differences, EnrichmentLedger } from './ledger.js';

let offset = 0;
function published(postId: string, revision: number, data: Record<string, unknown> = {}, timestamp = 1_000): ReadRecord {
  const value = { event_type: 'post.enhanced', data: { post_id: postId, revision, missing_stages: [], ...data } };
  return {
    topic: 'media-ai.enrichment',
    partition: 0,
    offset: String(offset++),
    key: postId,
    value: Buffer.from(JSON.stringify(value)),
    headers: {},
    timestamp,
  };
}

describe('EnrichmentLedger', () => {
  it('counts a required revision that never came as lost, and one that came as published', () => {
    const source: ReadRecord[] = [];
    const ledger = new EnrichmentLedger(source);
    ledger.created('a');
    ledger.expect('a', 1);
    ledger.expect('a', 2);
    source.push(published('a', 1));
    expect(ledger.isPublished('a', 1)).toBe(true);
    expect(ledger.isPublished('a', 2)).toBe(false);
    const findings = ledger.findings();
    expect(findings).toMatchObject({ posts: 1, revisions: 2, published: 1, lost: [{ postId: 'a', revision: 2 }] });
  });

  it('allows identical copies of an event, and names where two different bodies for one revision differ', () => {
    const ledger = new EnrichmentLedger();
    ledger.expect('a', 1);
    ledger.expect('b', 1);
    ledger.record(published('a', 1, { tags: ['x'], ai_confidence: 0.9 }));
    // The same event, keys in another order: a duplicate, not a conflict.
    ledger.record({
      ...published('a', 1),
      value: Buffer.from(
        JSON.stringify({
          data: { ai_confidence: 0.9, tags: ['x'], missing_stages: [], revision: 1, post_id: 'a' },
          event_type: 'post.enhanced',
        }),
      ),
    });
    ledger.record(published('b', 1, { tags: ['x'], ai_confidence: 0.9 }));
    ledger.record(published('b', 1, { tags: ['y'], ai_confidence: 0.9 }));
    const findings = ledger.findings();
    expect(findings.duplicates).toBe(1);
    expect(findings.conflicting).toEqual([{ postId: 'b', revision: 1, differences: ['data.tags[0]'] }]);
  });

  it('excuses revisions a deletion overtook, but not those already published, and flags events after the deletion was processed', () => {
    const ledger = new EnrichmentLedger();
    ledger.expect('a', 1);
    ledger.record(published('a', 1, {}, 1_000));
    ledger.expect('a', 2);
    ledger.deleted('a');
    expect(ledger.pendingDeletions()).toEqual(['a']);
    ledger.deletionProcessed('a', 5_000);
    ledger.record(published('a', 2, {}, 4_000));
    ledger.record(published('a', 1, {}, 6_500));
    const findings = ledger.findings();
    expect(findings.lost).toEqual([]);
    expect(findings.revisions).toBe(1);
    expect(findings.afterDelete).toEqual([{ postId: 'a', revision: 1, afterMs: 1_500 }]);
    expect(findings.deletionsUnseen).toEqual([]);
  });

  it('reports revisions nobody asked for, deletions never seen through and events published by the deadline', () => {
    const ledger = new EnrichmentLedger();
    ledger.expect('a', 1);
    ledger.record(published('a', 1, { missing_stages: ['llm'] }));
    ledger.record(published('a', 7));
    ledger.deleted('b');
    const findings = ledger.findings();
    expect(findings.unexpected).toEqual([{ postId: 'a', revision: 7, eventType: 'post.enhanced' }]);
    expect(findings.deletionsUnseen).toEqual(['b']);
    expect(findings.partial).toBe(1);
  });
});

describe('canonicalJson / differences', () => {
  it('sorts keys at every depth and finds the differing paths', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: 0 } })).toBe('{"a":{"c":0,"d":[1,{"e":3,"f":2}]},"b":1}');
    expect(differences({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 3] }, d: 0 })).toEqual(['b.c[1]', 'd']);
  });
});
