/**
 * The detector ensemble: every COCO detector that loaded (YOLOX-Nano when the model manager resolves
 * it, NanoDet-g always) runs on each photo at its agree threshold, and fuseDetections merges their
 * boxes class by class. Each fused object names the models that saw it ("yolox-nano+nanodet-g"), so
 * a tag's evidence says which detector produced it.
 *
 * The thresholds come from the table `npm run eval -- <manifest> --detector-table` prints for
 * ../shared/photos (26 photos, 24 expected objects with person; "wrong" = (photo, label) pairs not
 * in the manifest), measured with the models at their pinned versions:
 *   YOLOX alone at 0.30 ........................ 18/24 found, 14 wrong
 *   NanoDet alone at 0.30 / 0.35 / 0.45 ........ 20/24, 27 wrong / 16/24, 20 wrong / 12/24, 4 wrong
 *   union YOLOX 0.30 + NanoDet 0.45 ............ 18/24, 15 wrong
 *   fusion YOLOX 0.30/0.15 + NanoDet 0.50/0.30 . 20/24, 17 wrong   <- the default
 * The table's front also has YOLOX solo at 0.25 (21/24, 17 wrong): the extra object scores under
 * 0.30, and fusion downstream discards anything under AI_CONFIDENCE_DISCARD_BELOW (0.30), so it
 * would never be published; the solo threshold stays at the discard floor.
 * Fusion beats the union: agreement between the models admits boxes neither would report alone
 * (a phone at 0.2 in YOLOX and 0.35 in NanoDet), while NanoDet alone must be sure (0.50).
 * NanoDet alone (no model mirror) runs at 0.30: it is the only detector then, and 0.35 loses a
 * third of the objects (20 -> 16 of 24); its extra wrong labels stay at low confidence (0.30-0.45,
 * the "low" tier, never applied).
 *
 * Must never run a detector the caller did not give, nor change a detector's own decoding.
 */
import { fuseDetections, type EnsembleMember, type FusedObject } from './detection-fusion.js';
import type { DecodedImage } from './decoded-image.js';
import type { DetectedObject } from './object-detector.js';

/** What the ensemble needs of a detector (ObjectDetector from this package). */
export interface EnsembleDetector {
  readonly name: string;
  readonly version: string;
  detect(images: DecodedImage[]): Promise<DetectedObject[][]>;
  close?(): Promise<void>;
}

/** Thresholds per model when the other model runs too (see the table above). */
export const ENSEMBLE_THRESHOLDS: Readonly<Record<string, { solo: number; agree: number }>> = {
  'yolox-nano': { solo: 0.3, agree: 0.15 },
  'nanodet-g': { solo: 0.5, agree: 0.3 },
};

/** A detector's threshold when it is the only one (YOLOX: AI_DETECTOR_SCORE_THRESHOLD). */
export const SOLO_THRESHOLDS: Readonly<Record<string, number>> = {
  'yolox-nano': 0.3,
  'nanodet-g': 0.3,
};

/** Lowest score a detector must report for the ensemble: run it at this threshold. */
export function ensembleFloor(name: string, yoloxSolo = SOLO_THRESHOLDS['yolox-nano']!): number {
  const agree = ENSEMBLE_THRESHOLDS[name]?.agree ?? 0;
  return Math.min(agree, soloThreshold(name, yoloxSolo));
}

function soloThreshold(name: string, yoloxSolo: number): number {
  return name === 'yolox-nano' ? yoloxSolo : (SOLO_THRESHOLDS[name] ?? 0.5);
}

/**
 * The member settings for the detectors that loaded: ENSEMBLE_THRESHOLDS when there are several, the
 * detector's solo threshold when it is alone. `yoloxSolo` is AI_DETECTOR_SCORE_THRESHOLD.
 */
export function ensembleMembers(names: readonly string[], yoloxSolo = SOLO_THRESHOLDS['yolox-nano']!): EnsembleMember[] {
  if (names.length === 1) {
    const solo = soloThreshold(names[0]!, yoloxSolo);
    return [{ name: names[0]!, soloThreshold: solo, agreeThreshold: solo }];
  }
  return names.map((name) => {
    const t = ENSEMBLE_THRESHOLDS[name] ?? { solo: 0.5, agree: 0.5 };
    const solo = name === 'yolox-nano' ? yoloxSolo : t.solo;
    return { name, soloThreshold: solo, agreeThreshold: Math.min(t.agree, solo) };
  });
}

export class DetectorEnsemble {
  /** Record `model` of objects one model alone saw is that model; fused ones join the names with '+'. */
  readonly name: string;
  readonly version: string;
  /** model_versions entries: one per member. */
  readonly versions: Readonly<Record<string, string>>;
  private readonly members: EnsembleMember[];

  constructor(
    private readonly detectors: readonly EnsembleDetector[],
    options: { yoloxSolo?: number } = {},
  ) {
    if (detectors.length === 0) throw new Error('A detector ensemble needs at least one detector');
    this.members = ensembleMembers(
      detectors.map((d) => d.name),
      options.yoloxSolo,
    );
    this.name = detectors.map((d) => d.name).join('+');
    this.version = detectors.map((d) => d.version).join('+');
    this.versions = Object.fromEntries(detectors.map((d) => [d.name, d.version]));
  }

  get thresholds(): readonly EnsembleMember[] {
    return this.members;
  }

  /** One list of fused objects per image, in input order, highest confidence first. */
  async detect(images: DecodedImage[]): Promise<FusedObject[][]> {
    // One model after the other: on 2 cores two sessions at once only contend for the same threads.
    const perModel: DetectedObject[][][] = [];
    for (const detector of this.detectors) perModel.push(await detector.detect(images));
    return images.map((_, i) => fuseDetections(this.members.map((member, m) => ({ member, objects: perModel[m]![i] ?? [] }))));
  }

  async close(): Promise<void> {
    await Promise.all(this.detectors.map((d) => d.close?.()));
  }
}
