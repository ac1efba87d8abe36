/**
 * Where a face is blurred: the head around BlazeFace's box (faceBlurRegion), and with the keypoints of
 * media-ai.photos v5 also the head turned to the face and grown where the box covers half of it
 * (faceBlurArea), in the pixels of the image being released. blur-faces.ts does the blurring.
 * Rectangular on purpose: an ellipse would leave the region's corners (hair line, jaw) sharp.
 *
 * Must never reach outside the photo, and must give records without keypoints (v4 data) the upright
 * head alone.
 */
import type { Box, FaceRecord } from '@media-ai/contracts';
import { clamp } from '../detection/geometry.js';
import { FACE_KEYPOINT } from './blazeface.js';

/**
 * The head around a BlazeFace box, as shares of the box's longer side from the box's centre. The box
 * runs from the brows to the mouth and sits tight on the inner face (on the benchmark's portraits
 * about 0.6 of the ground-truth head's width, with the hair line 0.8..1.2 box sides above its centre),
 * and on a face turned 15..20° or upside down it shrinks further (0.4 of the head). Up and down
 * alike: a document may lie upside down and the box says nothing of which way is up (the keypoints
 * do: orientedHeadRegion adds the head turned to the face where the record carries them). Measured
 * with tools/privacy-bench/faces-only.ts on tune seeds 1 and 8 and retired held-out seed 29 (162
 * faces): 1.0 x 1.3 left 3 of them over the bar, 1.1 x 1.4 none.
 */
export const HEAD_HALF_WIDTH = 1.1;
export const HEAD_HALF_HEIGHT = 1.4;

/**
 * The head turned to the face (orientedHeadRegion), half sizes along and across the eye line in box
 * sides. Smaller than the upright region it is added to, which already covers the head's middle:
 * measured with tools/privacy-bench/faces-only.ts on tune 1, 8, 23 and retired 35-52 (743 faces),
 * 1.1 x 1.4 blurred the same faces at a median region of 13.8 % of the photo, 1.0 x 1.3 at 12.4 %.
 */
export const TURNED_HEAD_HALF_WIDTH = 1.0;
export const TURNED_HEAD_HALF_HEIGHT = 1.3;

/**
 * A face tilted 15..20° gets a box half the head's size, off the head's centre, and its keypoints
 * shrink with it (eyes and ears closer together than the box would have them), so they cannot say
 * how big the head is; the tilt itself can. The turned head grows by TILT_GROWTH times the sine of
 * the tilt beyond TILT_DEAD_ZONE_DEGREES (from upright or upside down): the keypoints put most faces
 * 0..25° off their document's angle (median 9°), so a region grown from 0° grew every face (Faces
 * round 3: 14.5..17.8 % of the photo). Same sets as above, with a 1.1 x 1.4 turned head: growth 2
 * from 15° and 3 from 20° both blurred every detected face of 35-52 (median region 13.8 and 13.1 %;
 * 3 and 5 detected faces over 0.18 of their detail); without growth 3 stayed over the bar.
 */
export const TILT_GROWTH = 2;
export const TILT_DEAD_ZONE_DEGREES = 15;

/**
 * The turned head's edge fades over this share of the box's side: a hard turned edge is a staircase,
 * sharp photo beside smooth patch on every row it crosses, which left more fine detail over the head
 * than it took away (same sets: detected faces over 0.18 of their detail 6 -> 3 with the fade).
 */
export const TURNED_EDGE_FADE = 0.1;

