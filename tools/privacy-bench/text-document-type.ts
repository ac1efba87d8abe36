/**
 * The document kind @media-ai/privacy recognises in an image's OCR reading, in the benchmark's
 * kind names (`national id` → `national_id`, nothing recognised → `none`). For `--doc-type-from-text`:
 * measures doc_type_accuracy on the cached readings while the ocr stage does not publish a
 * document type yet. Pure.
 *
 * Must never read the ground truth: it names a kind, the report compares.
 */
import { recogniseDocument } from '@media-ai/privacy';

export function documentKindFromText(lines: readonly string[], context: string): string {
  const document = recogniseDocument(lines.join('\n'), context);
  return document ? document.type.replace(/ /g, '_') : 'none';
}
