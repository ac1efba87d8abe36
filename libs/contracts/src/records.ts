/**
 * Records on the internal topics. Field names are snake_case because they are the Avro field
 * names in schemas/*.avsc (one source of truth on the wire; these types mirror them exactly).
 * Nullable Avro unions are `T | null` here, never optional, so a record always carries every field.
 */

/** Normalized box, 0..1 relative to the normalized photo (x,y = top-left corner). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface TenantAiPolicy {
  auto_enhance: boolean;
  quality_threshold: number;
}

export type PhotoStatus = 'ok' | 'failed';

/** One photo of a post as the fetcher saw it. */
export interface ManifestPhoto {
  photo_id: string;
  url: string;
  status: PhotoStatus;
  sha256: string | null;
  error_code: string | null;
  error_message: string | null;
  /**
   * Dominant colours the fetcher measured on the normalized photo (empty for a failed photo). They
   * travel in the manifest because the aggregator joins only the manifest and the analysis parts,
   * never media-ai.photos: without them post.enhanced could only name colours, not measure them.
   */
  colors: NamedColor[];
}

/** media-ai.posts: what the aggregator must wait for, and the context it publishes with. */
export interface PostManifest {
  post_id: string;
  /** Increments on every lifecycle event that changes the enrichment (event id + revision = enrichment id). */
  revision: number;
  event_id: string;
  event_type: string;
  correlation_id: string | null;
  /** Epoch ms when the fetcher received the event; processing time is measured from here. */
  received_at: number;
  /** Epoch ms after which the aggregator publishes with what it has. */
  deadline_at: number;
  post_title: string | null;
  post_description: string | null;
  post_type: string | null;
  organization_id: string | null;
  ai_policy: TenantAiPolicy | null;
  /**
   * The post, owner and organization as they arrived (JSON). Written by v1/v2 fetchers only, and read
   * only to bring such a manifest to its current form (currentManifest): since v3 the fetcher writes
   * '{}' and null and the typed fields below carry what is needed.
   */
  original_post_json: string;
  post_owner_json: string | null;
  organization_json: string | null;
  photos: ManifestPhoto[];
  /** Analysis stages this post waits for (an 'off' stage, e.g. llm without a key, is not listed). */
  expected_stages: string[];
  /** post.photo.removed: the photos the post lost (empty for every other event). */
  removed_photo_ids: string[];
  /**
   * v2: per analysis stage, the revision from which its answers are current. A part made for an
   * earlier revision is never reused for this one (the join store carries it over no more): a
   * post.updated that changed the title or description sets `{ llm: <its revision> }`, because the
   * llm reads the post text; later revisions of the post keep the entry. On the wire it is always
   * present (Avro default {} for v1 data); optional here like third_party_ai, absent meaning {}.
   */
  stale_before?: Record<string, number>;
  /**
   * v3: the post's own facts post.enhanced republishes (owner id, organization id, status, location,
   * times, the photos it lists), as the fetcher read them. Null on the wire only in records written
   * before v3; currentManifest fills it from original_post_json, so code past the codec always has it.
   */
  post_details: PostDetails;
  /** v3: the post's owner as the fetcher read it; null when the event had no user. */
  post_owner: PostOwner | null;
  /** v3: the post's organization as the fetcher read it; null when the event had none. */
  post_organization: PostOrganization | null;
  /**
   * v4: the identifiers the post's own title and description name (serial, IMEI, document or card
   * number), as keyed hashes; post_title and post_description carry them masked. On the wire it is
   * always present (Avro default [] for v1..v3 data); optional here like stale_before, absent meaning [].
   */
  post_identifiers?: HashedIdentifier[];
}

// --- v3: the post, owner and organization, typed --------------------------------------------------
// What the fetcher's reader (post-event.ts) read from the event, kept as sent: a value of the wrong type
// reads as null, nothing else is changed. The contract's rules (UUIDs, URIs, ranges, enums, defaults)
// are applied when post.enhanced is written (libs/enrich platform.ts), not here.

