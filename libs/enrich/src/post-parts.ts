/**
 * The parts of one post revision as fusion uses them: one part per stage and photo the fetcher got,
 * and what the parts say about the analysis itself (stages missing, photos failed, coverage, model
 * versions, stage timings). Pure; must never let a part of another post, revision or photo in.
 */
import {
  STAGES,
  type AnalysisStage,
  type DescriptionRecord,
  type DetectionsRecord,
  type FailedPhoto,
  type PartResultBase,
  type PostManifest,
  type TextsRecord,
} from '@media-ai/contracts';

/** Parts of one post by kind. */
export interface PartsByKind {
  detections: readonly DetectionsRecord[];
  texts: readonly TextsRecord[];
  descriptions: readonly DescriptionRecord[];
}

/** Per analysis stage, its part for each photo the fetcher got (ok or failed). */
export interface PostParts {
  /** Photos the fetcher got: the only ones parts are expected for. */
  okPhotos: ReadonlySet<string>;
  byStage: {
    readonly detector: ReadonlyMap<string, DetectionsRecord>;
    readonly ocr: ReadonlyMap<string, TextsRecord>;
    readonly llm: ReadonlyMap<string, DescriptionRecord>;
  };
  /** The parts that answered (status ok), per kind: what the sources claim from. */
  answered: PartsByKind;
}

/** How post.enhanced names each stage's timing (the platform's processing_metrics keys). */
const STAGE_TIMING_KEYS: Record<AnalysisStage, string> = { detector: 'object_detection', ocr: 'ocr', llm: 'llm_vision' };

export function joinParts(manifest: PostManifest, parts: PartsByKind): PostParts {
  const okPhotos = new Set(manifest.photos.filter((p) => p.status === 'ok').map((p) => p.photo_id));
  const byStage = {
    detector: onePerPhoto(parts.detections, manifest, okPhotos),
    ocr: onePerPhoto(parts.texts, manifest, okPhotos),
    llm: onePerPhoto(parts.descriptions, manifest, okPhotos),
  };
  const answered = <T extends PartResultBase>(byPhoto: ReadonlyMap<string, T>) => [...byPhoto.values()].filter((p) => p.status === 'ok');
  return {
    okPhotos,
    byStage,
    answered: { detections: answered(byStage.detector), texts: answered(byStage.ocr), descriptions: answered(byStage.llm) },
  };
}

/** Keeps one part per photo: ok beats failed (a retried stage may succeed after a give-up). */
function onePerPhoto<T extends PartResultBase>(parts: readonly T[], manifest: PostManifest, okPhotos: ReadonlySet<string>): Map<string, T> {
  const byPhoto = new Map<string, T>();
  for (const part of parts) {
    if (part.post_id !== manifest.post_id || part.revision !== manifest.revision || !okPhotos.has(part.photo_id)) continue;
    const seen = byPhoto.get(part.photo_id);
    if (!seen || (seen.status !== 'ok' && part.status === 'ok')) byPhoto.set(part.photo_id, part);
  }
  return byPhoto;
}

function partsOf(parts: PostParts, stage: string): ReadonlyMap<string, PartResultBase> | undefined {
  return (parts.byStage as Record<string, ReadonlyMap<string, PartResultBase>>)[stage];
}

/** Expected stages that did not report for every photo the fetcher got. */
export function missingStages(manifest: PostManifest, parts: PostParts): string[] {
  return manifest.expected_stages.filter((stage) => {
    const got = partsOf(parts, stage);
    return [...parts.okPhotos].some((photoId) => !got?.has(photoId));
  });
}

/** Photos the fetcher could not get, then failed parts, each with its stage and error code. */
export function failedPhotos(manifest: PostManifest, parts: PostParts): FailedPhoto[] {
  const failed: FailedPhoto[] = manifest.photos
    .filter((p) => p.status !== 'ok')
    .map((p) => ({
      photo_id: p.photo_id,
      stage: STAGES.fetcher,
      error_code: p.error_code ?? 'MEDIA_AI_INTERNAL',
      error_message: p.error_message,
    }));
  for (const [stage, byPhoto] of Object.entries(parts.byStage)) {
    for (const part of byPhoto.values()) {
      if (part.status !== 'ok') {
        failed.push({
          photo_id: part.photo_id,
          stage,
          error_code: part.error_code ?? 'MEDIA_AI_INTERNAL',
          error_message: part.error_message,
        });
      }
    }
  }
  return failed;
}

/** Parts that arrived (ok or failed) / parts expected: 1 when nothing was expected. */
export function coverage(manifest: PostManifest, parts: PostParts): number {
  const expected = parts.okPhotos.size * manifest.expected_stages.length;
  const arrived = manifest.expected_stages.reduce((n, stage) => n + (partsOf(parts, stage)?.size ?? 0), 0);
  return expected === 0 ? 1 : Math.min(1, arrived / expected);
}

/** Every model version the parts name. Two versions of one model only appear mid-rollout; both are named rather than one hidden. */
export function modelVersions(parts: PostParts): Record<string, string> {
  const versions: Record<string, Set<string>> = {};
  for (const byPhoto of Object.values(parts.byStage)) {
    for (const part of byPhoto.values()) {
      for (const [k, v] of Object.entries(part.model_versions)) (versions[k] ??= new Set()).add(v);
    }
  }
  return Object.fromEntries(
    Object.entries(versions)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, [...v].sort().join(',')]),
  );
}

/** Per stage, the slowest photo's handling time: photos run in parallel, so that is the stage's latency. */
export function stageTimings(parts: PostParts): Record<string, number> {
  const timings: Record<string, number> = {};
  for (const [stage, byPhoto] of Object.entries(parts.byStage)) {
    for (const part of byPhoto.values()) {
      const key = STAGE_TIMING_KEYS[stage as AnalysisStage] ?? stage;
      timings[key] = Math.max(timings[key] ?? 0, Math.max(0, Math.round(part.duration_ms)));
    }
  }
  return timings;
}
