/**
 * The post's own title and description as the fetcher passes them on: the identifiers they name
 * (serial numbers, IMEIs, document and card numbers: libs/privacy's extraction) masked by their
 * placeholder (`IMEI [IMEI]`), and beside them those identifiers' keyed hashes. The fetcher reads the
 * post once, so this is the one place a post's text is turned into hashes: a lost post naming its
 * serial and a found photo showing it then carry the same hash, and no later stage, topic or
 * post.enhanced field (original_post, the llm's prompt) carries the value.
 *
 * Must never return or log an identifier's value.
 */
import type { HashedIdentifier } from '@media-ai/contracts';
import { hashIdentifier, maskIdentifiers, type Identifier } from '@media-ai/privacy/identifiers';

export interface PostText {
  title: string | null;
  description: string | null;
  /** Each identifier the title or description names, once, as its keyed hash. */
  identifiers: HashedIdentifier[];
}

export function postTextOf(post: { title: string | null; description: string | null }, identifierKey: Buffer): PostText {
  const found: Identifier[] = [];
  const masked = (text: string | null): string | null => {
    if (text === null) return null;
    const result = maskIdentifiers(text);
    found.push(...result.identifiers);
    return result.text;
  };
  const title = masked(post.title);
  const description = masked(post.description);
  const byHash = new Map<string, HashedIdentifier>();
  for (const id of found) {
    const { kind, hash, last4 } = hashIdentifier(id, identifierKey);
    if (!byHash.has(hash)) byHash.set(hash, { kind, hash, last4 });
  }
  return { title, description, identifiers: [...byHash.values()] };
}
