/**
 * The post, its owner and its organization as the manifest carries them (PostDetails, PostOwner,
 * PostOrganization): read from the objects of a posts.events record by readPostEvent, and from the JSON
 * copies of a manifest written before v3 by currentManifest. Part of the one tolerant reading of the
 * platform's events (post-event.ts): nothing downstream reads the platform's JSON.
 *
 * Tolerant of shape, faithful in value: a field of the wrong type reads as null (a list as empty),
 * every other value is kept exactly as sent (strings untrimmed, numbers as they are), because the
 * contract's rules are applied where post.enhanced is written. Must never invent a value.
 */
import type {
  ChannelSwitches,
  ContactPolicy,
  EnhancementPolicySettings,
  ListedPhoto,
  OrganizationSettings,
  OwnerOrganization,
  OwnerPreferences,
  PostDetails,
  PostLocation,
  PostOrganization,
  PostOwner,
} from './records.js';

type JsonObject = Record<string, unknown>;

const object = (v: unknown): JsonObject | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : null);
const string = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const number = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const boolean = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
/** The first of two names a producer may use: the second only when the first is absent (`a ?? b`). */
const either = (o: JsonObject, first: string, second: string): unknown => o[first] ?? o[second];

export function readPostDetails(post: JsonObject): PostDetails {
  const listed = Array.isArray(post['photos']) ? (post['photos'] as unknown[]) : null;
  const location = object(post['location']);
  return {
    user_id: string(post['user_id']),
    organization_id: string(post['organization_id']),
    status: string(post['status']),
    location: location ? readLocation(location) : null,
    radius_meters: number(post['radius_meters']),
    created_at: string(post['created_at']),
    updated_at: string(post['updated_at']),
    photos: (listed ?? []).flatMap((p) => {
      const photo = object(p);
      return photo ? [readListedPhoto(photo)] : [];
    }),
    photo_ids: listed ? listedPhotoIds(listed) : null,
  };
}

function readLocation(location: JsonObject): PostLocation {
  return { latitude: number(location['latitude']), longitude: number(location['longitude']), address: string(location['address']) };
}

function readListedPhoto(photo: JsonObject): ListedPhoto {
  return {
    id: string(either(photo, 'id', 'photo_id')),
    post_id: string(photo['post_id']),
    url: string(either(photo, 'original_url', 'url')),
    thumbnail_url: string(photo['thumbnail_url']),
    filename: string(photo['filename']),
    file_size: number(photo['file_size']),
    mime_type: string(photo['mime_type']),
    width: number(photo['width']),
    height: number(photo['height']),
    order: number(photo['order']),
    created_at: string(photo['created_at']),
  };
}

/** Every entry's id, or null as soon as one entry has none: then no removal can be told from the list. */
function listedPhotoIds(listed: readonly unknown[]): string[] | null {
  const ids: string[] = [];
  for (const entry of listed) {
    const photo = object(entry);
    const id = photo ? either(photo, 'id', 'photo_id') : undefined;
    if (typeof id !== 'string' || id.length === 0) return null;
    ids.push(id);
  }
  return ids;
}

export function readPostOwner(user: JsonObject): PostOwner {
  const preferences = object(user['preferences']);
  const organization = object(user['organization']);
  const contactPolicy = object(user['contact_policy']);
  return {
    user_id: string(user['user_id']),
    display_name: string(user['display_name']),
    avatar_url: string(user['avatar_url']),
    preferences: preferences ? readPreferences(preferences) : null,
    organization: organization ? readOwnerOrganization(organization) : null,
    reputation_score: number(user['reputation_score']),
    verification_level: string(user['verification_level']),
    contact_policy: contactPolicy ? readContactPolicy(contactPolicy) : null,
  };
}

function readPreferences(preferences: JsonObject): OwnerPreferences {
  const channels = object(preferences['channel_preferences']);
  const list = preferences['notification_channels'];
  return {
    global_enabled: boolean(preferences['global_enabled']),
    timezone: string(preferences['timezone']),
    language: string(preferences['language']),
    channel_preferences: channels ? readChannelSwitches(channels) : null,
    notification_channels: Array.isArray(list) ? list.filter((c): c is string => typeof c === 'string') : null,
  };
}

function readChannelSwitches(channels: JsonObject): ChannelSwitches {
  const enabled = (channel: string) => boolean(object(channels[channel])?.['enabled']);
  return { email: enabled('email'), sms: enabled('sms'), whatsapp: enabled('whatsapp') };
}

function readOwnerOrganization(organization: JsonObject): OwnerOrganization {
  const settings = object(organization['settings']);
  return {
    organization_id: string(organization['organization_id']),
    name: string(organization['name']),
    role: string(organization['role']),
    settings: settings ? readOrganizationSettings(settings) : null,
  };
}

function readOrganizationSettings(settings: JsonObject): OrganizationSettings {
  const policy = object(settings['ai_enhancement_policy']);
  return {
    default_search_radius: number(settings['default_search_radius']),
    max_posts_per_user: number(settings['max_posts_per_user']),
    auto_expire_days: number(settings['auto_expire_days']),
    ai_enhancement_policy: policy ? readEnhancementPolicy(policy) : null,
  };
}

function readEnhancementPolicy(policy: JsonObject): EnhancementPolicySettings {
  return {
    auto_enhance: boolean(policy['auto_enhance']),
    quality_threshold: number(policy['quality_threshold']),
    notify_on_enhancement: boolean(policy['notify_on_enhancement']),
  };
}

function readContactPolicy(policy: JsonObject): ContactPolicy {
  return {
    auto_approve_verified: boolean(policy['auto_approve_verified']),
    require_verification: boolean(policy['require_verification']),
    preferred_contact_method: string(policy['preferred_contact_method']),
    max_requests_per_day: number(policy['max_requests_per_day']),
  };
}

export function readPostOrganization(organization: JsonObject): PostOrganization {
  const settings = object(organization['settings']);
  const contactPolicy = object(organization['contact_policy']);
  return {
    organization_id: string(either(organization, 'organization_id', 'id')),
    name: string(organization['name']),
    description: string(organization['description']),
    type: string(organization['type']),
    status: string(organization['status']),
    settings: settings ? readOrganizationSettings(settings) : null,
    contact_policy: contactPolicy ? readContactPolicy(contactPolicy) : null,
    created_at: string(organization['created_at']),
    updated_at: string(organization['updated_at']),
  };
}

/** What a manifest says about a post when it says nothing (a closed post, an event without a post). */
export function emptyPostDetails(): PostDetails {
  return {
    user_id: null,
    organization_id: null,
    status: null,
    location: null,
    radius_meters: null,
    created_at: null,
    updated_at: null,
    photos: [],
    photo_ids: null,
  };
}
