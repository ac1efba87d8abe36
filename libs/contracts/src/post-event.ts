/**
 * Tolerant reader of `posts.events`: one PostEvent out of every envelope the platform is known to
 * produce — fn-posts' wire form (`payload`, `event_version`, ids serialised as `{}` by Go), the
 * fn-contract form (`data`, integer `version`), and the docs' form (`event_id`, `version: "1.0"`,
 * flat `data.post_id`, `photos[].photo_id/url/display_order`). See reference/platform-contracts.md §1.
 * It must never invent data: a field it cannot read is null (and noted in `warnings` where something
 * is lost), and an event it cannot read at all (no object, no post id, no event type) is a
 * MEDIA_AI_BAD_EVENT, so the runner dead-letters it instead of retrying forever.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { MediaAiError } from './errors.js';
import { readPostDetails, readPostOrganization, readPostOwner } from './post-context.js';
import type { PostDetails, PostOrganization, PostOwner, TenantAiPolicy } from './records.js';

/** The event types that change a post's enrichment; everything else on the topic is counted and skipped. */
export const RELEVANT_EVENT_TYPES = [
  'post.created',
  'post.photo.added',
  'post.photo.removed',
  'post.updated',
  'post.resolved',
  'post.deleted',
] as const;
export type RelevantEventType = (typeof RELEVANT_EVENT_TYPES)[number];

export function isRelevantEventType(eventType: unknown): eventType is RelevantEventType {
  return typeof eventType === 'string' && (RELEVANT_EVENT_TYPES as readonly string[]).includes(eventType);
}

export interface PostEventPhoto {
  id: string;
  /** `original_url`, else `url` (the docs' and README's name). */
  url: string;
  /** 1-based display order (`order`, else `display_order`, else position in the list). */
  order: number;
}

export interface PostEventPost {
  id: string;
  title: string | null;
  description: string | null;
  /** `lost` | `found` as sent (`type`, else the docs' `post_type`). */
  type: string | null;
  status: string | null;
  /** Sorted by `order`; photos without a URL are left out (see `warnings`). */
  photos: PostEventPhoto[];
}

type JsonObject = Record<string, unknown>;

export interface PostEvent {
  /** `id`, else `event_id`; when both are missing, a UUID derived from the event's content, so a replay gets the same id. */
  eventId: string;
  eventType: string;
  /** Major version: `event_version` or `version`, integer or "1.0"; 1 when absent. */
  eventVersion: number;
  /** Epoch ms; Go's nanoseconds and Python's microseconds are truncated. Null when absent or unreadable. */
  timestamp: number | null;
  correlationId: string | null;
  postId: string;
  userId: string | null;
  organizationId: string | null;
  post: PostEventPost;
  /** The photo a `post.photo.added` / `post.photo.removed` event is about. */
  photo: PostEventPhoto | null;
  /** `post.updated`: the changed fields with their new values. */
  changes: JsonObject | null;
  /** `post.updated`: the changed fields' values before the change (fn-posts sends the same keys as `changes`). */
  previous: JsonObject | null;
  /** `organization.settings.ai_enhancement_policy`; null when the tenant has none. */
  aiPolicy: TenantAiPolicy | null;
  /** `triggers.ai_processing` or `ai_processing_trigger`; true when the producer says nothing. */
  aiProcessingRequested: boolean;
  /**
   * Whether the tenant lets the post's photos go to a third-party AI service: no with
   * `settings.ai_processing: false` or `settings.ai_enhancement_policy.third_party_ai: false` on the
   * organization or the owner's organization_context (anything there that does not read as yes is a
   * no: privacy wins). The platform has no such setting yet, so absent means yes.
   */
  thirdPartyAiAllowed: boolean;
  /**
   * The post, owner and organization as post.enhanced republishes them (original_post, post_owner,
   * organization), typed (post-context.ts). Ids the Go producer serialised as `{}` are replaced by the
   * ids read above; nothing else is changed or added.
   */
  details: PostDetails;
  owner: PostOwner | null;
  organization: PostOrganization | null;
  /** What the reader had to smooth over and lost doing so (for logs; never personal data). */
  warnings: string[];
}

// --- Field readers (zod): every field is optional and a wrong type reads as null -------------

/** Ids and short strings: strings (trimmed, non-empty) or numbers; `{}` (Go value objects) and the rest read as null. */
const Text = z
  .union([z.string().trim().min(1), z.number().finite().transform(String)])
  .nullable()
  .catch(null);
const Obj = z
  .record(z.string(), z.unknown())
  .refine((v) => !Array.isArray(v))
  .nullable()
  .catch(null);
