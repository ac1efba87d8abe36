/**
 * Builds posts.events records for photos that arrive without a post (CLI, REST analyze): a
 * `post.created` in the fn-posts wire form, the same shape the platform produces, so the photos take
 * the one path through the tolerant reader, the stages and the aggregator.
 *
 * The platform contract requires facts such a request does not have (an owner, a location). They
 * are filled with values that say so instead of guessing: the nil UUID as owner, named "ad-hoc
 * analysis", and location 0,0 with the address "not given (ad-hoc analysis)" unless the caller
 * gives one. These events never describe a real post, and nothing here reads the photo's EXIF GPS.
 */
import { randomUUID } from 'node:crypto';

/** Owner of ad-hoc analyses: the nil UUID, so no real user is ever implied. */
export const AD_HOC_USER_ID = '00000000-0000-0000-0000-000000000000';
const AD_HOC_ADDRESS = 'not given (ad-hoc analysis)';

export interface AdHocPost {
  postId?: string;
  location?: { latitude: number; longitude: number; address?: string };
  title?: string;
  description?: string;
  type?: 'lost' | 'found';
  photoUrls: readonly string[];
  correlationId?: string;
}

export function buildPostCreatedEvent(post: AdHocPost, now = new Date()): { postId: string; event: Record<string, unknown> } {
  const postId = post.postId ?? randomUUID();
  const timestamp = now.toISOString();
  const event = {
    id: randomUUID(),
    event_type: 'post.created',
    event_version: 1,
    timestamp,
    correlation_id: post.correlationId ?? randomUUID(),
    source_service: 'fn-media-ai',
    aggregate_id: postId,
    aggregate_type: 'Post',
    payload: {
      post: {
        id: postId,
        title: post.title || 'Ad-hoc photo analysis',
        description: post.description ?? '',
        type: post.type ?? 'found',
        status: 'active',
        location: post.location ?? { latitude: 0, longitude: 0, address: AD_HOC_ADDRESS },
        user_id: AD_HOC_USER_ID,
        photos: post.photoUrls.map((url, index) => ({
          id: randomUUID(),
          post_id: postId,
          original_url: url,
          order: index + 1,
        })),
        created_at: timestamp,
        updated_at: timestamp,
      },
      user: { user_id: AD_HOC_USER_ID, display_name: 'ad-hoc analysis' },
      triggers: { ai_processing: true },
    },
  };
  return { postId, event };
}