/**
 * A box that covers half a face says so in its keypoints, though not how big the head is (they shrink
 * with the box, Faces round 4): their eye and ear spans, as shares of the box's side, fall well short
 * of a face's. EXPECTED_EYE_SPAN and EXPECTED_EAR_SPAN are the medians over the 748 detections of tune
 * 1, 8, 23 and retired 35-52; where the smaller of the two spans' shares of them is under
 * HALF_FACE_BELOW (32 of those detections, mostly upside-down faces the upright pass half found, eyes
 * 0.04..0.2 box sides apart), both the upright and the turned head grow HALF_FACE_GROWTH times. A
 * fixed growth, not expected over measured: collapsed eyes say that the box is wrong, not by how much
 * (0.05 apart would be 8 x), and under 0.65 the ratio is over 1.5 anyway. Measured with
 * tools/privacy-bench/faces-only.ts on the same sets (tools/privacy-bench/README.md, Faces round 5).
 */
export const EXPECTED_EYE_SPAN = 0.42;
export const EXPECTED_EAR_SPAN = 0.91;
export const HALF_FACE_BELOW = 0.65;
export const HALF_FACE_GROWTH = 1.5;

/** The upright head's size around a face box; blurFaces takes these with its own options. */
export interface HeadRegionOptions {
  /** Half the region's width, as a share of the box's longer side (default HEAD_HALF_WIDTH). */
  halfWidth?: number;
  /** Half the region's height, as a share of the box's longer side (default HEAD_HALF_HEIGHT). */
  halfHeight?: number;
}
/** A region of the photo, in whole pixels. */
export interface PixelRegion {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The whole pixels a normalized box covers (outwards), clamped to the photo. */
export function pixelRegionOf(box: Box, imageWidth: number, imageHeight: number): PixelRegion {
  // Outwards to whole pixels, but 350.0000001 (a box edge through float maths) is pixel 350.
  const outwards = (value: number, round: (v: number) => number, limit: number) => clamp(round(Math.round(value * 1e6) / 1e6), 0, limit);
  const left = outwards(box.x * imageWidth, Math.floor, imageWidth);
  const top = outwards(box.y * imageHeight, Math.floor, imageHeight);
  const right = outwards((box.x + box.width) * imageWidth, Math.ceil, imageWidth);
  const bottom = outwards((box.y + box.height) * imageHeight, Math.ceil, imageHeight);
  return { left, top, width: right - left, height: bottom - top };
}

/** The pixels blurred for one face box: the head around it (HEAD_HALF_WIDTH, HEAD_HALF_HEIGHT), clamped to the photo. */
export function faceBlurRegion(
  box: Box,
  imageWidth: number,
  imageHeight: number,
  { halfWidth = HEAD_HALF_WIDTH, halfHeight = HEAD_HALF_HEIGHT }: HeadRegionOptions = {},
): PixelRegion {
  const side = Math.max(box.width * imageWidth, box.height * imageHeight);
  const centreX = (box.x + box.width / 2) * imageWidth;
  const centreY = (box.y + box.height / 2) * imageHeight;
  const head: Box = {
    x: (centreX - side * halfWidth) / imageWidth,
    y: (centreY - side * halfHeight) / imageHeight,
    width: (2 * side * halfWidth) / imageWidth,
    height: (2 * side * halfHeight) / imageHeight,
  };
  return pixelRegionOf(head, imageWidth, imageHeight);
}

/** What the release knows of a face: its box and, from media-ai.photos v5, the model's keypoints. */
export type FaceMarks = Pick<FaceRecord, 'box' | 'keypoints'>;

/** A rectangle turned to the face: centre and half sizes in pixels, `angle` the eye line's (radians, image axes). */
export interface OrientedRegion {
  centreX: number;
  centreY: number;
  halfWidth: number;
  halfHeight: number;
  angle: number;
}

/** How far apart the keypoints put the eyes and the ears, in sides of the box (its longer side). */
export interface KeypointSpans {
  eyes: number;
  ears: number;
}

/** The eye and ear spans of a face's keypoints as shares of its box's side; null without keypoints (v4 data). */
export function keypointSpans(face: FaceMarks, imageWidth: number, imageHeight: number): KeypointSpans | null {
  const points = face.keypoints;
  if (!points || points.length !== 6) return null;
  const side = Math.max(face.box.width * imageWidth, face.box.height * imageHeight);
  if (side <= 0) return null;
  const span = (a: number, b: number) =>
    Math.hypot((points[a]!.x - points[b]!.x) * imageWidth, (points[a]!.y - points[b]!.y) * imageHeight) / side;
  return { eyes: span(FACE_KEYPOINT.rightEye, FACE_KEYPOINT.leftEye), ears: span(FACE_KEYPOINT.rightEar, FACE_KEYPOINT.leftEar) };
}

/**
 * How much the head around a face's box grows because the box covers half the face: HALF_FACE_GROWTH
 * where the keypoints' eye or ear span is under HALF_FACE_BELOW of the expected one, else 1 (and 1
 * without keypoints: v4 data blurs as before).
 */
export function halfFaceGrowth(face: FaceMarks, imageWidth: number, imageHeight: number): number {
  const spans = keypointSpans(face, imageWidth, imageHeight);
  if (!spans) return 1;
  const covered = Math.min(spans.ears / EXPECTED_EAR_SPAN, spans.eyes / EXPECTED_EYE_SPAN);
  return covered < HALF_FACE_BELOW ? HALF_FACE_GROWTH : 1;
}

/**
 * The head turned as the keypoints say, around the box's centre: half sizes TURNED_HEAD_HALF_WIDTH and
 * TURNED_HEAD_HALF_HEIGHT box sides along and across the eye line, grown with the tilt (TILT_GROWTH).
 * The angle is that of the eye line and the ear line together (the ears are twice as far apart, so
 * one misplaced eye turns it less). The keypoints' order says which way is up (the subject's right
 * eye to the left one points the same way on a face upside down as on one upright, turned half a
 * turn), so an upside-down face is not "tilted". Not moved towards the forehead: 0.15 box sides that
 * way (where the ground-truth head's centre lies on average) blurred the same faces at a larger median
 * region. null without keypoints (v4 data).
 */
export function orientedHeadRegion(face: FaceMarks, imageWidth: number, imageHeight: number): OrientedRegion | null {
  const points = face.keypoints;
  if (!points || points.length !== 6) return null;
  const at = (k: number) => ({ x: points[k]!.x * imageWidth, y: points[k]!.y * imageHeight });
  const [rightEye, leftEye, rightEar, leftEar] = [
    at(FACE_KEYPOINT.rightEye),
    at(FACE_KEYPOINT.leftEye),
    at(FACE_KEYPOINT.rightEar),
    at(FACE_KEYPOINT.leftEar),
  ];
  const alongX = leftEye.x - rightEye.x + (leftEar.x - rightEar.x);
  const alongY = leftEye.y - rightEye.y + (leftEar.y - rightEar.y);
  if (alongX === 0 && alongY === 0) return null;
  const angle = Math.atan2(alongY, alongX);
  const { box } = face;
  // |sin| is the tilt from upright or upside down alike.
  const beyondDeadZone = Math.max(0, Math.abs(Math.sin(angle)) - Math.sin((TILT_DEAD_ZONE_DEGREES * Math.PI) / 180));
  const side =
    Math.max(box.width * imageWidth, box.height * imageHeight) *
    (1 + TILT_GROWTH * beyondDeadZone) *
    halfFaceGrowth(face, imageWidth, imageHeight);
  return {
    centreX: (box.x + box.width / 2) * imageWidth,
    centreY: (box.y + box.height / 2) * imageHeight,
    halfWidth: side * TURNED_HEAD_HALF_WIDTH,
    halfHeight: side * TURNED_HEAD_HALF_HEIGHT,
    angle,
  };
}

/** How much of the blurred patch the pixel whose top-left corner is (x, y) takes: 1 inside `region`, 0 outside, a ramp `fade` px wide across its edges. */
function orientedCoverage(region: OrientedRegion, fade: number, x: number, y: number): number {
  const dx = x + 0.5 - region.centreX;
  const dy = y + 0.5 - region.centreY;
  const cos = Math.cos(region.angle);
  const sin = Math.sin(region.angle);
  const inside = Math.min(region.halfWidth - Math.abs(dx * cos + dy * sin), region.halfHeight - Math.abs(-dx * sin + dy * cos));
  return clamp(inside / fade + 0.5, 0, 1);
}

/** The whole pixels an oriented region's corners span, `margin` px more each way, clamped to the photo. */
function orientedBounds(region: OrientedRegion, margin: number, imageWidth: number, imageHeight: number): PixelRegion {
  const cos = Math.abs(Math.cos(region.angle));
  const sin = Math.abs(Math.sin(region.angle));
  const reachX = region.halfWidth * cos + region.halfHeight * sin + margin;
  const reachY = region.halfWidth * sin + region.halfHeight * cos + margin;
  const box: Box = {
    x: (region.centreX - reachX) / imageWidth,
    y: (region.centreY - reachY) / imageHeight,
    width: (2 * reachX) / imageWidth,
    height: (2 * reachY) / imageHeight,
  };
  return pixelRegionOf(box, imageWidth, imageHeight);
}

/** The pixels blurred for one face: `bounds` holds them all, `coverage` says how much (photo pixels). */
export interface FaceBlurArea {
  bounds: PixelRegion;
  /** 0: the photo's pixel stays; 1: the blurred patch's; between: a mix (the faded edge of a turned head). */
  coverage(x: number, y: number): number;
}

/**
 * The area blurred for one face: the upright head around the box (faceBlurRegion), and with keypoints
 * also the head turned to the face (orientedHeadRegion). Both, because each covers what the other
 * misses on the benchmark's portraits: the turned one the corners of a head tilted 15..20°, where the
 * box shrinks and slides off the head's centre; the upright one the corners of the head's bounding box
 * on every face, and faces whose keypoints are misplaced (upside-down portraits the upright pass half
 * found). The turned one alone (1.1 x 1.4, grown the same way, no fade) left 2 detected faces of
 * retired 35-52 over the bar at a median region of 12.6 %; see tools/privacy-bench/README.md, Faces round 4.
 */
export function faceBlurArea(face: FaceMarks, imageWidth: number, imageHeight: number, options: HeadRegionOptions = {}): FaceBlurArea {
  const growth = halfFaceGrowth(face, imageWidth, imageHeight);
  const upright = faceBlurRegion(face.box, imageWidth, imageHeight, {
    halfWidth: (options.halfWidth ?? HEAD_HALF_WIDTH) * growth,
    halfHeight: (options.halfHeight ?? HEAD_HALF_HEIGHT) * growth,
  });
  const inUpright = (x: number, y: number) =>
    x >= upright.left && x < upright.left + upright.width && y >= upright.top && y < upright.top + upright.height ? 1 : 0;
  const oriented = orientedHeadRegion(face, imageWidth, imageHeight);
  if (!oriented) return { bounds: upright, coverage: inUpright };
  const fade = Math.max(1, TURNED_EDGE_FADE * Math.max(face.box.width * imageWidth, face.box.height * imageHeight));
  const turned = orientedBounds(oriented, fade / 2, imageWidth, imageHeight);
  const left = Math.min(upright.left, turned.left);
  const top = Math.min(upright.top, turned.top);
  const right = Math.max(upright.left + upright.width, turned.left + turned.width);
  const bottom = Math.max(upright.top + upright.height, turned.top + turned.height);
  return {
    bounds: { left, top, width: right - left, height: bottom - top },
    coverage: (x, y) => Math.max(inUpright(x, y), orientedCoverage(oriented, fade, x, y)),
  };
}

/** How many pixels an area touches at all (benchmarks: the share of the photo a face costs). */
export function pixelsCovered(area: FaceBlurArea): number {
  let n = 0;
  const { left, top, width, height } = area.bounds;
  for (let y = top; y < top + height; y++) for (let x = left; x < left + width; x++) if (area.coverage(x, y) > 0) n++;
  return n;
}
