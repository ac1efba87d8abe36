/**
 * Every per-photo part (detections, texts, descriptions) is built here, one way for all analysis
 * stages and their test fixtures: identity copied from the photo record, the status fields of an
 * answer or of a failure, and the stage's own payload. A stage states only its payload; a failed part
 * carries the empty payload of its kind, so it tells the aggregator "this photo has no result from me"
 * and the join never waits for it.
 */
import { ERROR_CODES, MediaAiError, toMediaAiError, type ErrorCode } from './errors.js';
import type { DescriptionRecord, DetectionsRecord, PartResultBase, PhotoRecord, TextsRecord } from './records.js';

/** error_message travels in records and may reach a published summary: kept short. */
const MAX_ERROR_MESSAGE = 300;

/** The photo a part is about: what of the photo record every part copies. */
export type PartSubject = Pick<PhotoRecord, 'post_id' | 'photo_id' | 'revision' | 'sha256'>;

/** What a part of one kind carries besides the fields every part has. */
export type PartPayload<R extends PartResultBase> = Omit<R, keyof PartResultBase>;

// Empty payloads are built afresh on every call: records are plain mutable data, never shared.

/** No objects, no item classes. */
export function emptyDetections(): PartPayload<DetectionsRecord> {
  return { objects: [], classifications: [] };
}

/** No text read. */
export function emptyTexts(): PartPayload<TextsRecord> {
  return {
    lines: [],
    text: '',
    confidence: 0,
    redacted_kinds: [],
    sensitive_identifiers: [],
    rotation: 0,
    identifiers: [],
    document: null,
  };
}

/** No description. */
export function emptyDescription(): PartPayload<DescriptionRecord> {
  return {
    category: null,
    brand: null,
    model: null,
    colors: [],
    material: null,
    distinguishing_marks: [],
    description: null,
    confidence: 0,
  };
}

export function partIdentity(
  photo: PartSubject,
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

/** A capability that did not run for an answer that is still true for what did run. */
export interface NotRun {
  code: ErrorCode;
  message: string;
}

/**
 * An answered part. A partial answer is still 'ok' (what ran is true) but says, with `notRun`, which
 * capability did not run.
 */
export function okPart<P extends object>(
  photo: PartSubject,
  modelVersions: Readonly<Record<string, string>>,
  payload: P,
  options: { durationMs: number; notRun?: NotRun | null },
): PartResultBase & P {
  return {
    ...partIdentity(photo, modelVersions),
    status: 'ok',
    error_code: options.notRun?.code ?? null,
    error_message: options.notRun?.message.slice(0, MAX_ERROR_MESSAGE) ?? null,
    duration_ms: wholeMs(options.durationMs),
    ...payload,
  };
}

/** A part that says "no result for this photo" with its error code, carrying `emptyPayload` (see the empty* builders). */
export function failedPart<P extends object>(
  photo: PartSubject,
  modelVersions: Readonly<Record<string, string>>,
  error: unknown,
  emptyPayload: P,
  durationMs = 0,
): PartResultBase & P {
  return { ...failedPartFields(photo, modelVersions, error), duration_ms: wholeMs(durationMs), ...emptyPayload };
}

/**
 * The base of a failed part. An unexpected exception's own text could quote what was read from
 * the photo (OCR text, a model answer), so only a MediaAiError's message is published; anything
 * else is reported with the catalogue's words for its code.
 */
export function failedPartFields(photo: PartSubject, modelVersions: Readonly<Record<string, string>>, error: unknown): PartResultBase {
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

/** duration_ms is an Avro int: whole milliseconds, never negative (a clock stepping back). */
function wholeMs(durationMs: number): number {
  return Math.max(0, Math.round(durationMs));
}
