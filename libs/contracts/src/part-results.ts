/**
 * The fields every per-photo part (detections, texts, descriptions) carries, built one way for
 * all analysis stages: identity copied from the photo record, and the failure fields of a part that
 * tells the aggregator "this photo has no result from me" so the join never waits for it.
 */
import { ERROR_CODES, MediaAiError, toMediaAiError } from './errors.js';
import type { PartResultBase, PhotoRecord } from './records.js';

/** error_message travels in records and may reach a published summary: kept short. */
const MAX_ERROR_MESSAGE = 300;

export function partIdentity(
  photo: PhotoRecord,
  modelVersions: Readonly<Record<string, string>>,
): Pick<PartResultBase, 'post_id' | 'photo_id' | 'revision' | 'sha256' | 'model_versions'> {
  return {
    post_id: photo.post_id,
    photo_id: photo.photo_id,
    revision: photo.revision,
    sha256: photo.sha256,
    model_versions: { ...modelVersions },
  };
}

/**
 * The base of a failed part. An unexpected exception's own text could quote what was read from
 * the photo (OCR text, a model answer), so only a MediaAiError's message is published; anything
 * else is reported with the catalogue's words for its code.
 */
export function failedPartFields(photo: PhotoRecord, modelVersions: Readonly<Record<string, string>>, error: unknown): PartResultBase {
  const failure = toMediaAiError(error);
  const message = error instanceof MediaAiError ? failure.message : ERROR_CODES[failure.code].message;
  return {
    ...partIdentity(photo, modelVersions),
    status: 'failed',
    error_code: failure.code,
    error_message: message.slice(0, MAX_ERROR_MESSAGE),
    duration_ms: 0,
  };
}
