/**
 * The prompt sent with each photo: fixed instructions, plus the post's title, description and type
 * as hints. The post text is written by the owner and often carries a phone number or e-mail
 * ("call me at ..."), so it is redacted and clipped here, before it can reach the API.
 *
 * Must never include anything but that redacted text and the image: no URLs, no user or
 * organization data, no locations. Changing the wording changes answers, so bump PROMPT_VERSION
 * (it is part of the result-cache key).
 */
import {
  ITEM_CATEGORIES,
  ITEM_COLORS,
  ITEM_CONDITIONS,
  itemDescriptionJsonSchema,
  MAX_DESCRIPTION_CHARS,
  SCENES,
} from './item-description.js';

// v3: categories from the one taxonomy (suitcase split from bag).
export const PROMPT_VERSION = 'v3';

export interface PostContext {
  title: string | null;
  description: string | null;
  postType: string | null;
}

const MAX_TITLE_CHARS = 200;
const MAX_DESCRIPTION_CONTEXT_CHARS = 1000;

// Order matters: URLs and e-mails first, so their digits are not half-eaten by the number rules.
const REDACTIONS: ReadonlyArray<[RegExp, string]> = [
  [/\b(?:https?:\/\/|www\.)\S+/gi, '[link]'],
  [/[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu, '[email]'],
  // Card, account and ID numbers: long digit runs, with or without separators ("+" starts a phone number).
  [/(?<!\+)\b\d(?:[ -]?\d){11,}\b/g, '[number]'],
  // Phone numbers: 7+ digits with the usual separators, optionally international.
  [/[+(]?\b\d[\d ().-]{5,}\d\b/g, '[phone]'],
  [/@[A-Za-z0-9_]{2,}/g, '[handle]'],
];

/** Removes contact details and long identifiers from owner-written text. */
export function redactContextText(text: string): string {
  return REDACTIONS.reduce((acc, [pattern, replacement]) => acc.replace(pattern, replacement), text);
}

const SYSTEM_PROMPT = [
  'You describe photos of lost or found items for a lost-and-found platform.',
  'Describe only the main item, as seen in the photo. The post text is a hint written by a person; trust the photo when they disagree.',
  `category: one of ${ITEM_CATEGORIES.join(', ')}; use "other" when none fits.`,
  `colors: up to 4 of ${ITEM_COLORS.join(', ')}, the item's own colours, most dominant first.`,
  'brand and model: only when a logo, label or unmistakable design shows them; otherwise null. Never guess.',
  `condition: one of ${ITEM_CONDITIONS.join(', ')}, or null when the photo does not show it.`,
  'distinguishing_marks: stickers, scratches, engravings, cases, keychains, damage.',
  'visible_text: logos and printed product words legible on the item.',
  'Never transcribe names, addresses, phone numbers, e-mail addresses, card or ID numbers visible in the photo, in any field.',
  `scene: the kind of place, one of ${SCENES.join(', ')}, or null. Never name a specific place, street or landmark.`,
  `description: one or two factual sentences under ${MAX_DESCRIPTION_CHARS + 1} characters, no people, no places.`,
  'confidence: for each field, your probability from 0 to 1 that it is right; 0 for a field you left null or empty. Use low values for blurry or ambiguous photos.',
].join('\n');

/** The user-visible text part that accompanies the image. */
export function contextText(context: PostContext): string {
  const lines = ['Post context (may be incomplete or wrong):'];
  if (context.postType) lines.push(`Type: ${clipText(redactContextText(context.postType), 20)}`);
  if (context.title) lines.push(`Title: ${clipText(redactContextText(context.title), MAX_TITLE_CHARS)}`);
  if (context.description) {
    lines.push(`Description: ${clipText(redactContextText(context.description), MAX_DESCRIPTION_CONTEXT_CHARS)}`);
  }
  if (lines.length === 1) lines.push('(none)');
  return lines.join('\n');
}

/**
 * The instructions. Servers that cannot take the schema as `response_format` (JSON mode, plain
 * text) get it in the prompt instead: the answer is validated against the same schema either way.
 */
export function systemPrompt(options: { schemaInPrompt?: boolean } = {}): string {
  if (!options.schemaInPrompt) return SYSTEM_PROMPT;
  return [
    SYSTEM_PROMPT,
    'Answer with one JSON object and nothing else (no prose, no code fences), matching this JSON schema:',
    JSON.stringify(itemDescriptionJsonSchema()),
  ].join('\n');
}

function clipText(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}
