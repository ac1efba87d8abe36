import { DEFAULT_THRESHOLDS, type Box } from '@media-ai/contracts';
import { describe, expect, it } from 'vitest';
import { detections, PHOTO_1, texts } from '../test-support/fixtures.js';
import { documentEvidence, documentFillingFrame, textSpansFrame, type FrameDocument } from './frame-document.js';

const passport: FrameDocument = { item: 'passport', model: 'privacy-rules-test', confidence: 0.95 };
const line = (x: number, y: number, width: number, height = 0.04): Box => ({ x, y, width, height });
/** A passport page's print: a title at the top, fields in the middle, the MRZ along the bottom. */
const pageLines = [line(0.4, 0.08, 0.3), line(0.35, 0.4, 0.4), line(0.05, 0.85, 0.9)];

describe('documentFillingFrame', () => {
  it('is the named document when its text spans the frame', () => {
    expect(documentFillingFrame({ named: [passport], textLines: pageLines, documentBoxes: [] })).toEqual(passport);
  });

  it('is the named document when a document-like box covers most of the frame, with no text read', () => {
    const book = { item: 'book', model: 'yolox-nano', confidence: 0.5 };
    const filling = { ...book, box: { x: 0.05, y: 0.05, width: 0.9, height: 0.85 } };
    expect(documentFillingFrame({ named: [], textLines: [], documentBoxes: [filling] })).toEqual(book);
    // The text read says which document it is.
    expect(documentFillingFrame({ named: [passport], textLines: [], documentBoxes: [filling] })).toEqual(passport);
    expect(
      documentFillingFrame({ named: [], textLines: [], documentBoxes: [{ ...book, box: { x: 0.2, y: 0.2, width: 0.6, height: 0.6 } }] }),
    ).toBeNull();
  });

  it('needs both facts: a document whose text covers a part of the frame, or text all over a photo of no document, is not one', () => {
    // A passport lying on a table: its lines fill a third of the frame.
    expect(
      documentFillingFrame({ named: [passport], textLines: [line(0.3, 0.3, 0.3), line(0.3, 0.5, 0.3)], documentBoxes: [] }),
    ).toBeNull();
    // A poster of text, a batteries' pack: text everywhere, but no stage names a document.
    expect(documentFillingFrame({ named: [], textLines: pageLines, documentBoxes: [] })).toBeNull();
    expect(
      documentFillingFrame({
        named: [{ item: 'batteries', model: 'mobilenetv2', confidence: 0.9 }],
        textLines: pageLines,
        documentBoxes: [],
      }),
    ).toBeNull();
  });

  it('takes the span of the lines together, not of one line: a tall column of short lines spans only its width', () => {
    expect(textSpansFrame([line(0.1, 0.1, 0.2), line(0.1, 0.8, 0.2)])).toBe(false);
    expect(textSpansFrame([line(0.1, 0.1, 0.2), line(0.5, 0.8, 0.2)])).toBe(true);
    expect(textSpansFrame([])).toBe(false);
  });
});

describe('documentEvidence', () => {
  it("puts the document the text names first, then the classifier's top item, and keeps the lines' boxes", () => {
    const part = detections(
      PHOTO_1,
      [['book', 0.2]],
      [
        ['envelope', 'document', 0.4],
        ['cellular telephone', 'phone', 0.35],
      ],
    );
    const read = { ...texts(PHOTO_1, [['PASSPORT', 0.9]], [], { type: 'passport', confidence: 0.95, evidence: ['phrase:passport'] }) };
    const evidence = documentEvidence(part, read, DEFAULT_THRESHOLDS);
    expect(evidence.named.map((d) => d.item)).toEqual(['passport', 'document']);
    expect(evidence.named[0]).toMatchObject({ model: 'privacy-rules-test', confidence: 0.95 });
    expect(evidence.textLines).toHaveLength(1);
    // The classifier's second item is not what the photo is; the book's box is below the discard floor.
    expect(evidence.documentBoxes).toEqual([]);
  });

  it('has no text evidence when OCR did not answer', () => {
    const evidence = documentEvidence(detections(PHOTO_1, [], []), undefined, DEFAULT_THRESHOLDS);
    expect(evidence).toEqual({ named: [], textLines: [], documentBoxes: [] });
  });
});
