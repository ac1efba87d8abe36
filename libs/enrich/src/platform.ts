/**
 * Turns the post, owner and organization as the manifest carries them (typed by the fetcher's reader,
 * values as the platform sent them, known quirks included) into the shapes the platform contract
 * requires in post.enhanced: `Post`, `PrivacySafeUserExtended`, `OrganizationData`. The strict writer:
 * it copies only fields the contract names, applies the contract's rules (UUIDs, URIs, ranges, enums),
 * fixes known producer quirks (mime "jpeg", width 0), and never invents facts (no location, no user,
 * no title): when a required fact is missing it throws MEDIA_AI_BAD_EVENT so the post yields a
 * processing.error instead. It never reads the platform's JSON: that is read once, at the edge.
 */
import {
  MediaAiError,
  publishedPhotoUrl,
  type ContractContactSharingPolicy,
  type ContractOrganizationContext,
  type ContractOrganizationSettings,
  type ContractPhoto,
  type ContractPost,
  type ContactPolicy,
  type ContractUserPreferences,
  type ListedPhoto,
  type ManifestPhoto,
  type OrganizationData,
  type OrganizationSettings,
  type OwnerOrganization,
  type OwnerPreferences,
  type PostDetails,
  type PostOrganization,
  type PostOwner,
  type PrivacySafeUserExtended,
} from '@media-ai/contracts';

type Json = Record<string, unknown>;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME_RE = /^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(?:\.\d+)?(?:[Zz]|[+-]\d\d(?::?\d\d)?)$/;

