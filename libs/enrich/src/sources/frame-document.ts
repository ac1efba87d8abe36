/**
 * Whether a photo is a document or card seen close up, so that the item is the whole document and not
 * the part inside it that stands out (the passport's portrait, a business card's text block): decided
 * from what the other stages know, not from pixels. Two facts must both hold: the photo is a document
 * (the ocr stage recognised a document type from the text read, or the classifier or the detector names
 * a document-like item: a card, a document, a book) and it fills the frame (the text read spans most of
 * the frame, or a document-like detector box covers most of it). Pixels alone could not tell a card
 * close-up from an item on a plain table (issue 20: the frame-ring rule fired on both).
 *
 * Pure; must never decide from a single fact, and never name an item no stage named.
 */
import {
  LOST_AND_FOUND_ITEMS,
  type Box,
  type ConfidenceThresholds,
  type DetectionsRecord,
  type NamedColor,
  type TextsRecord,
} from '@media-ai/contracts';
import { boxArea } from './box-geometry.js';
import { classifierItems } from './classifier.js';
import { canonicalItem } from '../vocabulary.js';

/** The document a photo is, filling its frame. */
export interface FrameDocument {
  /** The canonical item (passport, card, book). */
  item: string;
  /** The stage's model or rules that named it. */
  model: string;
  /** That stage's confidence in it. */
  confidence: number;
}

/** The facts the rule joins, as the stages give them (the colour benchmark passes them for its scenes too). */
export interface DocumentEvidence {
  /** The document named by the text read, by the classifier or by the detector, strongest first. */
  named: readonly FrameDocument[];
  /** Boxes of the lines of text read (normalised). */
  textLines: readonly Box[];
  /** Boxes of detected document-like things (normalised). */
  documentBoxes: readonly Box[];
}

/**
 * The text read spans most of the frame when the box around its lines covers at least this share of the
 * frame's width and of its height: a card's or a page's print reaches from edge to edge of the item;
 * a label on a bottle or a card lying on a table spans a fraction. Judgment (issue 20).
 */
export const TEXT_SPAN = 0.5;
/** A document-like detector box covers most of the frame at this share of its area. Judgment (issue 20). */
export const DOCUMENT_BOX_SHARE = 0.6;

/** Items a photo is a document of: the taxonomy's documents and cards (and their kinds), and books. */
const DOCUMENT_LIKE = new Set(LOST_AND_FOUND_ITEMS.filter((i) => i.group === 'documents and cards' || i.tag === 'book').map((i) => i.tag));

export function isDocumentLike(item: string): boolean {
  return DOCUMENT_LIKE.has(item);
}

/** The document filling the frame, or null when either fact is missing. */
export function documentFillingFrame(evidence: DocumentEvidence): FrameDocument | null {
  const named = evidence.named.find((d) => isDocumentLike(d.item));
  if (!named) return null;
  return textSpansFrame(evidence.textLines) || evidence.documentBoxes.some((b) => boxArea(b) >= DOCUMENT_BOX_SHARE) ? named : null;
}

/**
 * The document's colours: the whole photo's (the fetcher's palette), its main colour first. The palette
 * ranks a vivid colour above a larger neutral one (a yellow taxi in a grey street); on a document the
 * portrait or logo is the vivid part, so here the share decides, as it does for an item's colours.
 */
export function documentColors(palette: readonly NamedColor[]): NamedColor[] {
  return [...palette].sort((a, b) => b.share - a.share);
}

/** The box around all the lines covers TEXT_SPAN of the frame's width and of its height. */
export function textSpansFrame(lines: readonly Box[]): boolean {
  const boxes = lines.filter((b) => b.width > 0 && b.height > 0);
  if (boxes.length === 0) return false;
  const x0 = Math.max(0, Math.min(...boxes.map((b) => b.x)));
  const y0 = Math.max(0, Math.min(...boxes.map((b) => b.y)));
  const x1 = Math.min(1, Math.max(...boxes.map((b) => b.x + b.width)));
  const y1 = Math.min(1, Math.max(...boxes.map((b) => b.y + b.height)));
  return x1 - x0 >= TEXT_SPAN && y1 - y0 >= TEXT_SPAN;
}

/**
 * The evidence of one photo from its detections part and its texts part (absent when OCR did not
 * answer): the recognised document type first (the text says what it is), then the classifier's and
 * the detector's document-like items sure enough to the discard floor.
 */
export function documentEvidence(
  detections: DetectionsRecord,
  texts: TextsRecord | undefined,
  thresholds: ConfidenceThresholds,
): DocumentEvidence {
  const named: FrameDocument[] = [];
  const recognised = texts?.document;
  if (recognised && isDocumentLike(recognised.type))
    named.push({ item: recognised.type, model: texts?.model_versions['privacy'] ?? 'privacy', confidence: recognised.confidence });
  for (const c of classifierItems(detections.classifications)) {
    if (c.confidence >= thresholds.discardBelow) named.push({ item: c.item, model: c.model, confidence: c.confidence });
  }
  const documentObjects = detections.objects.filter((o) => {
    const item = canonicalItem(o.label);
    return item !== null && isDocumentLike(item) && o.confidence >= thresholds.discardBelow;
  });
  for (const o of documentObjects) named.push({ item: canonicalItem(o.label)!, model: o.model, confidence: o.confidence });
  return {
    named,
    textLines: (texts?.lines ?? []).flatMap((l) => (l.box ? [l.box] : [])),
    documentBoxes: documentObjects.map((o) => o.box),
  };
}
