/**
 * The two JSON events media-ai publishes on the enrichment topic: `post.enhanced` (the platform's
 * PostEnhanced shape plus media-ai's flat fields) and `processing.error` (posts that cannot be
 * enriched). Types mirror schemas/json/*.v1.schema.json field by field; the validators compile those
 * files once. It must never reach into ../shared: product code validates against our own schemas only;
 * the platform contract check lives in ./testing (tests only).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ErrorCode } from './errors.js';
import type { HashedIdentifier, PhotoFingerprint } from './records.js';

// ---------------------------------------------------------------------------------------------
// Platform shapes (fn-contract: post-events.json Post, domains.json PrivacySafeUserExtended and
// OrganizationData, ai-metadata.json AIMetadata). Only what media-ai fills is typed in detail.
// ---------------------------------------------------------------------------------------------

export interface ContractBoundingBox {
  /** 0..1, relative to the photo; x, y = top-left corner. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export type AITagSource = 'object_detection' | 'scene_analysis' | 'text_extraction' | 'color_analysis';
export type AITagCategory = 'object' | 'color' | 'brand' | 'scene' | 'text' | 'material';

export interface AITag {
  tag: string;
  confidence: number;
  source: AITagSource;
  category: AITagCategory;
}

export interface ContractDetectedObject {
  name: string;
  confidence: number;
  bounding_box?: ContractBoundingBox | null;
  attributes?: Record<string, string> | null;
}

export interface ContractColorAnalysis {
  color_name: string;
  hex_code: string;
  confidence: number;
  dominant: boolean;
}

export interface ContractSceneAnalysis {
  primary_scene: string;
  confidence: number;
  sub_scenes?: string[] | null;
}

export interface ContractExtractedText {
  text: string;
  confidence: number;
  bounding_box?: ContractBoundingBox | null;
  language?: string | null;
}

export interface ContractLocationInference {
  latitude: number;
  longitude: number;
  source: 'exif' | 'ai_inference' | 'landmark_detection';
  confidence: number;
  landmark_name?: string | null;
}

export interface ContractProcessingMetrics {
  total_processing_time_ms: number;
  started_at: string;
  completed_at: string;
  stage_timings?: Record<string, number> | null;
}

/** ai-metadata.json AIMetadata: closed (additionalProperties: false) in the platform contract. */
export interface AIMetadata {
  processing_triggered: boolean;
  processing_status?: 'pending' | 'processing' | 'completed' | 'failed' | null;
  confidence_score?: number | null;
  tags?: AITag[];
  objects?: ContractDetectedObject[];
  colors?: ContractColorAnalysis[];
  scene?: ContractSceneAnalysis | null;
  text_content?: ContractExtractedText[];
  location_inference?: ContractLocationInference | null;
  processing_metrics?: ContractProcessingMetrics | null;
  model_versions?: Record<string, string>;
}

export type EnhancementChange =
  'added_tags' | 'enhanced_description' | 'detected_objects' | 'extracted_text' | 'inferred_location' | 'color_analysis';
export type ImprovementArea = 'searchability' | 'matchability' | 'description_quality' | 'location_accuracy' | 'categorization';

export interface EnhancedMetadata {
  enhanced_description?: string | null;
  tags: AITag[];
  attributes: {
    objects?: ContractDetectedObject[];
    colors?: ContractColorAnalysis[];
    scene?: ContractSceneAnalysis | null;
    text_content?: ContractExtractedText[];
  };
  location_inference?: ContractLocationInference | null;
  enhancement_summary: {
    changes_made: EnhancementChange[];
    improvement_areas: ImprovementArea[];
    quality_score?: number;
  };
}

export interface DownstreamActions {
  reindex_required?: boolean;
  matching_update_required?: boolean;
  notification_policy?: { notify_user?: boolean; significant_changes?: string[] };
}

export interface ContractPhoto {
  id: string;
  post_id: string;
  original_url: string;
  thumbnail_url?: string | null;
  filename?: string;
  file_size?: number;
  mime_type?: string;
  width?: number;
  height?: number;
  order?: number;
  created_at: string;
}