export interface PostDetails {
  user_id: string | null;
  organization_id: string | null;
  status: string | null;
  location: PostLocation | null;
  radius_meters: number | null;
  created_at: string | null;
  updated_at: string | null;
  /** The photos the post lists (its objects, in its order; empty when it lists none). */
  photos: ListedPhoto[];
  /**
   * The ids of the photos the post lists; null when it sent no list or an entry without an id, so a
   * removal cannot be told from it.
   */
  photo_ids: string[] | null;
}

export interface PostLocation {
  latitude: number | null;
  longitude: number | null;
  address: string | null;
}

export interface ListedPhoto {
  /** `id`, else `photo_id`. */
  id: string | null;
  post_id: string | null;
  /** `original_url`, else `url`. */
  url: string | null;
  thumbnail_url: string | null;
  filename: string | null;
  file_size: number | null;
  mime_type: string | null;
  width: number | null;
  height: number | null;
  order: number | null;
  created_at: string | null;
}

export interface PostOwner {
  user_id: string | null;
  display_name: string | null;
  avatar_url: string | null;
  preferences: OwnerPreferences | null;
  organization: OwnerOrganization | null;
  reputation_score: number | null;
  verification_level: string | null;
  contact_policy: ContactPolicy | null;
}

export interface OwnerPreferences {
  global_enabled: boolean | null;
  timezone: string | null;
  language: string | null;
  /** `channel_preferences.<channel>.enabled`; null when the producer sent no such object. */
  channel_preferences: ChannelSwitches | null;
  /** fn-posts' flat list of enabled channels (its strings); null when absent. */
  notification_channels: string[] | null;
}

export interface ChannelSwitches {
  email: boolean | null;
  sms: boolean | null;
  whatsapp: boolean | null;
}

export interface OwnerOrganization {
  organization_id: string | null;
  name: string | null;
  role: string | null;
  settings: OrganizationSettings | null;
}

export interface OrganizationSettings {
  default_search_radius: number | null;
  max_posts_per_user: number | null;
  auto_expire_days: number | null;
  ai_enhancement_policy: EnhancementPolicySettings | null;
}

export interface EnhancementPolicySettings {
  auto_enhance: boolean | null;
  quality_threshold: number | null;
  notify_on_enhancement: boolean | null;
}

export interface ContactPolicy {
  auto_approve_verified: boolean | null;
  require_verification: boolean | null;
  preferred_contact_method: string | null;
  max_requests_per_day: number | null;
}

export interface PostOrganization {
  /** `organization_id`, else `id`. */
  organization_id: string | null;
  name: string | null;
  description: string | null;
  type: string | null;
  status: string | null;
  settings: OrganizationSettings | null;
  contact_policy: ContactPolicy | null;
  created_at: string | null;
  updated_at: string | null;
}

export interface NamedColor {
  name: string;
  hex: string;
  /** Share of the photo's pixels, 0..1. */
  share: number;
}

/** media-ai.photos: one normalized photo, by reference (blob key), never by bytes. */
export interface PhotoRecord {
  post_id: string;
  photo_id: string;
  revision: number;
  sha256: string;
  blob_key: string;
  content_type: string;
  width: number;
  height: number;
  original_width: number;
  original_height: number;
  byte_length: number;
  colors: NamedColor[];
  post_title: string | null;
  post_description: string | null;
  post_type: string | null;
  correlation_id: string | null;
  /**
   * v2: whether the tenant lets this photo go to a third-party AI service (the llm stage). On the
   * wire it is always present (Avro default true for v1 data). Optional here only so producers that
   * predate it still compile; absent means true, and only an explicit false keeps the photo local.
   */
  third_party_ai?: boolean;
  /**
   * v3: stages asked to answer this photo anew, not from their result cache, because the post changed
   * in a way their answer depends on (post.updated with a new title or description: `['llm']`). The
   * fresh answer may be cached. Stages not listed answer as always (their cached answer for the image
   * is as good as before). On the wire it is always present (Avro default [] for v1/v2 data).
   */
  reasked_stages?: string[];
  /**
   * v4: the faces the fetcher found on the normalized photo, found once there so no stage looks
   * again. The stored photo keeps them; every image that leaves the process (llm request, annotated
   * copy, anything the API serves) is blurred with these boxes. null or absent: nobody looked (a
   * fetcher without its face model, or data written before v4), and such a photo must not leave the
   * process at all. [] : looked, none found.
   */
  faces?: FaceRecord[] | null;
}

