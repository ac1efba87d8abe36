/**
 * Every template, by kind. The holdout split may draw any of them; the tune split never draws one
 * marked `holdout`.
 */
import type { ImageKind, Split } from '../ground-truth.js';
import type { LocaleId } from '../locales.js';
import { CARD_TEMPLATES } from './cards.js';
import type { Template } from './context.js';
import { IDENTITY_TEMPLATES } from './identity.js';
import { TRAVEL_AND_LABEL_TEMPLATES } from './travel-and-labels.js';

export type { Template, TemplateContext } from './context.js';

export const TEMPLATES: readonly Template[] = [...IDENTITY_TEMPLATES, ...CARD_TEMPLATES, ...TRAVEL_AND_LABEL_TEMPLATES];

export function templatesFor(kind: ImageKind, split: Split, locale: LocaleId): Template[] {
  return TEMPLATES.filter((t) => t.kind === kind && (split === 'holdout' || !t.holdout) && (!t.locales || t.locales.includes(locale)));
}