/** fn-posts `event_version: 1`, contract `version: 1`, docs `version: "1.0"`. */
const MajorVersion = z
  .union([
    z.number().int().positive(),
    z
      .string()
      .trim()
      .regex(/^\d+(\.\d+)*$/)
      .transform((v) => Number.parseInt(v, 10)),
  ])
  .pipe(z.number().int().positive())
  .nullable()
  .catch(null);
const Bool = z
  .union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])
  .nullable()
  .catch(null);
const Order = z
  .union([
    z.number().int(),
    z
      .string()
      .trim()
      .regex(/^-?\d+$/)
      .transform(Number),
  ])
  .nullable()
  .catch(null);
const Threshold = z
  .union([
    z.number(),
    z
      .string()
      .trim()
      .regex(/^\d*\.?\d+$/)
      .transform(Number),
  ])
  .pipe(z.number().min(0).max(1))
  .nullable()
  .catch(null);

const Envelope = z.object({
  id: Text,
  event_id: Text,
  event_type: Text,
  event_version: MajorVersion,
  version: MajorVersion,
  correlation_id: Text,
  aggregate_id: Text,
  aggregate_type: Text,
  post_id: Text,
  user_id: Text,
  tenant_id: Text,
  metadata: Obj,
});

const PhotoFields = z.object({
  id: Text,
  photo_id: Text,
  original_url: Text,
  url: Text,
  order: Order,
  display_order: Order,
});

// --- Public API --------------------------------------------------------------------------------

/** The event type of a raw event, or null: lets a consumer skip irrelevant events before reading them. */
export function peekEventType(raw: unknown): string | null {
  const envelope = asObject(unwrapJsonText(raw));
  if (!envelope) return null;
  return normalizeEventType(Text.parse(envelope['event_type']));
}

export function readPostEvent(raw: unknown): PostEvent {
  const envelopeObject = asObject(unwrapJsonText(raw));
  if (!envelopeObject) throw badEvent(`expected a JSON object, got ${describe(raw)}`);
  const envelope = Envelope.parse(envelopeObject);
  const warnings: string[] = [];

  const eventType = normalizeEventType(envelope.event_type);
  if (!eventType) throw badEvent('no event_type');

  // fn-posts: `payload`; contract and docs: `data`. A producer that double-encodes sends it as JSON text.
  const body = asObject(unwrapJsonText(envelopeObject['payload'])) ?? asObject(unwrapJsonText(envelopeObject['data'])) ?? {};
  const nestedPost = asObject(body['post']);
  // The docs' form has no `post` object: the post's fields sit directly in `data`.
  const postSource = nestedPost ?? (looksLikeFlatPost(body) ? body : {});
  const post = Obj.parse(postSource) ?? {};
  const user = Obj.parse(body['user']);
  const organization = Obj.parse(body['organization']);
  const organizationContext = user ? Obj.parse(user['organization_context']) : null;

  // Never the top-level post_id first: fn-posts writes it as `{}`. aggregate_id is the post id
  // only for Post aggregates (contact-exchange events use the request id).
  const aggregateIsPost = !envelope.aggregate_type || envelope.aggregate_type.toLowerCase() === 'post';
  const postId =
    Text.parse(post['id']) ?? Text.parse(post['post_id']) ?? (aggregateIsPost ? envelope.aggregate_id : null) ?? envelope.post_id;
  if (!postId) throw badEvent(`${eventType}: no post id (payload.post.id, data.post_id, aggregate_id or post_id)`);

  const userId =
    Text.parse(post['user_id']) ??
    (user ? Text.parse(user['user_id']) : null) ??
    Text.parse(body['user_id']) ??
    envelope.user_id ??
    (envelope.metadata ? Text.parse(envelope.metadata['user_id']) : null);
  const organizationId =
    Text.parse(post['organization_id']) ??
    (organization ? Text.parse(organization['organization_id']) : null) ??
    (organizationContext ? Text.parse(organizationContext['organization_id']) : null) ??
    Text.parse(body['organization_id']) ??
    envelope.tenant_id ??
    (envelope.metadata ? Text.parse(envelope.metadata['tenant_id']) : null);

  const eventId = envelope.id ?? envelope.event_id ?? contentDerivedId(envelopeObject);
  if (!envelope.id && !envelope.event_id) warnings.push('no event id: derived one from the event content');

  const timestamp = parseTimestamp(envelopeObject['timestamp']);
  if (timestamp === null && envelopeObject['timestamp'] !== undefined) warnings.push('timestamp unreadable');

  const photos = readPhotos(post['photos'], postId, warnings);
  const photoRaw = body['photo'];
  const photo = photoRaw === undefined || photoRaw === null ? null : readPhoto(photoRaw, 0, postId, warnings, 'photo');

  const triggers = Obj.parse(body['triggers']);
  const aiProcessingRequested =
    (triggers ? Bool.parse(triggers['ai_processing']) : null) ?? Bool.parse(body['ai_processing_trigger']) ?? true;

  const ids = { postId, userId, organizationId };
  // Copies with the `{}` ids repaired: what the typed readers read.
  const repairedPost = repairIds(copyJson(post) ?? {}, {
    id: ids.postId,
    post_id: ids.postId,
    user_id: ids.userId,
    organization_id: ids.organizationId,
  });
  const repairedUser = user ? repairIds(copyJson(user) ?? {}, { user_id: ids.userId }) : null;
  const repairedOrganization = organization ? repairIds(copyJson(organization) ?? {}, { organization_id: ids.organizationId }) : null;
  return {
    eventId,
    eventType,
    eventVersion: envelope.event_version ?? envelope.version ?? 1,
    timestamp,
    correlationId: envelope.correlation_id ?? (envelope.metadata ? Text.parse(envelope.metadata['correlation_id']) : null),
    postId,
    userId,
    organizationId,
    post: {
      id: postId,
      title: Text.parse(post['title']),
      description: Text.parse(post['description']),
      type: Text.parse(post['type']) ?? Text.parse(post['post_type']),
      status: Text.parse(post['status']),
      photos,
    },
    photo,
    changes: copyJson(Obj.parse(body['changes'])),
    previous: copyJson(Obj.parse(body['previous'])),
    aiPolicy: readAiPolicy(organization ?? (organizationContext ? { settings: organizationContext['settings'] } : null), warnings),
    aiProcessingRequested,
    thirdPartyAiAllowed: thirdPartyAiAllowed(organization, organizationContext),
    details: readPostDetails(repairedPost),
    owner: repairedUser ? readPostOwner(repairedUser) : null,
    organization: repairedOrganization ? readPostOrganization(repairedOrganization) : null,
    warnings,
  };
}

