/**
 * Manifests of every version in their current form. A media-ai.posts record written before v3 carries
 * the post, owner and organization only as JSON copies (original_post_json, post_owner_json,
 * organization_json); reader-schema defaults give it a null post_details. currentManifest reads those
 * copies with the same tolerant readers the fetcher uses (post-context.ts), so nothing past the codec
 * or the join store ever reads the platform's JSON, and records still in a topic or a store when the
 * release changes are processed as before.
 *
 * Must never touch a current manifest (one with post_details), and never fail on a copy it cannot
 * read: an unreadable copy reads as an absent one, as it did before v3.
 */
import { emptyPostDetails, readPostDetails, readPostOrganization, readPostOwner } from './post-context.js';
import type { PostManifest } from './records.js';

/**
 * The JSON copies as v3 writers fill them: they stay in the schema (a v2 reader requires
 * original_post_json) but carry nothing; post_details, post_owner and post_organization do.
 */
export const NO_JSON_COPIES: Readonly<Pick<PostManifest, 'original_post_json' | 'post_owner_json' | 'organization_json'>> = Object.freeze({
  original_post_json: '{}',
  post_owner_json: null,
  organization_json: null,
});

/** A manifest as any version wrote it: before v3 the typed post, owner and organization are absent or null. */
export type AnyVersionManifest = Omit<PostManifest, 'post_details' | 'post_owner' | 'post_organization'> &
  Partial<Pick<PostManifest, 'post_owner' | 'post_organization'>> & { post_details?: PostManifest['post_details'] | null };

export function currentManifest(manifest: AnyVersionManifest): PostManifest {
  if (manifest.post_details) return manifest as PostManifest;
  const copied = jsonObject(manifest.original_post_json);
  // Some producers handed over the whole payload ({post, user, ...}); the post is inside.
  const nested = copied && !('id' in copied) ? jsonObject(copied['post']) : null;
  const post = nested ?? copied;
  const owner = jsonObject(manifest.post_owner_json);
  const organization = jsonObject(manifest.organization_json);
  return {
    ...manifest,
    post_details: post ? readPostDetails(post) : emptyPostDetails(),
    post_owner: owner ? readPostOwner(owner) : null,
    post_organization: organization ? readPostOrganization(organization) : null,
  };
}

function jsonObject(value: unknown): Record<string, unknown> | null {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return null;
    }
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
}
