import type { PostEnhancedEvent, PublishedFingerprint, TagGrade } from '@media-ai/contracts';
import { describe, expect, it } from 'vitest';
import { decodeColorHistogram, decodeEmbedding, embeddingCosine, hammingDistance, histogramIntersection } from './embedding.js';
import { matchProfileOf, wordsOf } from './match-profile.js';
import { rankMatches, scoreMatch } from './match.js';

/** A unit vector pointing mostly along `axis`, with a little of `other`, as the detector publishes it. */
function embedding(axis: number, other = (axis + 1) % 8, mix = 0.2): string {
  const v = new Float64Array(16);
  v[axis] = 1;
  v[other] = mix;
  const norm = Math.hypot(...v);
  return Buffer.from(Int8Array.from(v, (x) => Math.round((x / norm) * 127)).buffer).toString('base64');
}

interface PostFacts {
  id: string;
  type?: 'lost' | 'found';
  title?: string;
  tags?: Array<[string, TagGrade['category'], number]>;
  crop?: string;
  /** The crop's colour histogram, hex. */
  histogram?: string;
  whole?: string;
  phash?: string;
  /** The fingerprint's embedding model id. */
  model?: string;
  identifiers?: string[];
  at?: [number, number];
  created?: string;
}

/** The fields of a post.enhanced event the matcher reads, as fusion publishes them. */
function post(f: PostFacts): PostEnhancedEvent {
  const fingerprints: PublishedFingerprint[] =
    f.crop || f.whole
      ? [
          {
            photo_id: `${f.id}-p1`,
            model: f.model ?? 'mobilenetv2-int8/global-average-pool:1',
            perceptual_hash: f.phash ?? '0123456789abcdef',
            items: [
              ...(f.crop
                ? [
                    {
                      label: 'cell phone',
                      box: { x: 0.1, y: 0.1, width: 0.5, height: 0.5 },
                      embedding: f.crop,
                      color_histogram: f.histogram ?? null,
                    },
                  ]
                : []),
              ...(f.whole ? [{ label: null, box: null, embedding: f.whole }] : []),
            ],
          },
        ]
      : [];
  return {
    id: `evt-${f.id}`,
    event_type: 'post.enhanced',
    timestamp: '2026-12-01T10:00:00.000Z',
    version: 1,
    data: {
      post_id: f.id,
      original_post: {
        id: f.id,
        title: f.title ?? '',
        type: f.type ?? 'found',
        location: { latitude: f.at?.[0] ?? 51.5, longitude: f.at?.[1] ?? -0.12 },
        created_at: f.created ?? '2026-12-01T10:00:00.000Z',
      },
      tag_grades: (f.tags ?? []).map(([tag, category, confidence]) => ({
        tag,
        category,
        confidence,
        tier: 'auto_apply',
        sources: [],
        evidence: [],
      })),
      generated_description: null,
      ai_analysis: { text_content: [] },
      fingerprints,
      sensitive: f.identifiers
        ? {
            classification: 'owner_only',
            identifiers: f.identifiers.map((hash) => ({ kind: 'imei', hash, last4: '3809', photo_id: null, source: 'photo' })),
          }
        : null,
    },
  } as unknown as PostEnhancedEvent;
}

const lost = matchProfileOf(
  post({
    id: 'lost',
    type: 'lost',
    title: 'Black Samsung phone, cracked corner',
    tags: [
      ['phone', 'object', 0.9],
      ['black', 'color', 0.8],
    ],
    crop: embedding(0),
    whole: embedding(4),
  }),
);

