/**
 * Local features of an item crop, for the matching benchmark's measurement of instance matching:
 * ORB keypoints and binary descriptors (OpenCV, @techstark/opencv-js: OpenCV compiled to WASM), matched
 * between two crops with Lowe's ratio test and verified by RANSAC (an affine map or a homography); the inliers are the
 * points of one crop found in place on the other ("this very item": its printed words, pattern, edges).
 *
 * Tools only (eval:match --local): it measures whether the signal pays before any contract carries it.
 * Must never keep an OpenCV Mat past the call that made it (WASM memory is not garbage-collected).
 */
import { createRequire } from 'node:module';
import type cvModule from '@techstark/opencv-js';
import type { DecodedImage } from '@media-ai/vision';

type CV = typeof cvModule extends Promise<infer T> ? T : typeof cvModule;
let loaded: Promise<CV> | null = null;

/** The OpenCV runtime, loaded once on first use (imported then, so its cost can be measured: 0.9-2 s of CPU, ~76 MB of RSS in a fresh process). */
export function openCv(): Promise<CV> {
  loaded ??= (async () => {
    // Required, not imported: its CommonJS export is a Promise, which an ESM loader's namespace (vitest's) cannot await.
    const module = createRequire(import.meta.url)('@techstark/opencv-js') as unknown;
    if (module instanceof Promise) return (await module) as CV;
    const cv = module as CV & { onRuntimeInitialized?: () => void };
    if (!(cv as { Mat?: unknown }).Mat) await new Promise<void>((resolve) => (cv.onRuntimeInitialized = resolve));
    return cv;
  })();
  return loaded;
}

/** One crop's local features: keypoint positions (x, y pairs, crop pixels) and 32-byte ORB descriptors. */
export interface LocalFeatures {
  points: number[];
  /** count × 32 bytes, row by row. */
  descriptors: Uint8Array;
}

export interface OrbOptions {
  /** Most keypoints kept (the strongest by Harris score). */
  features: number;
  /** Pyramid levels (scale factor 1.2 between them): more finds an item at other sizes, and costs more. */
  levels: number;
  /** Pixels whose RGB is this are not the item (the crop's neutral fill): no keypoint there. */
  neutral?: readonly [number, number, number];
  /** The crop mirrored left to right first. */
  mirrored?: boolean;
}

/** ORB on the crop in grey; with `neutral`, only on the item's own pixels. */
export async function localFeatures(image: DecodedImage, options: OrbOptions): Promise<LocalFeatures> {
  const cv = await openCv();
  const { width, height, data } = image;
  const grey = new Uint8Array(width * height);
  const own = new Uint8Array(width * height);
  for (let i = 0; i < grey.length; i++) {
    const x = i % width;
    const p = 3 * (options.mirrored ? i - x + width - 1 - x : i);
    grey[i] = (data[p]! * 77 + data[p + 1]! * 150 + data[p + 2]! * 29) >> 8;
    const n = options.neutral;
    own[i] = n && data[p] === n[0] && data[p + 1] === n[1] && data[p + 2] === n[2] ? 0 : 255;
  }
  const mat = cv.matFromArray(height, width, cv.CV_8UC1, grey);
  const mask = options.neutral ? cv.matFromArray(height, width, cv.CV_8UC1, own) : new cv.Mat();
  const orb = new cv.ORB(options.features, 1.2, options.levels, 15, 0, 2, cv.ORB_HARRIS_SCORE, 15, 20);
  const keypoints = new cv.KeyPointVector();
  const descriptors = new cv.Mat();
  try {
    orb.detectAndCompute(mat, mask, keypoints, descriptors);
    const points: number[] = [];
    for (let k = 0; k < keypoints.size(); k++) {
      const kp = keypoints.get(k);
      points.push(Math.round(kp.pt.x * 10) / 10, Math.round(kp.pt.y * 10) / 10);
    }
    return { points, descriptors: Uint8Array.from(descriptors.rows ? descriptors.data : []) };
  } finally {
    mat.delete();
    mask.delete();
    orb.delete();
    keypoints.delete();
    descriptors.delete();
  }
}

export interface Verified {
  /** Matches that passed the ratio test. */
  matches: number;
  /** Of those, the ones a RANSAC homography puts in place (0 with fewer than 4 matches or no homography). */
  inliers: number;
}

/** Lowe's ratio: the best match must be this much closer than the second best. */
const RATIO = 0.8;

export interface VerifyOptions {
  /** What puts the matches in place: a homography (8 degrees of freedom) or an affine map (6: fewer chance fits). */
  model: 'homography' | 'affine';
  /** RANSAC's reprojection threshold, in crop pixels. */
  px: number;
}

/** Matches crop a's features to crop b's (ratio test), then counts the RANSAC model's inliers. */
export async function verifiedMatches(
  a: LocalFeatures,
  b: LocalFeatures,
  verify: VerifyOptions = { model: 'affine', px: 3 },
): Promise<Verified> {
  const na = a.descriptors.length / 32;
  const nb = b.descriptors.length / 32;
  if (na < 2 || nb < 2) return { matches: 0, inliers: 0 };
  const cv = await openCv();
  const da = cv.matFromArray(na, 32, cv.CV_8UC1, a.descriptors);
  const db = cv.matFromArray(nb, 32, cv.CV_8UC1, b.descriptors);
  const matcher = new cv.BFMatcher(cv.NORM_HAMMING, false);
  const knn = new cv.DMatchVectorVector();
  const kept: Array<[number, number]> = [];
  try {
    matcher.knnMatch(da, db, knn, 2);
    for (let i = 0; i < knn.size(); i++) {
      const pair = knn.get(i);
      if (pair.size() >= 2) {
        const best = pair.get(0);
        const second = pair.get(1);
        if (best.distance < RATIO * second.distance) kept.push([best.queryIdx, best.trainIdx]);
      }
      pair.delete();
    }
  } finally {
    da.delete();
    db.delete();
    matcher.delete();
    knn.delete();
  }
  if (kept.length < 4) return { matches: kept.length, inliers: 0 };
  const src = cv.matFromArray(
    kept.length,
    1,
    cv.CV_32FC2,
    kept.flatMap(([q]) => [a.points[2 * q]!, a.points[2 * q + 1]!]),
  );
  const dst = cv.matFromArray(
    kept.length,
    1,
    cv.CV_32FC2,
    kept.flatMap(([, t]) => [b.points[2 * t]!, b.points[2 * t + 1]!]),
  );
  const inlierMask = new cv.Mat();
  try {
    const h =
      verify.model === 'homography'
        ? cv.findHomography(src, dst, cv.RANSAC, verify.px, inlierMask)
        : cv.estimateAffine2D(src, dst, inlierMask, cv.RANSAC, verify.px);
    const found = !h.empty();
    h.delete();
    let inliers = 0;
    if (found) for (let i = 0; i < inlierMask.rows; i++) inliers += inlierMask.data[i]! ? 1 : 0;
    return { matches: kept.length, inliers };
  } finally {
    src.delete();
    dst.delete();
    inlierMask.delete();
  }
}
