/**
 * The media-ai.descriptions record the llm stage publishes for one photo: the answer's fields the
 * v1 record carries, or a failed part with its error code so the aggregator stops waiting for it.
 *
 * The record has one confidence (the category's). A brand, model, material or colour list the
 * model itself rated below FIELD_CONFIDENCE_FLOOR is left out rather than published under the
 * category's confidence: downstream would read it as that sure. Must never publish a field the
 * answer did not have, and never a failure's raw text (failedPart keeps only our own messages).
 */
import { emptyDescription, failedPart, okPart, type DescriptionRecord, type PhotoRecord } from '@media-ai/contracts';
import type { ItemDescription } from './item-description.js';

/** Key of this stage's entry in model_versions. */
export const LLM_MODEL_VERSION_KEY = 'openai';

/** Below this the model thinks the field more likely wrong than right. */
export const FIELD_CONFIDENCE_FLOOR = 0.5;

export function describedRecord(photo: PhotoRecord, answer: ItemDescription, modelVersion: string, durationMs: number): DescriptionRecord {
  const sure = (field: keyof ItemDescription['confidence']) => answer.confidence[field] >= FIELD_CONFIDENCE_FLOOR;
  const payload = {
    category: answer.category,
    brand: sure('brand') ? answer.brand : null,
    model: sure('model') ? answer.model : null,
    colors: sure('colors') ? answer.colors : [],
    material: sure('material') ? answer.material : null,
    distinguishing_marks: answer.distinguishing_marks,
    description: answer.description,
    confidence: answer.confidence.category,
  };
  return okPart(photo, modelVersionsOf(modelVersion), payload, { durationMs });
}

/** A part that says "no description for this photo", so the join can complete without it. */
export function failedRecord(photo: PhotoRecord, error: unknown, modelVersion: string, durationMs = 0): DescriptionRecord {
  return failedPart(photo, modelVersionsOf(modelVersion), error, emptyDescription(), durationMs);
}

function modelVersionsOf(modelVersion: string): Record<string, string> {
  return { [LLM_MODEL_VERSION_KEY]: modelVersion };
}