describe('the reference matcher', () => {
  it('reads the contract\'s placeholder location (0,0) of an ad-hoc post as no place, not as "0.0 km apart"', () => {
    const adHoc = (id: string) => matchProfileOf(post({ id, at: [0, 0], crop: embedding(0) }));
    expect(adHoc('a').location).toBeNull();
    const [match] = rankMatches(adHoc('a'), [adHoc('b')]);
    expect(match!.signals.distance).toBeNull();
    expect(match!.reasons.join(' ')).not.toMatch(/km apart/);
    expect(matchProfileOf(post({ id: 'c', at: [0, 12.5] })).location).toEqual({ latitude: 0, longitude: 12.5 });
  });

  it('ranks the same item above one of its kind and above another kind, with its reasons', () => {
    const same = post({
      id: 'same',
      title: 'Found samsung phone',
      tags: [
        ['phone', 'object', 0.85],
        ['black', 'color', 0.7],
      ],
      crop: embedding(0, 3, 0.4),
      whole: embedding(5),
    });
    const otherPhone = post({
      id: 'other-phone',
      title: 'Found phone',
      tags: [
        ['phone', 'object', 0.9],
        ['white', 'color', 0.8],
      ],
      crop: embedding(2),
      whole: embedding(5),
    });
    const wallet = post({
      id: 'wallet',
      title: 'Wallet on a bench',
      tags: [
        ['wallet', 'object', 0.9],
        ['black', 'color', 0.8],
      ],
      crop: embedding(6),
      whole: embedding(7),
    });
    const ranked = rankMatches(lost, [wallet, otherPhone, same].map(matchProfileOf));
    expect(ranked.map((r) => r.postId)).toEqual(['same', 'other-phone', 'wallet']);
    const best = ranked[0]!;
    expect(best.signals.category).toBeCloseTo(Math.sqrt(0.9 * 0.85), 3);
    expect(best.signals.embedding).toBeGreaterThan(0.8);
    expect(best.reasons.join('\n')).toMatch(/looks alike: embedding cosine 0\.9\d \(cell phone and cell phone\)/);
    expect(best.reasons).toContain('same category: phone (0.90 / 0.85)');
    expect(best.reasons.some((r) => r.startsWith('shared words: samsung'))).toBe(true);
    expect(best.score).toBeGreaterThan(ranked[1]!.score);
  });

  it('compares crops with crops only (crops) or also whole photo with whole photo (same-kind), and says the whole photos once', () => {
    const onSameTable = matchProfileOf(post({ id: 'table', tags: [['wallet', 'object', 0.9]], crop: embedding(6), whole: embedding(4) }));
    expect(scoreMatch(lost, onSameTable, { embeddingPairs: 'crops' }).signals.embedding).toBe(0);
    const sameKind = scoreMatch(lost, onSameTable, { embeddingPairs: 'same-kind' });
    expect(sameKind.signals.embedding).toBe(1);
    expect(sameKind.reasons.filter((r) => r.includes('cosine 1.00'))).toEqual(['the whole photos look alike: embedding cosine 1.00']);
  });

  it('leaves the embedding signal out without a crop pair: the photo signal alone carries the whole photos', () => {
    const wholeOnly = (id: string) => matchProfileOf(post({ id, whole: embedding(4) }));
    const result = scoreMatch(wholeOnly('q'), wholeOnly('c'));
    expect(result.signals.embedding).toBeNull();
    expect(result.signals.photo).toBe(1);
    expect(result.reasons.filter((r) => r.includes('cosine'))).toEqual(['the whole photos look alike: embedding cosine 1.00']);
    expect(scoreMatch(lost, wholeOnly('c')).signals.embedding).toBeNull();
  });

  it("compares the items' colour histograms as a signal of its own, and only where both posts carry one", () => {
    // Bins × 255 as hex: the query all in bin 0; one candidate 60 % bin 0 and 40 % bin 1, another all bin 2.
    const hex = (...bins: number[]) => bins.map((b) => b.toString(16).padStart(2, '0')).join('');
    const query = matchProfileOf(post({ id: 'q', crop: embedding(0), histogram: hex(255, 0, 0) }));
    const close = matchProfileOf(post({ id: 'close', crop: embedding(0), histogram: hex(153, 102, 0) }));
    const apart = matchProfileOf(post({ id: 'apart', crop: embedding(0), histogram: hex(0, 0, 255) }));
    const none = matchProfileOf(post({ id: 'none', crop: embedding(0) }));
    expect(scoreMatch(query, close).signals.histogram).toBeCloseTo(0.6, 3);
    expect(scoreMatch(query, apart).signals.histogram).toBe(0);
    expect(scoreMatch(query, none).signals.histogram).toBeNull();
    expect(scoreMatch(query, close).reasons).toContain("the same colours: 60 % of the items' colour histograms overlap");
    expect(rankMatches(query, [apart, close], { signals: ['histogram'] }).map((r) => r.postId)).toEqual(['close', 'apart']);
    expect(decodeColorHistogram('zz')).toHaveLength(0);
    expect(histogramIntersection(decodeColorHistogram(hex(255, 0)), decodeColorHistogram(hex(255)))).toBe(0);
  });

  it("matches a photo's alternate crop by the best pair (less the penalty) but never by its colour histogram", () => {
    const hex = (...bins: number[]) => bins.map((b) => b.toString(16).padStart(2, '0')).join('');
    const query = matchProfileOf(post({ id: 'q', crop: embedding(0), histogram: hex(255, 0) }));
    // The candidate's main crop is another thing (axis 4); its alternate crop is the query's item, in the query's colour.
    const event = post({ id: 'alt', crop: embedding(4), histogram: hex(0, 255) });
    const fingerprint = event.data.fingerprints[0]!;
    fingerprint.items.splice(1, 0, {
      label: 'cell phone',
      box: { x: 0, y: 0, width: 1, height: 1 },
      embedding: embedding(0),
      color_histogram: hex(255, 0),
    });
    const candidate = matchProfileOf(event);
    expect(candidate.embeddings.map((e) => e.alternate)).toEqual([false, true]);
    expect(scoreMatch(query, candidate, { alternatePenalty: 0 }).signals.embedding).toBeCloseTo(1, 2);
    // Cosine 1 less 0.1, rescaled from the floor: (0.9 - 0.35) / 0.65.
    expect(scoreMatch(query, candidate, { alternatePenalty: 0.1 }).signals.embedding).toBeCloseTo(0.846, 2);
    expect(scoreMatch(query, candidate).signals.histogram).toBe(0);
    expect(scoreMatch(query, candidate, { alternateHistograms: true }).signals.histogram).toBe(1);
  });

  it('never compares embeddings of two model ids (a fingerprint stored under another embedding), only what needs no model', () => {
    const hex = (...bins: number[]) => bins.map((b) => b.toString(16).padStart(2, '0')).join('');
    const facts = { crop: embedding(0), whole: embedding(4), histogram: hex(255, 0), phash: '0123456789abcdef' };
    // The product's id today, and a made-up other one: the same numbers under two ids are two different spaces.
    const current = (id: string) => matchProfileOf(post({ id, ...facts, model: 'mobilenetv2-int8/global-average-pool+block-28x28x32:3' }));
    const other = matchProfileOf(post({ id: 'other', ...facts, model: 'hypothetical-net/some-other-embedding:1' }));
    const same = scoreMatch(current('q'), current('c'));
    expect([same.signals.embedding, same.signals.photo]).toEqual([1, 1]);
    const across = scoreMatch(current('q'), other);
    expect([across.signals.embedding, across.signals.photo]).toEqual([null, null]);
    expect(across.reasons.join('\n')).not.toMatch(/cosine/);
    // The colour histogram and the perceptual hash are pixels, not the network's: they still compare.
    expect(across.signals.histogram).toBe(1);
    expect(across.samePicture).toBe(true);
  });

  it('lets an equal identifier hash outrank everything, and says so', () => {
    const hash = 'f'.repeat(64);
    const query = matchProfileOf(post({ id: 'q', tags: [['phone', 'object', 0.9]], identifiers: [hash], crop: embedding(0) }));
    const lookalike = post({ id: 'lookalike', tags: [['phone', 'object', 0.9]], identifiers: ['e'.repeat(64)], crop: embedding(0) });
    const owner = post({ id: 'owner', tags: [['wallet', 'object', 0.5]], identifiers: [hash], crop: embedding(3) });
    const [first, second] = rankMatches(query, [lookalike, owner].map(matchProfileOf));
    expect(first).toMatchObject({ postId: 'owner', signals: { identifier: 1 } });
    expect(first!.reasons[0]).toBe('the same imei (…3809, equal keyed hash)');
    expect(second).toMatchObject({ postId: 'lookalike', signals: { identifier: 0 } });
  });

  it('leaves out what a post cannot say instead of counting it as disagreement', () => {
    const bare = matchProfileOf(post({ id: 'bare', tags: [['phone', 'object', 0.9]] }));
    const result = scoreMatch(lost, bare);
    expect(result.signals).toMatchObject({ embedding: null, color: null, identifier: null, text: null });
    expect(result.signals.category).toBeCloseTo(0.9, 3);
    expect(result.score).toBeGreaterThan(0.8);
  });

  it('uses one signal alone when asked (the benchmark reports each)', () => {
    const candidate = matchProfileOf(post({ id: 'c', tags: [['phone', 'object', 0.9]], crop: embedding(3) }));
    expect(scoreMatch(lost, candidate, { signals: ['category'] }).score).toBeCloseTo(0.9, 3);
    expect(scoreMatch(lost, candidate, { signals: ['embedding'] }).score).toBe(scoreMatch(lost, candidate).signals.embedding);
  });

  it('flags the same picture by perceptual hash, and weighs distance and time', () => {
    const repost = matchProfileOf(
      post({ id: 'r', phash: '0123456789abcdee', whole: embedding(4), at: [51.5, -0.12], created: '2026-12-03T10:00:00.000Z' }),
    );
    const far = matchProfileOf(
      post({ id: 'f', phash: 'fedcba9876543210', whole: embedding(4), at: [48.85, 2.35], created: '2027-03-01T10:00:00.000Z' }),
    );
    const near = scoreMatch(matchProfileOf(post({ id: 'q', whole: embedding(4) })), repost);
    const away = scoreMatch(matchProfileOf(post({ id: 'q', whole: embedding(4) })), far);
    expect(near.samePicture).toBe(true);
    expect(near.reasons).toContain('the same picture (perceptual hash 1 bits apart)');
    expect(away.samePicture).toBe(false);
    expect(near.signals.distance).toBe(1);
    expect(away.signals.distance!).toBeLessThan(0.02);
    expect(near.signals.time!).toBeGreaterThan(away.signals.time!);
    expect(near.reasons).toContain('2 days apart');
  });

  it('decodes int8 embeddings and measures cosines and hash distances exactly', () => {
    const a = decodeEmbedding(embedding(0, 1, 0));
    expect(embeddingCosine(a, a)).toBe(1);
    expect(embeddingCosine(a, decodeEmbedding(embedding(2, 3, 0)))).toBe(0);
    expect(embeddingCosine(a, new Int8Array(3))).toBe(0);
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('0000000000000000', '0000000000000003')).toBe(2);
    expect(hammingDistance('short', '0000000000000000')).toBe(64);
    expect(wordsOf('Lost: black [IMEI] iPhone 13 at the station')).toEqual(['black', 'iphone', 'station']);
  });
});
