/**
 * Answers of the vision model to the llm stage's question (the item-description schema), for the
 * OpenAI-compatible stand-in of @media-ai/openai/test-support to give. Never used by product code.
 */
import type { ScriptedReply } from '@media-ai/openai/test-support';

/** A valid answer about the shared photo of a phone: what a good model says. */
export const VALID_ANSWER = {
  category: 'phone',
  brand: 'Apple',
  model: 'iPhone 13',
  colors: ['black'],
  material: 'glass',
  condition: 'damaged',
  distinguishing_marks: ['cracked top-left corner', 'blue silicone case'],
  visible_text: [],
  scene: 'outdoor_park',
  description: 'A black smartphone in a blue silicone case with a cracked top-left corner of the screen.',
  confidence: { category: 0.87, brand: 0.8, model: 0.55, colors: 0.9, material: 0.6, condition: 0.7, scene: 0.5 },
};

/** The stand-in's `fallback` for suites that run the llm stage: every unscripted photo gets VALID_ANSWER. */
export const DESCRIBES_EVERY_PHOTO: ScriptedReply = { kind: 'answer', answer: VALID_ANSWER };
