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
  /** The post, owner and organization as they arrived (JSON), republished in post.enhanced. */
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
}

export interface ClassificationRecord {
  /** Raw model label (ImageNet class name). */
  label: string;
  /** Lost-and-found item category it maps to (wallet, backpack, phone, ...), null when none. */
  item: string | null;
  confidence: number;
  model: string;
}

/** media-ai.detections */
export interface DetectionsRecord extends PartResultBase {
  objects: DetectedObjectRecord[];
  classifications: ClassificationRecord[];
}

export interface TextLineRecord {
  /** Already redacted. */
  text: string;
  confidence: number;
  box: Box | null;
}

export interface SensitiveIdentifier {
  /** 'serial_number' | 'imei' */
  kind: string;
  value: string;
}

/** media-ai.texts */
export interface TextsRecord extends PartResultBase {
  lines: TextLineRecord[];
  /** Redacted full text. */
  text: string;
  confidence: number;
  /** Kinds of personal data removed (email, phone, card_number, ...), for the summary. */
  redacted_kinds: string[];
  /** The item's own serial numbers / IMEIs: for the owner only, never tags or free text. */
  sensitive_identifiers: SensitiveIdentifier[];
  rotation: number;
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
