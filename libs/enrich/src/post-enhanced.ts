/**
 * The post.enhanced envelope for one post revision: the platform's post, owner and organization in the
 * contract's shapes (platform.ts), what fusion concluded (enhanced_metadata, ai_analysis), what
 * downstream should do about it, and media-ai's flat fields. Pure; the caller passes `now`. Throws
 * MEDIA_AI_BAD_EVENT when the post lacks facts the platform contract requires; the caller publishes a
 * processing.error instead.
 */
import type {
  AIMetadata,
  AITag,
  DownstreamActions,
  EnhancedMetadata,
  EnhancementChange,
  ImprovementArea,
  PostEnhancedEvent,
  PostManifest,
} from '@media-ai/contracts';
import { MATCHER_MIN_CONFIDENCE } from './calibration.js';
import { enrichmentEventId } from './event-id.js';
import type { Enrichment, FusePostInput } from './fuse.js';
import type { FusedTag } from './grading.js';
import { toContractOrganization, toContractOwner, toContractPost } from './platform.js';
import { round } from './units.js';

const toAITag = (t: FusedTag): AITag => ({ tag: t.tag, confidence: t.confidence, source: t.contractSource, category: t.category });

export function postEnhancedEvent(input: FusePostInput, e: Enrichment): PostEnhancedEvent {
  const { manifest, now } = input;
  const receivedAtIso = new Date(manifest.received_at).toISOString();
  const nowIso = new Date(now).toISOString();
  const platform = platformContext(manifest, receivedAtIso);

  const autoTags = e.tags.filter((t) => t.tier === 'auto_apply');
  const applied = e.level === 'auto_enhance';
  const enhancedDescription = applied ? e.description : null;
  const changes: EnhancementChange[] = [];
  if (autoTags.length > 0) changes.push('added_tags');
  if (enhancedDescription) changes.push('enhanced_description');
  if (e.objects.length > 0) changes.push('detected_objects');
  if (e.textContent.length > 0) changes.push('extracted_text');
  if (e.colors.length > 0) changes.push('color_analysis');
  const areas: ImprovementArea[] = [];
  if (e.tags.length > 0) areas.push('searchability');
  const matchable = e.tags.some((t) => t.confidence > MATCHER_MIN_CONFIDENCE);
  if (matchable) areas.push('matchability');
  if (e.description) areas.push('description_quality');
  if (e.tags.some((t) => t.category === 'object')) areas.push('categorization');

  const enhancedMetadata: EnhancedMetadata = {
    enhanced_description: enhancedDescription,
    tags: autoTags.map(toAITag),
    attributes: { objects: e.objects, colors: e.colors, scene: e.scene, text_content: e.textContent },
    enhancement_summary: {
      changes_made: changes,
      improvement_areas: areas,
      // Confidence in what we say, scaled by how much of the expected analysis we actually had.
      quality_score: round(e.overallConfidence * e.coverage),
    },
  };
  const processingTimeMs = Math.max(0, Math.round(now - manifest.received_at));
  const aiAnalysis: AIMetadata = {
    processing_triggered: true,
    processing_status: 'completed',
    confidence_score: e.overallConfidence,
    tags: e.tags.map(toAITag),
    objects: e.objects,
    colors: e.colors,
    scene: e.scene,
    text_content: e.textContent,
    processing_metrics: {
      total_processing_time_ms: processingTimeMs,
      started_at: receivedAtIso,
      completed_at: nowIso,
      stage_timings: e.stageTimings,
    },
    model_versions: e.modelVersions,
  };
  const significant = changes.filter((c) => c === 'added_tags' || c === 'enhanced_description');
  const downstream: DownstreamActions = {
    reindex_required: e.tags.length > 0 || e.description !== null,
    matching_update_required: matchable,
    notification_policy: { notify_user: e.policy.notifyOnEnhancement && significant.length > 0, significant_changes: significant },
  };

  return {
    id: input.eventId ?? enrichmentEventId(manifest.post_id, manifest.revision),
    event_type: 'post.enhanced',
    timestamp: nowIso,
    version: 1,
    correlation_id: manifest.correlation_id,
    data: {
      post_id: manifest.post_id,
      revision: manifest.revision,
      original_post: platform.originalPost,
      post_owner: platform.owner,
      organization: platform.organization,
      enhanced_metadata: enhancedMetadata,
      ai_analysis: aiAnalysis,
      downstream_actions: downstream,
      ai_confidence: e.overallConfidence,
      enhancement_level: e.level,
      processing_time_ms: processingTimeMs,
      model_versions: e.modelVersions,
      missing_stages: e.missingStages,
      failed_photos: e.failedPhotos,
      tag_grades: e.tags.map(({ contractSource: _s, ...grade }) => grade),
      generated_description: e.description,
      sensitive: e.sensitive,
      // Beside `sensitive`, as media-ai's own field: the contract's `data` is open, and its attributes stay the platform's.
      fingerprints: e.fingerprints,
    },
  };
}

/** The post, its owner and its organization in the contract's shapes. */
function platformContext(manifest: PostManifest, receivedAtIso: string) {
  const post = manifest.post_details;
  // Each names the owner; where one does not, the other's id stands in.
  const postUserId = post.user_id || null;
  const ownerUserId = manifest.post_owner?.user_id || null;
  const originalPost = toContractPost(post, ownerUserId, {
    postId: manifest.post_id,
    title: manifest.post_title,
    description: manifest.post_description,
    type: manifest.post_type,
    organizationId: manifest.organization_id,
    receivedAtIso,
    manifestPhotos: manifest.photos,
  });
  const owner = toContractOwner(manifest.post_owner, postUserId ?? originalPost.user_id);
  const organization = toContractOrganization(manifest.post_organization);
  return { originalPost, owner, organization };
}
