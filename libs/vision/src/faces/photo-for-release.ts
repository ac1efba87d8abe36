/**
 * The one way a stored photo leaves the process (the llm request, `--annotate` copies, anything the
 * API or the review desk serves): the normalized JPEG with the faces the fetcher found blurred.
 * The stored photo itself keeps its faces, because the detector and OCR read it (see the fetcher).
 * Faces with keypoints (media-ai.photos v5) are blurred with the head turned to the face as well;
 * those without (v4 data) around the box only (faceBlurArea).
 *
 * Must never release a photo nobody looked at for faces (`faces` null or absent: a fetcher without
 * its face model, or a record older than media-ai.photos v4), and never look for faces itself: they
 * are found once, by the fetcher.
 */
import { MediaAiError, type FaceRecord } from '@media-ai/contracts';
import { blurFacesInJpeg, type FaceBlurOptions } from './blur-faces.js';

export interface ReleaseOptions extends FaceBlurOptions {
  /** JPEG quality of the re-encoded copy when there are faces (default 90: the copy is often re-encoded again downstream). */
  quality?: number;
}

export async function photoForRelease(
  stored: Buffer,
  faces: readonly FaceRecord[] | null | undefined,
  options: ReleaseOptions = {},
): Promise<Buffer> {
  if (faces == null) throw new MediaAiError('MEDIA_AI_FACES_UNCHECKED');
  return blurFacesInJpeg(stored, faces, { ...options, quality: options.quality ?? 90 });
}
