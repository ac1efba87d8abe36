/**
 * What the matcher reads from one published post.enhanced event: item categories and colours with
 * their confidence, the words of its published text, its fingerprints' vectors, its identifiers'
 * keyed hashes, where and when. Built once per post, then compared with many.
 * Pure; must never read anything the event does not publish (no photo, no raw identifier).
 */
import type { PostEnhancedEvent } from '@media-ai/contracts';
import { decodeColorHistogram, decodeEmbedding } from './embedding.js';

export interface ProfileEmbedding {
  /** The detected object's label; null for the whole photo. */
  label: string | null;
  vector: Int8Array;
  /** The item's colour histogram (bins × 255), null for the whole photo or older fingerprints. */
  histogram: Uint8Array | null;
  /** Another crop of the same photo beside its main item's (the fingerprint's second and later labelled items). */
  alternate: boolean;
}

export interface MatchProfile {
  postId: string;
  type: 'lost' | 'found' | null;
  /** Item categories (tags of category object) to confidence. */
  categories: ReadonlyMap<string, number>;
  /** Colour names (tags of category color) to confidence. */
  colors: ReadonlyMap<string, number>;
  /** Lower-case words of the published text: title, description, generated description, text read on the photos. */
  words: ReadonlySet<string>;
  /** The embedding model id, null when the post has no fingerprint. */
  embeddingModel: string | null;
  /** Main items' crops (label set) and whole photos (label null), every photo's. */
  embeddings: readonly ProfileEmbedding[];
  perceptualHashes: readonly string[];
  /** Keyed identifier hashes (data.sensitive): equal hashes = the same serial, IMEI, document or card. */
  identifierHashes: ReadonlyMap<string, { kind: string; last4: string }>;
  location: { latitude: number; longitude: number } | null;
  /** Epoch ms the post was created, null when unknown. */
  createdAt: number | null;
}

/** Words too common to say anything about an item; redaction markers are never words. */
const STOP_WORDS = new Set(
  'the and for with was were this that from have has had lost found near left your you our are but not all any can his her its they them their there here when where which who what will would been into onto over under about after before just very some one two item items e2e'.split(
    ' ',
  ),
);

/** Words of 3+ letters or digits, lower-case, without stop words. */
export function wordsOf(text: string | null | undefined): string[] {
  if (!text) return [];
  return (
    text
      .toLowerCase()
      .replace(/\[[a-z_]+\]/g, ' ')
      .match(/[\p{L}\p{N}]{3,}/gu) ?? []
  ).filter((w) => !STOP_WORDS.has(w));
}

export function matchProfileOf(event: PostEnhancedEvent): MatchProfile {
  const { data } = event;
  const categories = new Map<string, number>();
  const colors = new Map<string, number>();
  for (const grade of data.tag_grades) {
    const into = grade.category === 'object' ? categories : grade.category === 'color' ? colors : null;
    if (into && grade.confidence > (into.get(grade.tag) ?? 0)) into.set(grade.tag, grade.confidence);
  }
  const post = data.original_post;
  const words = new Set([
    ...wordsOf(post.title),
    ...wordsOf(post.description),
    ...wordsOf(data.generated_description),
    ...(data.ai_analysis.text_content ?? []).flatMap((t) => wordsOf(t.text)),
  ]);
  const fingerprints = data.fingerprints ?? [];
  const embeddingModel = fingerprints[0]?.model ?? null;
  const embeddings = fingerprints
    .filter((f) => f.model === embeddingModel)
    .flatMap((f) => {
      const main = f.items.find((item) => item.label !== null);
      return f.items.map((item) => ({
        label: item.label,
        vector: decodeEmbedding(item.embedding),
        histogram: item.color_histogram ? decodeColorHistogram(item.color_histogram) : null,
        alternate: item.label !== null && item !== main,
      }));
    });
  const identifierHashes = new Map((data.sensitive?.identifiers ?? []).map((i) => [i.hash, { kind: i.kind, last4: i.last4 }]));
  const created = Date.parse(post.created_at);
  const { latitude, longitude } = post.location ?? {};
  return {
    postId: data.post_id,
    type: post.type ?? null,
    categories,
    colors,
    words,
    embeddingModel,
    embeddings,
    perceptualHashes: fingerprints.map((f) => f.perceptual_hash),
    identifierHashes,
    location:
      typeof latitude === 'number' && typeof longitude === 'number' && !isPlaceholder(latitude, longitude) ? { latitude, longitude } : null,
    createdAt: Number.isFinite(created) ? created : null,
  };
}

/**
 * 0,0 (in the Gulf of Guinea) is where the contract's required location points when a post has none:
 * ad-hoc analyses (`media-ai analyze`, `match` of photos, the REST upload) publish it. Read as a place,
 * every such pair would be "0.0 km apart" and gain the distance signal for nothing.
 */
function isPlaceholder(latitude: number, longitude: number): boolean {
  return latitude === 0 && longitude === 0;
}
