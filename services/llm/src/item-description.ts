/**
 * The answer the vision model must give about one photo: a fixed lost-and-found taxonomy, a named
 * colour palette, and free-text fields bounded in size. One zod schema is both the structured-output
 * JSON schema sent to the API (strict mode) and the validator of what comes back, so the two cannot
 * drift apart.
 *
 * Must never accept an answer outside the taxonomy or palette: downstream matching compares these
 * values literally, so an invented category ("smartphone") is worse than "other".
 */
import { z } from 'zod';
import { zodResponseFormat } from 'openai/helpers/zod';

export const ITEM_CATEGORIES = [
  'phone', 'wallet', 'keys', 'bag', 'backpack', 'laptop', 'tablet', 'headphones', 'watch', 'jewelry',
  'glasses', 'clothing', 'shoes', 'umbrella', 'bottle', 'document', 'card', 'toy', 'bicycle', 'pet',
  'electronics', 'other',
] as const;
export type ItemCategory = (typeof ITEM_CATEGORIES)[number];

export const ITEM_COLORS = [
  'black', 'white', 'gray', 'silver', 'red', 'orange', 'yellow', 'green', 'blue', 'navy', 'purple',
  'pink', 'brown', 'beige', 'gold',
] as const;
export type ItemColor = (typeof ITEM_COLORS)[number];

/** Kept below 300 characters: the record field feeds a post summary, not an essay. */
export const MAX_DESCRIPTION_CHARS = 299;
const MAX_COLORS = 4;
const MAX_MARKS = 8;
const MAX_SHORT_TEXT = 80;

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
  colors: z.array(z.enum(ITEM_COLORS)).max(MAX_COLORS).describe('Dominant colours of the item itself, most dominant first'),
  material: z.string().nullable().describe('Main material (leather, metal, plastic, fabric, ...), else null'),
  distinguishing_marks: z
    .array(z.string())
    .max(MAX_MARKS)
    .describe('Stickers, scratches, engravings, cases, keychains: what lets an owner recognise it'),
  description: z.string().describe('One or two factual sentences, under 300 characters'),
  confidence: z.number().min(0).max(1).describe('How sure you are of the category, 0..1'),
});

/** The validated, normalized answer for one photo (cacheable: no post or person data in it). */
export interface ItemDescription {
  category: ItemCategory;
  brand: string | null;
  model: string | null;
  colors: ItemColor[];
  material: string | null;
  distinguishing_marks: string[];
  description: string;
  confidence: number;
}

export const ITEM_DESCRIPTION_SCHEMA_NAME = 'lost_item_description';

/** The `response_format` for chat completions (type json_schema, strict). */
export function itemDescriptionResponseFormat() {
  return zodResponseFormat(itemDescriptionAnswerSchema, ITEM_DESCRIPTION_SCHEMA_NAME);
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
    distinguishing_marks: [
      ...new Set(answer.distinguishing_marks.map((mark) => clip(mark.trim(), MAX_SHORT_TEXT)).filter(Boolean)),
    ],
    description: clip(answer.description.trim(), MAX_DESCRIPTION_CHARS),
    confidence: answer.confidence,
  };
}

function shortText(value: string | null): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : clip(trimmed, MAX_SHORT_TEXT);
}

/** Clips at a word boundary when one is near, so a clipped description still reads as text. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
