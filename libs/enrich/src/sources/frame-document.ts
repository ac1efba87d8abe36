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
  /** What the photo is, as the text read says (a recognised document type) and the classifier's top item, in that order. */
  named: readonly FrameDocument[];
  /** Boxes of the lines of text read (normalised). */
  textLines: readonly Box[];
  /** Detected document-like things, with their boxes (normalised). */
  documentBoxes: ReadonlyArray<FrameDocument & { box: Box }>;
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

/**
 * The document filling the frame, or null when either fact is missing: a document-like detector box
 * covering most of the frame (named as the text read names it when that is a document too: a passport
 * is more than a book), or a document the text read or the classifier names, whose text spans the frame.
 */
export function documentFillingFrame(evidence: DocumentEvidence): FrameDocument | null {
  const named = evidence.named.find((d) => isDocumentLike(d.item)) ?? null;
  const box = evidence.documentBoxes.find((d) => isDocumentLike(d.item) && boxArea(d.box) >= DOCUMENT_BOX_SHARE);
  if (box) return named ?? { item: box.item, model: box.model, confidence: box.confidence };
  return named && textSpansFrame(evidence.textLines) ? named : null;
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
 * answer): the recognised document type first (the text says what it is), then the classifier's top
 * item (what the whole photo is; a lesser class is not), and the detector's document-like things,
 * each sure enough to the discard floor.
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
  const top = classifierItems(detections.classifications)[0];
  if (top && top.confidence >= thresholds.discardBelow) named.push({ item: top.item, model: top.model, confidence: top.confidence });
  const documentBoxes = detections.objects.flatMap((o) => {
    const item = canonicalItem(o.label);
    return item !== null && isDocumentLike(item) && o.confidence >= thresholds.discardBelow
      ? [{ item, model: o.model, confidence: o.confidence, box: o.box }]
      : [];
  });
  return { named, textLines: (texts?.lines ?? []).flatMap((l) => (l.box ? [l.box] : [])), documentBoxes };
}
