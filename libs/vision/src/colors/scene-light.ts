/**
 * An underexposed photo's light: people adapt to it, so the lightest near-neutral surface of a dim scene is white
 * to them (a white phone photographed at night reads L* ~35 and is still white). The frame's white point
 * (frameWhitePoint, the 99th percentile of L*) says how dim the frame is; where it is under DIM_WHITE, the
 * colours within LIFT_NEAR of it and near-neutral (the frame's lightest surfaces) are named as they would read
 * with the exposure lifted until that white point reads LIFTED_WHITE, by at most MAX_LIFT_STOPS. A dark or a
 * coloured item keeps its exposure. Its cost, measured: a grey item that is the lightest surface of a dark frame
 * reads lighter (silver) too.
 *
 * Tried and not kept (tools/colour-eval.ts, tune): a white-patch / grey-edge estimate of a coloured light's cast
 * from the frame outside the item (von Kries gains where both agreed within half the cast, 3-25°): light_item
 * 0.438 -> 0.475, light_salient unchanged, and it cost salient, open and accent scenes as much (a real photo's warm
 * cast "corrected" off a gold or beige item pasted into it).
 *
 * Pure arithmetic; never decodes or does I/O. Deterministic.
 */
import type { Cluster } from './dominant-colors.js';
import { byteToLinear, chroma, labToRgb, linearToByte, rgbToLab, type Lab } from './color-space.js';

/** How a frame's exposure is read: its lightest near-neutral surfaces' gain in linear light (1: none). */
export interface FrameExposure {
  lift: number;
  /** The L* from which a near-neutral colour is one of the frame's lightest surfaces and is lifted. */
  liftFrom: number;
}

/** A frame whose white point (frameWhitePoint) is under this L* is underexposed: its lightest surface is a dim white. */
const DIM_WHITE = 75;
/** Where an underexposed frame's white point is lifted to (L*). */
const LIFTED_WHITE = 92;
/** The most an exposure is lifted, in stops: a darker frame's lightest surface is as likely a grey one. */
const MAX_LIFT_STOPS = 1.5;
/** A colour this close (ΔL*) below the frame's white point is one of its lightest surfaces. */
const LIFT_NEAR = 12;
/** ... and near-neutral under this chroma: a dark or a coloured item keeps its exposure. */
const LIFT_CHROMA = 20;

export const NO_LIFT: FrameExposure = { lift: 1, liftFrom: 100 };

/** The exposure lift of a frame whose white point (L*) is `whitePoint`; NO_LIFT where the frame is not dim. */
export function frameExposure(whitePoint: number): FrameExposure {
  if (whitePoint >= DIM_WHITE || whitePoint <= 8) return NO_LIFT;
  const luminance = (l: number) => ((l + 16) / 116) ** 3;
  return { lift: Math.min(2 ** MAX_LIFT_STOPS, luminance(LIFTED_WHITE) / luminance(whitePoint)), liftFrom: whitePoint - LIFT_NEAR };
}

/** A colour as it reads at the lifted exposure: lifted where it is one of the frame's lightest near-neutral surfaces. */
export function liftedColour(lab: Lab, exposure: FrameExposure): Lab {
  return exposure.lift > 1 && lab.l >= exposure.liftFrom && chroma(lab) < LIFT_CHROMA ? brighter(lab, exposure.lift) : lab;
}

/** Clusters of colours, their centres as they read at the lifted exposure. */
export function liftedClusters(clusters: readonly Cluster[], exposure: FrameExposure): Cluster[] {
  return exposure.lift > 1 ? clusters.map((c) => ({ ...c, centre: liftedColour(c.centre, exposure) })) : [...clusters];
}

/** The frame's white point (L*) at the lifted exposure. */
export function liftedWhitePoint(whitePoint: number, exposure: FrameExposure): number {
  return exposure.lift > 1 ? brighter({ l: whitePoint, a: 0, b: 0 }, exposure.lift).l : whitePoint;
}

/** A colour with its linear light multiplied by `gain`, clipped as a sensor clips. */
function brighter(lab: Lab, gain: number): Lab {
  const bytes = labToRgb(lab).map((v) => linearToByte(byteToLinear(v) * gain));
  return rgbToLab(bytes[0]!, bytes[1]!, bytes[2]!);
}
