/**
 * The answer the vision model must give about one photo: a fixed lost-and-found taxonomy, the named
 * colour palette the fetcher measures with, a few closed vocabularies (condition, scene), bounded
 * free text, and a confidence for each judged field. One zod schema is both the structured-output
 * JSON schema sent to the API (strict mode) and the validator of what comes back, so the two cannot
 * drift apart.
 *
 * Must never accept an answer outside the taxonomy or palette, and never fill in a field the model
 * did not give: downstream matching compares these values literally, so an invented category
 * ("smartphone") or a guessed brand is worse than "other" or null.
 */
import { COLOR_NAMES, LLM_ITEM_CATEGORIES } from '@media-ai/contracts';
import { z } from 'zod';
import { zodResponseFormat } from 'openai/helpers/zod';

/** The taxonomy's llm categories (LOST_AND_FOUND_ITEMS in @media-ai/contracts), 'other' last. */
export const ITEM_CATEGORIES = LLM_ITEM_CATEGORIES;
export type ItemCategory = (typeof ITEM_CATEGORIES)[number];

/** The one colour vocabulary (COLOR_NAMES in @media-ai/contracts): what the fetcher measures in. */
export const ITEM_COLORS = COLOR_NAMES;
export type ItemColor = (typeof ITEM_COLORS)[number];

export const ITEM_CONDITIONS = ['new', 'good', 'worn', 'damaged'] as const;
export type ItemCondition = (typeof ITEM_CONDITIONS)[number];

/**
 * Kinds of place, never places: a closed list cannot carry a street name or a landmark, which a
 * free-text scene would (the original service asked the model for landmarks and coordinates).
 */
export const SCENES = [
  'indoor_home',
  'indoor_office',
  'indoor_retail',
  'indoor_restaurant',
  'indoor_educational',
  'indoor_public',
  'outdoor_street',
  'outdoor_park',
  'outdoor_nature',
  'outdoor_beach',
  'transit',
  'vehicle_interior',
  'plain_background',
] as const;
export type Scene = (typeof SCENES)[number];

/** Kept below 300 characters: the record field feeds a post summary, not an essay. */
export const MAX_DESCRIPTION_CHARS = 299;
const MAX_COLORS = 4;
const MAX_MARKS = 8;
const MAX_TEXTS = 8;
const MAX_SHORT_TEXT = 80;

const unit = () => z.number().min(0).max(1);

/**
 * What is sent as `response_format` and checked on return. Strict structured outputs require every
 * property to be listed as required, so "unknown" is `null`, never an absent key. String length is
 * deliberately not in the wire schema (strict mode does not accept `maxLength`); it is enforced in
 * {@link normalizeItemDescription} instead.
 */
export const itemDescriptionAnswerSchema = z.object({
  category: z.enum(ITEM_CATEGORIES).describe('The lost-and-found category of the main item'),
  brand: z.string().nullable().describe('Brand visible on the item or unmistakable from its design, else null'),
  model: z.string().nullable().describe('Product model when identifiable, else null'),
  colors: z.array(z.enum(ITEM_COLORS)).max(MAX_COLORS).describe('Colours of the item itself, most dominant first'),
  material: z.string().nullable().describe('Main material (leather, metal, plastic, fabric, ...), else null'),
  condition: z.enum(ITEM_CONDITIONS).nullable().describe('Visible condition of the item, else null'),
  distinguishing_marks: z
    .array(z.string())
    .max(MAX_MARKS)
    .describe('Stickers, scratches, engravings, cases, keychains: what lets an owner recognise it'),
  visible_text: z.array(z.string()).max(MAX_TEXTS).describe('Logos and printed words legible on the item, never personal data'),
  scene: z.enum(SCENES).nullable().describe('The kind of place the photo was taken in, else null'),
  description: z.string().describe('One or two factual sentences, under 300 characters'),
  confidence: z
    .object({
      category: unit(),
      brand: unit(),
      model: unit(),
      colors: unit(),
      material: unit(),
      condition: unit(),
      scene: unit(),
    })
    .describe('Your probability, 0..1, that each field is right; 0 for a field you left null or empty'),
});

export type FieldConfidence = z.infer<typeof itemDescriptionAnswerSchema>['confidence'];

/** The validated, normalized answer for one photo (cacheable: no post or person data in it). */
export interface ItemDescription {
  category: ItemCategory;
  brand: string | null;
  model: string | null;
  colors: ItemColor[];
  material: string | null;
  condition: ItemCondition | null;
  distinguishing_marks: string[];
  visible_text: string[];
  scene: Scene | null;
  description: string;
  confidence: FieldConfidence;
}

export const ITEM_DESCRIPTION_SCHEMA_NAME = 'lost_item_description';

/** The `response_format` for chat completions (type json_schema, strict). */
export function itemDescriptionResponseFormat() {
  return zodResponseFormat(itemDescriptionAnswerSchema, ITEM_DESCRIPTION_SCHEMA_NAME);
}

/** The bare JSON schema, for prompts of servers that cannot take it as `response_format`. */
export function itemDescriptionJsonSchema(): Record<string, unknown> {
  const schema = { ...(itemDescriptionResponseFormat().json_schema.schema ?? {}) };
  delete schema['$schema'];
  return schema;
}

export type AnswerCheck = { ok: true; value: ItemDescription } | { ok: false; reason: string };

/**
 * Validates a parsed answer and tidies it: trims strings, turns empty strings into null (models
 * often answer "" for "unknown"), removes duplicate colours and marks, and clips long text. Anything
 * structurally wrong (missing field, unknown category, confidence 1.7) is rejected, not repaired.
 */
export function checkItemDescription(value: unknown): AnswerCheck {
  const parsed = itemDescriptionAnswerSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'answer';
    return { ok: false, reason: `${where}: ${issue?.message ?? 'does not match the schema'}` };
  }
  return { ok: true, value: normalizeItemDescription(parsed.data) };
}

function normalizeItemDescription(answer: z.infer<typeof itemDescriptionAnswerSchema>): ItemDescription {
  return {
    category: answer.category,
    brand: shortText(answer.brand),
    model: shortText(answer.model),
    colors: [...new Set(answer.colors)],
    material: shortText(answer.material),
    condition: answer.condition,
    distinguishing_marks: shortTexts(answer.distinguishing_marks),
    visible_text: shortTexts(answer.visible_text),
    scene: answer.scene,
    description: clipText(answer.description.trim(), MAX_DESCRIPTION_CHARS),
    confidence: { ...answer.confidence },
  };
}

function shortText(value: string | null): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : clipText(trimmed, MAX_SHORT_TEXT);
}

function shortTexts(values: string[]): string[] {
  return [...new Set(values.map((v) => clipText(v.trim(), MAX_SHORT_TEXT)).filter(Boolean))];
}

/** Clips at a word boundary when one is near, so a clipped text still reads as text. */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