export interface ContractPost {
  id: string;
  title: string;
  description?: string | null;
  type: 'lost' | 'found';
  status: 'active' | 'resolved' | 'expired' | 'deleted';
  location: { latitude: number; longitude: number; address?: string | null };
  radius_meters?: number;
  photos: ContractPhoto[];
  user_id: string;
  organization_id?: string | null;
  created_at: string;
  updated_at: string;
  [extra: string]: unknown;
}

export interface ContractUserPreferences {
  user_id: string;
  global_enabled: boolean;
  timezone: string;
  language: 'en' | 'es';
  channel_preferences: Partial<Record<'email' | 'sms' | 'whatsapp', { enabled: boolean }>>;
}

export interface ContractAIEnhancementPolicy {
  auto_enhance?: boolean;
  quality_threshold?: number | null;
  notify_on_enhancement?: boolean;
}

export interface ContractOrganizationSettings {
  default_search_radius?: number;
  max_posts_per_user?: number;
  auto_expire_days?: number;
  ai_enhancement_policy?: ContractAIEnhancementPolicy | null;
}

export interface ContractContactSharingPolicy {
  auto_approve_verified?: boolean;
  require_verification?: boolean;
  preferred_contact_method?: 'email' | 'phone' | 'platform' | null;
  max_requests_per_day?: number | null;
}

export interface ContractOrganizationContext {
  organization_id: string;
  name: string;
  role: 'admin' | 'staff' | 'viewer';
  settings?: ContractOrganizationSettings | null;
}

/** domains.json PrivacySafeUserExtended (closed, strictly no PII). */
export interface PrivacySafeUserExtended {
  user_id: string;
  display_name: string;
  avatar_url?: string | null;
  preferences: ContractUserPreferences;
  organization?: ContractOrganizationContext | null;
  reputation_score?: number | null;
  verification_level: 'unverified' | 'email_verified' | 'phone_verified' | 'fully_verified';
  contact_policy?: ContractContactSharingPolicy | null;
}

/** domains.json OrganizationData (closed). */
export interface OrganizationData {
  organization_id: string;
  name: string;
  description?: string | null;
  type?: string | null;
  status: 'active' | 'suspended' | 'deactivated';
  settings?: ContractOrganizationSettings | null;
  contact_policy?: ContractContactSharingPolicy | null;
  created_at: string;
  updated_at: string;
}

// ---------------------------------------------------------------------------------------------
// media-ai's own fields
// ---------------------------------------------------------------------------------------------

export type TagTier = 'auto_apply' | 'suggest' | 'human_review' | 'low';
/**
 * Who made a claim: a stage's model, the fetcher's colour measurement, or a person at the review
 * desk (a tag they accepted or corrected).
 */
export type TagEvidenceSource = 'detector' | 'classifier' | 'ocr' | 'llm' | 'color_analysis' | 'reviewer';
export type EnhancementLevel = 'auto_enhance' | 'suggest_tags' | 'human_review' | 'discard';

/**
 * One source's strongest claim behind a tag: which model said what. Labels are model vocabulary
 * (COCO or ImageNet class, llm category, a known brand or document phrase, a colour name), never
 * text read from a photo, so evidence cannot carry personal data.
 */
export interface TagEvidence {
  source: TagEvidenceSource;
  /** The model's own label, before the taxonomy mapped it; null when the source names the tag itself. */
  label: string | null;
  /** The model that made the claim (e.g. yolox-nano, nanodet-g, yolox-nano+nanodet-g); null when not one model. */
  model: string | null;
  confidence: number;
}

export interface TagGrade {
  tag: string;
  category: AITagCategory;
  confidence: number;
  tier: TagTier;
  sources: TagEvidenceSource[];
  /** Strongest claim per source and label, strongest first (at most 6). */
  evidence: TagEvidence[];
}

export interface FailedPhoto {
  photo_id: string;
  /** fetcher, detector, ocr, llm */
  stage: string;
  error_code: string;
  error_message?: string | null;
}

/**
 * One identifier of the post in `data.sensitive`: its keyed hash, kind and at most last four
 * characters (never the value), and where it came from: read on a photo, or named by the post's own
 * title or description. The matcher pairs a lost and a found post that carry the same hash.
 */
export interface SensitiveIdentifierEntry extends HashedIdentifier {
  /** The photo it was read on; null when the post's text named it. */
  photo_id: string | null;
  source: 'photo' | 'post_text';
}

