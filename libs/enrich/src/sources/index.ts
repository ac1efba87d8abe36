/**
 * Every source's findings about every photo of a post: the detector's boxes and the classifier's
 * classes (per detections part), OCR text, the llm's description, the measured colours (items', photos').
 * The order is fixed because ties between equal tags and objects keep it. Pure.
 */
import type { ConfidenceThresholds, ManifestPhoto } from '@media-ai/contracts';
import type { SourceFindings } from '../claims.js';
import type { PartsByKind } from '../post-parts.js';
import { classifierFindings } from './classifier.js';
import { detectorFindings } from './detector.js';
import { llmFindings } from './llm.js';
import { coloredItems, measuredColorClaims } from './measured-colors.js';
import { ocrFindings } from './ocr.js';

/** `photos`: the photos the fetcher got. */
export function sourceFindings(parts: PartsByKind, photos: readonly ManifestPhoto[], thresholds: ConfidenceThresholds): SourceFindings[] {
  return [
    ...parts.detections.flatMap((part) => {
      const detector = detectorFindings(part, thresholds);
      // The classifier lists an item as an object only where the detector did not already.
      const listed = new Set(detector.objects.map((o) => o.name));
      return [detector, classifierFindings(part, thresholds, listed)];
    }),
    ...parts.texts.map(ocrFindings),
    ...parts.descriptions.map((part) => llmFindings(part, thresholds)),
    { claims: measuredColorClaims(photos, coloredItems(parts.detections, thresholds)), objects: [] },
  ];
}