/** A face (a person's, or a portrait printed on a document) on a normalized photo. */
export interface FaceRecord {
  confidence: number;
  box: Box;
  /**
   * v5: the six landmarks the model placed, normalized like the box, in its order:
   * right eye, left eye, nose tip, mouth centre, right ear, left ear (the subject's). They say which
   * way is up and how far the face is turned, which the box does not. On the wire always present
   * (Avro default null for v4 data); null or absent: none known, the release blurs around the box.
   */
  keypoints?: FacePoint[] | null;
}

/** A point normalized to the photo (0..1; a landmark may lie just outside, e.g. an ear past the edge). */
export interface FacePoint {
  x: number;
  y: number;
}

/** Fields every per-photo analysis result carries. */
export interface PartResultBase {
  post_id: string;
  photo_id: string;
  revision: number;
  sha256: string;
  status: PhotoStatus;
  error_code: string | null;
  error_message: string | null;
  /** e.g. { yolox: 'megvii/yolox-nano:0.1.1rc0' } */
  model_versions: Record<string, string>;
  duration_ms: number;
}

export interface DetectedObjectRecord {
  label: string;
  confidence: number;
  box: Box;
  model: string;
  /**
   * v2: the item's own colours, measured inside its box against its surroundings (largest share of the
   * item first; share = of the item's pixels), then its accent colours (small regions of another colour
   * inside the item, detector r8; share = of the item's pixels). On the wire always present (Avro default [] for v1 data);
   * optional here only so producers that predate it still compile. Absent or []: not measured.
   */
  colors?: NamedColor[];
}

export interface ClassificationRecord {
  /** Raw model label (ImageNet class name). */
  label: string;
  /** Lost-and-found item category it maps to (wallet, backpack, phone, ...), null when none. */
  item: string | null;
  confidence: number;
  model: string;
}

/** The photo's salient object: where the item is when no detector box names it (detections v3). */
export interface SalientObjectRecord {
  box: Box;
  /** Largest share of the object's pixels first, then its accent colours (detector r8). */
  colors: NamedColor[];
}

/** media-ai.detections */
export interface DetectionsRecord extends PartResultBase {
  objects: DetectedObjectRecord[];
  classifications: ClassificationRecord[];
  /**
   * v3: measured when the classifier ran, for an item no detection box matches (a pen, a
   * passport); null when not measured or nothing separated from the photo's border. On the wire always
   * present (Avro default null); optional here only so producers that predate it still compile.
   */
  salient_object?: SalientObjectRecord | null;
  /**
   * v4: the photo's visual fingerprint, for matching lost and found posts. On the wire always present
   * (Avro default null for v1-v3 data); optional here only so producers that predate it still compile.
   * null or absent: not computed (no classifier model, or older data).
   */
  fingerprint?: PhotoFingerprint | null;
}

/** What a matcher compares between photos (media-ai.detections v4, v5 the colour histogram; published in post.enhanced data.fingerprints). */
export interface PhotoFingerprint {
  /** Embedding model id and version: embeddings of different models never compare. */
  model: string;
  /** 64-bit perceptual hash of the whole photo, 16 hex digits (near in Hamming distance = the same picture). */
  perceptual_hash: string;
  /** The main item's crop first, then the whole photo. */
  items: ItemEmbedding[];
}

