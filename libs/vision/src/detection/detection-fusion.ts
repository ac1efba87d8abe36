/**
 * Class-aware fusion of several detectors' boxes (the detector ensemble): boxes of the same COCO
 * label from different models that overlap are one object; its box is their confidence-weighted
 * mean and its confidence a damped noisy-OR of theirs (the strongest counts fully, each further model
 * removes AGREEMENT_WEIGHT of its share of the remaining doubt). An object seen
 * by one model alone is kept only above that model's solo threshold; agreement lets a lower score
 * through (down to each model's agree threshold). Pure: no sessions, no I/O.
 *
 * Why: on ../shared/photos YOLOX-Nano and NanoDet-g miss different things, and a label both models
 * report is rarely wrong, while either model alone at a low threshold invents labels (the threshold
 * table of `npm run eval -- --detector-table` is where the defaults come from).
 *
 * Must never merge different labels (a cup on a dining table is two objects) or two boxes of the
 * same model (each model's own NMS already decided those are separate objects).
 */
import type { Box } from '@media-ai/contracts';
import type { DetectedObject } from './object-detector.js';

/**
 * The models are not independent: trained on the same COCO images, they make the same mistakes (both
 * call a pack of batteries a "remote" at 0.7). Full noisy-OR would lift those shared mistakes to
 * 0.9; a damped one keeps them where a single model put them, plus a little.
 */
export const AGREEMENT_WEIGHT = 0.6;

export interface EnsembleMember {
  /** Model name (record `model` fields). */
  name: string;
  /** A box this model alone reports is kept from this confidence up. */
  soloThreshold: number;
  /** A box another model confirms is kept from this confidence up (<= soloThreshold). */
  agreeThreshold: number;
}

export interface FusedObject extends DetectedObject {
  /** The models that reported it, in ensemble order. */
  models: string[];
}

export interface FusionOptions {
  /** Boxes of one label overlapping at least this much are one object (default 0.5). */
  iouThreshold?: number;
  /** Upper bound of a fused confidence: agreement is strong evidence, never certainty (default 0.99). */
  maxConfidence?: number;
}

interface Member {
  model: number;
  object: DetectedObject;
}

export function fuseDetections(
  perModel: ReadonlyArray<{ member: EnsembleMember; objects: readonly DetectedObject[] }>,
  options: FusionOptions = {},
): FusedObject[] {
  const iouThreshold = options.iouThreshold ?? 0.5;
  const maxConfidence = options.maxConfidence ?? 0.99;
  const candidates: Member[] = perModel
    .flatMap(({ member, objects }, model) =>
      objects.filter((o) => o.confidence >= member.agreeThreshold).map((object) => ({ model, object })),
    )
    .sort((a, b) => b.object.confidence - a.object.confidence);

  const clusters: Member[][] = [];
  for (const candidate of candidates) {
    const home = clusters.find(
      (cluster) =>
        cluster[0]!.object.label === candidate.object.label &&
        !cluster.some((m) => m.model === candidate.model) &&
        boxIou(cluster[0]!.object.box, candidate.object.box) >= iouThreshold,
    );
    if (home) home.push(candidate);
    else clusters.push([candidate]);
  }

  return clusters
    .filter((cluster) => cluster.length > 1 || cluster[0]!.object.confidence >= perModel[cluster[0]!.model]!.member.soloThreshold)
    .map((cluster) => {
      const ordered = [...cluster].sort((a, b) => a.model - b.model);
      // Sorted strongest first (candidates were), so cluster[0] is the strongest claim.
      const doubt = cluster.slice(1).reduce((d, m) => d * (1 - AGREEMENT_WEIGHT * m.object.confidence), 1 - cluster[0]!.object.confidence);
      return {
        label: cluster[0]!.object.label,
        confidence: Math.min(maxConfidence, 1 - doubt),
        box: weightedBox(cluster.map((m) => m.object)),
        models: ordered.map((m) => perModel[m.model]!.member.name),
      };
    })
    .sort((a, b) => b.confidence - a.confidence);
}

/** Intersection over union of two boxes given as top-left corner and size. */
export function boxIou(a: Box, b: Box): number {
  const iw = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const ih = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const intersection = iw * ih;
  const union = a.width * a.height + b.width * b.height - intersection;
  return union > 0 ? intersection / union : 0;
}

function weightedBox(objects: readonly DetectedObject[]): Box {
  const total = objects.reduce((s, o) => s + o.confidence, 0);
  const mean = (pick: (o: DetectedObject) => number) => objects.reduce((s, o) => s + pick(o) * o.confidence, 0) / total;
  const x1 = mean((o) => o.box.x);
  const y1 = mean((o) => o.box.y);
  return { x: x1, y: y1, width: mean((o) => o.box.x + o.box.width) - x1, height: mean((o) => o.box.y + o.box.height) - y1 };
}
