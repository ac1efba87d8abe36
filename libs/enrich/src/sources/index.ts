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
import { itemBoxes } from './item-boxes.js';
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
    // A brand read inside an item's box names that item (the detections part of the same photo has the boxes).
    ...parts.texts.map((part) => {
      const detections = parts.detections.find((d) => d.photo_id === part.photo_id);
      return ocrFindings(part, detections ? itemBoxes(detections, thresholds) : []);
    }),
    ...parts.descriptions.map((part) => llmFindings(part, thresholds)),
    { claims: measuredColorClaims(photos, coloredItems(parts.detections, thresholds, parts.texts, photos)), objects: [] },
  ];
}