export interface SensitiveData {
  /** Marks the block for every consumer: the owner and the matcher may use it, nobody else sees it, never indexed. */
  classification: 'owner_only';
  /** Each identifier once per source and photo, as a keyed hash. */
  identifiers: SensitiveIdentifierEntry[];
}

/**
 * One photo's visual fingerprint in `data.fingerprints` (media-ai.detections v4/v5, as the detector made
 * it): a perceptual hash of the photo, int8 embeddings of its main item and of the whole photo, and the
 * main item's colour histogram. Not
 * personal data; the matcher compares them, nothing displays them.
 */
export interface PublishedFingerprint extends PhotoFingerprint {
  photo_id: string;
}

export interface PostEnhancedData {
  post_id: string;
  revision: number;
  original_post: ContractPost;
  post_owner: PrivacySafeUserExtended;
  organization: OrganizationData | null;
  enhanced_metadata: EnhancedMetadata;
  ai_analysis: AIMetadata;
  downstream_actions: DownstreamActions;
  ai_confidence: number;
  enhancement_level: EnhancementLevel;
  processing_time_ms: number;
  model_versions: Record<string, string>;
  missing_stages: string[];
  failed_photos: FailedPhoto[];
  tag_grades: TagGrade[];
  generated_description: string | null;
  sensitive: SensitiveData | null;
  /** The photos' visual fingerprints, in the post's photo order; [] when none was computed. */
  fingerprints: PublishedFingerprint[];
}

export interface PostEnhancedEvent {
  id: string;
  event_type: 'post.enhanced';
  timestamp: string;
  version: 1;
  correlation_id?: string | null;
  data: PostEnhancedData;
}

export interface ProcessingErrorEvent {
  id: string;
  event_type: 'processing.error';
  timestamp: string;
  version: 1;
  correlation_id?: string | null;
  data: {
    post_id: string;
    revision: number;
    error_code: ErrorCode;
    /** error_code without MEDIA_AI_, lower case: the docs' error_type. */
    error_type: string;
    error_message: string;
    retryable: boolean;
    will_retry: boolean;
    retry_count: number;
    max_retries: number;
    next_retry_at: string | null;
    failed_photos: Array<{ photo_id: string; url: string | null; error_code: string | null; error: string | null }>;
  };
}

// ---------------------------------------------------------------------------------------------
// Validation against our own schemas (schemas/json, versioned with the code)
// ---------------------------------------------------------------------------------------------

export interface SchemaValidationResult {
  valid: boolean;
  /** "path: message" lines, empty when valid. */
  errors: string[];
}

export const POST_ENHANCED_SCHEMA_FILE = 'post.enhanced.v1.schema.json';
export const PROCESSING_ERROR_SCHEMA_FILE = 'processing.error.v1.schema.json';

/**
 * schemas/ sits at the repository root; src/ and dist/ are both two levels below the package,
 * so the same relative URL works from source (tests, tsx) and from the build.
 */
export function jsonSchemaPath(fileName: string): string {
  return fileURLToPath(new URL(`../../../schemas/json/${fileName}`, import.meta.url));
}

export function loadJsonSchema(fileName: string): Record<string, unknown> {
  return JSON.parse(readFileSync(jsonSchemaPath(fileName), 'utf8')) as Record<string, unknown>;
}

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on .default.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

const compiled = new Map<string, ValidateFunction>();

/** Compiled on first use, then reused: compiling costs milliseconds, validating microseconds. */
function validatorFor(fileName: string): ValidateFunction {
  let validate = compiled.get(fileName);
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv);
    validate = ajv.compile(loadJsonSchema(fileName));
    compiled.set(fileName, validate);
  }
  return validate;
}

export function formatAjvErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
}

function check(fileName: string, value: unknown): SchemaValidationResult {
  const validate = validatorFor(fileName);
  const valid = validate(value) as boolean;
  return { valid, errors: valid ? [] : formatAjvErrors(validate.errors) };
}

export function validatePostEnhanced(value: unknown): SchemaValidationResult {
  return check(POST_ENHANCED_SCHEMA_FILE, value);
}

export function validateProcessingError(value: unknown): SchemaValidationResult {
  return check(PROCESSING_ERROR_SCHEMA_FILE, value);
}