// --- Helpers -------------------------------------------------------------------------------------

function badEvent(reason: string): MediaAiError {
  return new MediaAiError('MEDIA_AI_BAD_EVENT', `Unreadable posts.events record: ${reason}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

function asObject(value: unknown): JsonObject | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : null;
}

/** A JSON object sent as JSON text (double-encoded) is read as the object; anything else is left as is. */
function unwrapJsonText(value: unknown): unknown {
  if (typeof value !== 'string' || !value.trimStart().startsWith('{')) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function normalizeEventType(value: string | null): string | null {
  const normalized = value?.trim().toLowerCase();
  return normalized ? normalized : null;
}

function looksLikeFlatPost(body: JsonObject): boolean {
  return 'post_id' in body || 'photos' in body || 'title' in body;
}

function readPhotos(value: unknown, postId: string, warnings: string[]): PostEventPhoto[] {
  // Go's omitempty drops an empty list, so "absent" is simply "no photos".
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    warnings.push('post.photos is not a list: ignored');
    return [];
  }
  const seen = new Set<string>();
  const photos: PostEventPhoto[] = [];
  value.forEach((raw, index) => {
    const photo = readPhoto(raw, index, postId, warnings, `post.photos[${index}]`);
    if (!photo) return;
    if (seen.has(photo.id)) {
      warnings.push(`post.photos[${index}]: duplicate photo id, skipped`);
      return;
    }
    seen.add(photo.id);
    photos.push(photo);
  });
  // Array.prototype.sort is stable, so equal orders keep the producer's sequence.
  return photos.sort((a, b) => a.order - b.order);
}

function readPhoto(raw: unknown, index: number, postId: string, warnings: string[], where: string): PostEventPhoto | null {
  const object = asObject(raw);
  if (!object) {
    warnings.push(`${where}: not an object, skipped`);
    return null;
  }
  const fields = PhotoFields.parse(object);
  const url = fields.original_url ?? fields.url;
  if (!url) {
    warnings.push(`${where}: no original_url or url, skipped`);
    return null;
  }
  let id = fields.id ?? fields.photo_id;
  if (!id) {
    // Same post and URL -> same id on every replay, so the aggregator's join still matches.
    id = uuidV5(`${postId}\n${url}`);
    warnings.push(`${where}: no photo id, derived one from the URL`);
  }
  return { id, url, order: fields.order ?? fields.display_order ?? index + 1 };
}

function readAiPolicy(organization: JsonObject | null, warnings: string[]): TenantAiPolicy | null {
  const settings = organization ? Obj.parse(organization['settings']) : null;
  const policy = settings ? Obj.parse(settings['ai_enhancement_policy']) : null;
  if (!policy) return null;
  const autoEnhance = Bool.parse(policy['auto_enhance']);
  const threshold = Threshold.parse(policy['quality_threshold']);
  if (autoEnhance === null && policy['auto_enhance'] !== undefined) warnings.push('ai_enhancement_policy.auto_enhance unreadable');
  if (threshold === null && policy['quality_threshold'] !== undefined) warnings.push('ai_enhancement_policy.quality_threshold unreadable');
  return {
    // The platform's default policy auto-enhances; a tenant that says no is honoured even when
    // the threshold is missing.
    auto_enhance: autoEnhance ?? true,
    // The policy only narrows the tiers, so 0 ("no extra bar") is the neutral reading of a missing threshold.
    quality_threshold: threshold ?? 0,
  };
}

function thirdPartyAiAllowed(organization: JsonObject | null, organizationContext: JsonObject | null): boolean {
  for (const settings of [Obj.parse(organization?.['settings']), Obj.parse(organizationContext?.['settings'])]) {
    if (!settings) continue;
    const policy = Obj.parse(settings['ai_enhancement_policy']);
    if (saysNo(settings['ai_processing']) || saysNo(policy?.['third_party_ai'])) return false;
  }
  return true;
}

/** A setting that is there but does not read as yes (false, "false", "off", 0, a typo) is a no: privacy wins. */
function saysNo(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  return !(value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true'));
}

/**
 * RFC 3339 with any number of fraction digits (Go writes nanoseconds, Python microseconds, both
 * beyond what Date parses reliably), a `Z` or a numeric offset; no zone is read as UTC.
 * Numbers are epoch seconds, ms, µs or ns by magnitude.
 */
const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2})(:\d{2})?(?:[.,](\d+))?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

export function parseTimestamp(value: unknown): number | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return null;
    if (value < 1e11) return Math.round(value * 1000);
    if (value < 1e14) return Math.round(value);
    if (value < 1e17) return Math.round(value / 1000);
    return Math.round(value / 1e6);
  }
  if (typeof value !== 'string') return null;
  const m = RFC3339.exec(value.trim());
  if (!m) return null;
  const [, date, hm, seconds, fraction, zone] = m;
  const ms = fraction ? `.${fraction.slice(0, 3).padEnd(3, '0')}` : '';
  let offset = zone ?? 'Z';
  if (/^[+-]\d{2}$/.test(offset)) offset = `${offset}:00`;
  else if (/^[+-]\d{4}$/.test(offset)) offset = `${offset.slice(0, 3)}:${offset.slice(3)}`;
  const parsed = Date.parse(`${date}T${hm}${seconds ?? ':00'}${ms}${offset.toUpperCase()}`);
  return Number.isFinite(parsed) ? parsed : null;
}

function copyJson(value: JsonObject | null): JsonObject | null {
  if (!value) return null;
  try {
    return JSON.parse(JSON.stringify(value)) as JsonObject;
  } catch (error) {
    // The engine's own message ("Maximum call stack size exceeded") says nothing to the producer
    // and would travel into dead-letter headers and API answers.
    const reason = error instanceof RangeError ? 'nested too deeply' : 'not JSON data';
    throw new MediaAiError('MEDIA_AI_BAD_EVENT', `Unreadable posts.events record: ${reason}`, { cause: error });
  }
}

/** Replaces ids that are present but not strings (Go's `{}`) with the ids read from elsewhere. */
function repairIds(object: JsonObject, ids: Record<string, string | null>): JsonObject {
  for (const [key, id] of Object.entries(ids)) {
    if (id !== null && key in object && typeof object[key] !== 'string') object[key] = id;
  }
  return object;
}

/** RFC 4122 name-based UUID (version 5, SHA-1) in a namespace of our own. */
const MEDIA_AI_NAMESPACE = Buffer.from('8d3f1c52b6e44f0a9a2e7c51d0b3e6a4', 'hex');

function uuidV5(name: string): string {
  const hash = createHash('sha1').update(MEDIA_AI_NAMESPACE).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function contentDerivedId(envelope: JsonObject): string {
  let text: string;
  try {
    text = JSON.stringify(envelope);
  } catch (error) {
    throw new MediaAiError('MEDIA_AI_BAD_EVENT', 'Unreadable posts.events record: not JSON data', { cause: error });
  }
  return uuidV5(`event\n${text}`);
}
