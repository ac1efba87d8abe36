/**
 * The prompt sent with each photo: fixed instructions, plus the post's title, description and type
 * as hints. The post text is written by the owner and often carries a phone number, an e-mail or a
 * name ("call Maria at ..."), so it goes through @media-ai/privacy's free-text redaction (the one
 * redactor, one token style) and is clipped here, before it can reach the API. Links and social
 * handles are not personal data to the redactor but are no hint about the photo either, and may
 * point at a place: the prompt leaves them out ([LINK], [HANDLE]). The fetcher has already masked the
 * identifiers the post names (serials, IMEIs).
 *
 * Must never include anything but that redacted text and the image: no URLs, no user or
 * organization data, no locations. Changing the wording changes answers, so bump PROMPT_VERSION
 * (it is part of the result-cache key, with the redaction rules' version).
 */
import { redactFreeText } from '@media-ai/privacy';
import {
  ITEM_CATEGORIES,
  ITEM_COLORS,
  ITEM_CONDITIONS,
  itemDescriptionJsonSchema,
  MAX_DESCRIPTION_CHARS,
  SCENES,
} from './item-description.js';

// v3: categories from the one taxonomy (suitcase split from bag).
// v4: post context redacted by @media-ai/privacy; serial numbers and IMEIs named among what is never transcribed.
export const PROMPT_VERSION = 'v4';

export interface PostContext {
  title: string | null;
  description: string | null;
  postType: string | null;
}

const MAX_TITLE_CHARS = 200;
const MAX_DESCRIPTION_CONTEXT_CHARS = 1000;

/** Not personal data, and no hint about the photo: links (which may name a place) and social handles stay out of the prompt. */
const NOT_SENT: ReadonlyArray<[RegExp, string]> = [
  [/\b(?:https?:\/\/|www\.)\S+/gi, '[LINK]'],
  [/(?<![\p{L}\p{N}._%+-])@[A-Za-z0-9_]{2,}\b(?!\.[\p{L}])/gu, '[HANDLE]'],
];

/** Owner-written text as the prompt may carry it: personal data redacted (libs/privacy), links and handles left out. */
export function redactContextText(text: string): string {
  const withoutLinks = NOT_SENT.reduce((acc, [pattern, replacement]) => acc.replace(pattern, replacement), text);
  return redactFreeText(withoutLinks).text;
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
  'Never transcribe names, addresses, phone numbers, e-mail addresses, card or ID numbers, serial numbers or IMEIs visible in the photo, in any field.',
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
