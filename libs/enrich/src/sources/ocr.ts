/**
 * OCR text as evidence: known brands and product words read on the photo, documents that name
 * themselves, the document type the ocr stage recognised, and the layout of a card. Free OCR words
 * never become tags (they can be names, streets): only words on the fixed vocabulary lists and the
 * taxonomy's document types do. Pure; the text arrives redacted already.
 */
import { LOST_AND_FOUND_ITEMS, type TextsRecord } from '@media-ai/contracts';
import {
  MAX_CARD_LINES,
  MAX_OCR_READING_CONFIDENCE,
  OCR_DOCUMENT_TYPE_WEIGHT,
  OCR_PRODUCT_WORD_ITEM_WEIGHT,
  OCR_SINGLE_PRODUCT_BRAND_WEIGHT,
} from '../calibration.js';
import type { SourceFindings, TagClaim } from '../claims.js';
import { unitConfidence } from '../units.js';
import { SINGLE_PRODUCT_BRANDS, brandsInText, cardLayoutEvidence, documentItemsInText } from '../vocabulary.js';
import { itemOfLine, type ItemBox } from './item-boxes.js';

/** How much one reading counts for: its own confidence, never more than MAX_OCR_READING_CONFIDENCE. */
const readingConfidence = (confidence: number): number => Math.min(MAX_OCR_READING_CONFIDENCE, unitConfidence(confidence));

/**
 * `items`: the photo's items with their boxes (itemBoxes). A brand read inside an item's box names
 * that item as its evidence label ("varta" on the batteries), as an item's colour does; a brand read
 * elsewhere names itself.
 */
export function ocrFindings(part: TextsRecord, items: readonly ItemBox[] = []): SourceFindings {
  const findings: SourceFindings = { claims: [], objects: [] };
  const { claims } = findings;
  const lines = part.lines.length > 0 ? part.lines : [{ text: part.text, confidence: part.confidence, box: null }];
  for (const line of lines) {
    const confidence = readingConfidence(line.confidence);
    const onItem = itemOfLine(line.box, items);
    for (const hit of brandsInText(line.text)) {
      claims.push({ tag: hit.brand, category: 'brand', source: 'ocr', confidence, slot: 'brand', label: onItem?.item ?? hit.brand });
      if (hit.item)
        claims.push({
          tag: hit.item,
          category: 'object',
          source: 'ocr',
          confidence: confidence * OCR_PRODUCT_WORD_ITEM_WEIGHT,
          slot: null,
          label: hit.brand,
        });
      const implied = SINGLE_PRODUCT_BRANDS[hit.brand];
      if (implied)
        claims.push({
          tag: implied,
          category: 'object',
          source: 'ocr',
          confidence: confidence * OCR_SINGLE_PRODUCT_BRAND_WEIGHT,
          slot: null,
          label: hit.brand,
        });
    }
    // A document names itself ("PASSPORT", "DRIVER LICENSE"): evidence of the item no image model
    // has a class for. Not an exclusive claim: the words may be on a card lying next to the item.
    for (const hit of documentItemsInText(line.text)) {
      claims.push({ tag: hit.item, category: 'object', source: 'ocr', confidence: confidence * hit.weight, slot: null, label: hit.phrase });
    }
  }
  claims.push(...documentTypeClaims(part));
  // A card's layout (HGT, SEX M, RESTRICTIONS; Member, Deductible; tel, fax) spans lines, so it is
  // read on the whole text. A card holds little text: a page full of prose that happens to list a
  // phone and a fax is a letter, not a card.
  const layout = lines.length <= MAX_CARD_LINES ? cardLayoutEvidence(lines.map((l) => l.text).join('\n')) : null;
  if (layout) {
    claims.push({
      tag: layout.item,
      category: 'object',
      source: 'ocr',
      confidence: readingConfidence(part.confidence) * layout.weight,
      slot: null,
      label: layout.kind,
    });
  }
  return findings;
}

/**
 * The document type the ocr stage recognised (texts v2 `document`): a claim on its taxonomy item and
 * on the coarser item it is a kind of (a passport is a document, a payment card a card: finders post
 * those), with the type as the evidence's label and the redaction rules that recognised it as its
 * model. Not exclusive: the document may lie beside the item. A type the taxonomy lacks claims nothing.
 */
function documentTypeClaims(part: TextsRecord): TagClaim[] {
  const document = part.document;
  const item = document ? LOST_AND_FOUND_ITEMS.find((i) => i.tag === document.type) : undefined;
  if (!document || !item) return [];
  const confidence = unitConfidence(document.confidence) * OCR_DOCUMENT_TYPE_WEIGHT;
  const model = part.model_versions['privacy'];
  const claim = (tag: string): TagClaim => ({
    tag,
    category: 'object',
    source: 'ocr',
    confidence,
    slot: null,
    label: document.type,
    ...(model ? { model } : {}),
  });
  return [claim(item.tag), ...(item.kindOf ? [claim(item.kindOf)] : [])];
}