export interface ItemEmbedding {
  /** The detected object's label, 'salient_object' for the photo's salient object (no detected object qualified); null for the whole photo. */
  label: string | null;
  /** Normalized box of the item; null = the whole photo. */
  box: Box | null;
  /** Base64 of the L2-normalised vector as int8 (value × 127, rounded). */
  embedding: string;
  /**
   * v5: the item's colour histogram (CIELAB: 4 grey lightness bins, then 12 hue bins dark, 12 light),
   * each bin × 255 as two hex digits; null for the whole photo and for v4 data. Optional here only so
   * producers that predate it still compile.
   */
  color_histogram?: string | null;
}

export interface TextLineRecord {
  /** Already redacted. */
  text: string;
  confidence: number;
  box: Box | null;
}

/**
 * A raw identifier (serial number, IMEI) as v1 texts records carried it in `sensitive_identifiers`.
 * Since texts v2 nothing writes one (the field is written empty): identifiers travel as HashedIdentifier.
 */
export interface SensitiveIdentifier {
  /** 'serial_number' | 'imei' */
  kind: string;
  value: string;
}

/**
 * An identifier (serial number, IMEI, document or card number) as it may leave the stage that read
 * it: a keyed hash (HMAC-SHA256 over `kind:normalised value` with MEDIA_AI_IDENTIFIER_KEY), its kind
 * and at most its last four characters. A lost post naming an identifier and a found photo showing it
 * carry the same hash. The one type for it, on media-ai.texts, media-ai.posts and in post.enhanced.
 */
export interface HashedIdentifier {
  /** 'serial_number' | 'imei' | 'document_number' | 'card_number' */
  kind: string;
  /** Hex HMAC-SHA256. */
  hash: string;
  /** At most the last four characters of the normalised value. */
  last4: string;
}

/** The document a photo's text is (libs/privacy recogniseDocument): a taxonomy item, how sure, and why. */
export interface RecognisedDocumentRecord {
  /** A document type: an item tag of the taxonomy (passport, payment card, luggage tag, ...). */
  type: string;
  /** 0..1. */
  confidence: number;
  /** Printed phrases and model words that decided; never a personal value. */
  evidence: string[];
}

/** media-ai.texts */
export interface TextsRecord extends PartResultBase {
  lines: TextLineRecord[];
  /** Redacted full text. */
  text: string;
  confidence: number;
  /** Kinds of personal data removed (email, phone, card_number, ...), for the summary. */
  redacted_kinds: string[];
  /** v1 only: raw serial numbers / IMEIs. Since v2 always written empty (identifiers has them, hashed). */
  sensitive_identifiers: SensitiveIdentifier[];
  rotation: number;
  /** v2: the identifiers read on the photo, as keyed hashes ([] in v1 data). */
  identifiers: HashedIdentifier[];
  /** v2: the document the text is, or null (also in v1 data). */
  document: RecognisedDocumentRecord | null;
}

/** media-ai.descriptions */
export interface DescriptionRecord extends PartResultBase {
  category: string | null;
  brand: string | null;
  model: string | null;
  colors: string[];
  material: string | null;
  distinguishing_marks: string[];
  description: string | null;
  confidence: number;
}

export type PartRecord = DetectionsRecord | TextsRecord | DescriptionRecord;

/** What a reviewer decided about one tag: keep it (accept), drop it (reject), or name the right item (correct). */
export type ReviewAction = 'accept' | 'reject' | 'correct';

/** media-ai.reviews: one reviewer's decision on one tag of a post's published enrichment (the review desk). */
export interface ReviewDecisionRecord {
  /** UUID; a redelivered decision has the same id. */
  decision_id: string;
  post_id: string;
  /** The post.enhanced revision the reviewer saw. */
  revision: number;
  /** The organization the reviewer reviews for (the post's organization_id). */
  tenant: string;
  /** The reviewer's token name, never the token. */
  reviewer: string;
  /** Epoch ms. */
  decided_at: number;
  /** The tag decided on, as the enrichment named it. */
  tag: string;
  /** The tier the tag had (suggest or human_review). */
  tier: string;
  confidence: number;
  action: ReviewAction;
  /** The taxonomy item the tag becomes (action correct); null otherwise. */
  corrected_to: string | null;
}