export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID_RE.test(v);
export const isDateTime = (v: unknown): v is string => typeof v === 'string' && DATE_TIME_RE.test(v) && !Number.isNaN(Date.parse(v));
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const int = (v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : undefined;
const num = (v: unknown, min: number, max: number): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : undefined;
const oneOf = <T extends string>(v: unknown, allowed: readonly T[]): T | undefined =>
  typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : undefined;

export function isUri(v: unknown): v is string {
  if (typeof v !== 'string' || !/^[a-z][a-z0-9+.-]*:/i.test(v)) return false;
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
}

/** Drops undefined values so optional fields are absent rather than `undefined` in the JSON. */
function compact<T extends Json>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function badEvent(postId: string, what: string): never {
  throw new MediaAiError('MEDIA_AI_BAD_EVENT', `post ${postId}: ${what}; the platform contract requires it`, {
    details: { post_id: postId },
  });
}

export interface PostContext {
  postId: string;
  title: string | null;
  description: string | null;
  type: string | null;
  organizationId: string | null;
  /** ISO time the fetcher received the event: the fallback for missing created/updated times. */
  receivedAtIso: string;
  manifestPhotos: readonly ManifestPhoto[];
}

/** fn-posts writes the file format ("jpeg") where the contract expects a MIME type. */
function mimeType(v: unknown): string | undefined {
  const s = str(v)?.toLowerCase();
  if (!s) return undefined;
  if (s.includes('/')) return s;
  return `image/${s === 'jpg' ? 'jpeg' : s}`;
}

function normalizePhoto(photo: Pick<ListedPhoto, 'id' | 'url'> & Partial<ListedPhoto>, ctx: PostContext): ContractPhoto | null {
  const { id, url } = photo;
  if (!isUuid(id) || !isUri(url)) return null; // cannot be expressed in the contract; the manifest still lists it
  return compact({
    id,
    post_id: isUuid(photo.post_id) ? photo.post_id : ctx.postId,
    // An upload:// URL is a single-use reference to bytes this service holds: published only as a name.
    original_url: publishedPhotoUrl(url, id),
    thumbnail_url: isUri(photo.thumbnail_url) ? photo.thumbnail_url : undefined,
    filename: str(photo.filename),
    file_size: int(photo.file_size, 0),
    mime_type: mimeType(photo.mime_type),
    // fn-posts sends 0 for unknown dimensions; the contract's minimum is 1, so unknown means absent.
    width: int(photo.width, 1),
    height: int(photo.height, 1),
    order: int(photo.order, 1),
    created_at: isDateTime(photo.created_at) ? photo.created_at : ctx.receivedAtIso,
  } as ContractPhoto & Json);
}

/** The post as the contract's `Post`. Throws MEDIA_AI_BAD_EVENT when a required fact is missing. */
export function toContractPost(post: PostDetails, ownerUserId: string | null, ctx: PostContext): ContractPost {
  if (!isUuid(ctx.postId)) badEvent(ctx.postId, 'post id is not a UUID');
  const title = str(ctx.title);
  if (!title) badEvent(ctx.postId, 'no title');
  const type = oneOf(ctx.type, ['lost', 'found'] as const);
  if (!type) badEvent(ctx.postId, 'type is neither lost nor found');
  const latitude = num(post.location?.latitude, -90, 90);
  const longitude = num(post.location?.longitude, -180, 180);
  if (latitude === undefined || longitude === undefined) badEvent(ctx.postId, 'no location');
  const userId = str(post.user_id) ?? ownerUserId;
  if (!userId) badEvent(ctx.postId, 'no user id');
  const listed = post.photos.length > 0 ? post.photos : ctx.manifestPhotos.map((p) => ({ id: p.photo_id, url: p.url }));
  const photos = listed.map((p) => normalizePhoto(p, ctx)).filter((p): p is ContractPhoto => p !== null);
  const description = str(ctx.description);
  const organizationId = isUuid(post.organization_id) ? post.organization_id : isUuid(ctx.organizationId) ? ctx.organizationId : null;
  return compact({
    id: ctx.postId,
    title: clip(title, 200),
    description: description ? clip(description, 1000) : null,
    type,
    // Only active posts are sent for enrichment; a status outside the enum is read as active.
    status: oneOf(post.status, ['active', 'resolved', 'expired', 'deleted'] as const) ?? 'active',
    location: compact({ latitude, longitude, address: str(post.location?.address) }),
    radius_meters: int(post.radius_meters, 100, 50_000),
    photos,
    user_id: userId,
    organization_id: organizationId,
    created_at: isDateTime(post.created_at) ? post.created_at : ctx.receivedAtIso,
    updated_at: isDateTime(post.updated_at) ? post.updated_at : ctx.receivedAtIso,
  } as ContractPost & Json);
}

function normalizeContactPolicy(policy: ContactPolicy | null): ContractContactSharingPolicy | undefined {
  if (!policy) return undefined;
  return compact({
    auto_approve_verified: bool(policy.auto_approve_verified),
    require_verification: bool(policy.require_verification),
    preferred_contact_method: oneOf(policy.preferred_contact_method, ['email', 'phone', 'platform'] as const),
    max_requests_per_day: int(policy.max_requests_per_day, 0),
  } as ContractContactSharingPolicy & Json);
}

export function normalizeOrganizationSettings(settings: OrganizationSettings | null): ContractOrganizationSettings | undefined {
  if (!settings) return undefined;
  const policy = settings.ai_enhancement_policy;
  return compact({
    default_search_radius: int(settings.default_search_radius, 100, 50_000),
    max_posts_per_user: int(settings.max_posts_per_user, 1),
    auto_expire_days: int(settings.auto_expire_days, 1),
    ai_enhancement_policy: policy
      ? compact({
          auto_enhance: bool(policy.auto_enhance),
          quality_threshold: num(policy.quality_threshold, 0, 1),
          notify_on_enhancement: bool(policy.notify_on_enhancement),
        })
      : undefined,
  } as ContractOrganizationSettings & Json);
}

function normalizeOrgContext(organization: OwnerOrganization | null): ContractOrganizationContext | undefined {
  if (!organization) return undefined;
  const id = organization.organization_id;
  const name = str(organization.name);
  const role = oneOf(organization.role, ['admin', 'staff', 'viewer'] as const);
  if (!isUuid(id) || !name || !role) return undefined;
  return compact({
    organization_id: id,
    name,
    role,
    settings: normalizeOrganizationSettings(organization.settings),
  } as ContractOrganizationContext & Json);
}

const CHANNELS = ['email', 'sms', 'whatsapp'] as const;

function channelPreferences(prefs: OwnerPreferences | null): ContractUserPreferences['channel_preferences'] {
  const out: ContractUserPreferences['channel_preferences'] = {};
  const explicit = prefs?.channel_preferences;
  for (const channel of CHANNELS) {
    const enabled = explicit?.[channel];
    if (typeof enabled === 'boolean') out[channel] = { enabled };
  }
  // fn-posts sends a flat list of enabled channels instead; "push" has no place in the contract.
  const list = prefs?.notification_channels;
  if (Object.keys(out).length === 0 && list) {
    for (const channel of CHANNELS) if (list.includes(channel)) out[channel] = { enabled: true };
  }
  return out;
}

/**
 * The owner as `PrivacySafeUserExtended` (closed, no PII). Missing optional facts take the platform's
 * neutral defaults (UTC, en, unverified); a missing display name becomes "User <first 8 of id>", the
 * same placeholder fn-posts itself writes, never a real name.
 */
export function toContractOwner(owner: PostOwner | null, postUserId: string): PrivacySafeUserExtended {
  const userId = str(owner?.user_id) ?? postUserId; // fn-posts serialises user_id as {} at times
  const prefs = owner?.preferences ?? null;
  const channels = channelPreferences(prefs);
  const avatar = owner?.avatar_url;
  return compact({
    user_id: clip(userId, 255),
    display_name: str(owner?.display_name) ?? `User ${userId.slice(0, 8)}`,
    avatar_url: isUri(avatar) ? avatar : undefined,
    preferences: {
      user_id: clip(userId, 255),
      global_enabled: bool(prefs?.global_enabled) ?? Object.values(channels).some((c) => c?.enabled),
      timezone: str(prefs?.timezone) ?? 'UTC',
      language: oneOf(prefs?.language, ['en', 'es'] as const) ?? 'en',
      channel_preferences: channels,
    },
    organization: normalizeOrgContext(owner?.organization ?? null),
    reputation_score: num(owner?.reputation_score, 0, 5),
    verification_level:
      oneOf(owner?.verification_level, ['unverified', 'email_verified', 'phone_verified', 'fully_verified'] as const) ?? 'unverified',
    contact_policy: normalizeContactPolicy(owner?.contact_policy ?? null),
  } as PrivacySafeUserExtended & Json);
}

/** The organization as `OrganizationData`, or null when it lacks what the contract requires. */
export function toContractOrganization(organization: PostOrganization | null): OrganizationData | null {
  if (!organization) return null;
  const id = organization.organization_id;
  const name = str(organization.name);
  const status = oneOf(organization.status, ['active', 'suspended', 'deactivated'] as const);
  const created = organization.created_at;
  const updated = organization.updated_at;
  // Optional in the event: publishing null beats inventing a status or dates.
  if (!isUuid(id) || !name || !status || !isDateTime(created) || !isDateTime(updated)) return null;
  return compact({
    organization_id: id,
    name,
    description: str(organization.description),
    type: str(organization.type),
    status,
    settings: normalizeOrganizationSettings(organization.settings),
    contact_policy: normalizeContactPolicy(organization.contact_policy),
    created_at: created,
    updated_at: updated,
  } as OrganizationData & Json);
}
