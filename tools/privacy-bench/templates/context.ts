/**
 * What every template gets: the image's faker (seeded), locale, labels, person and fonts, plus the
 * small helpers templates share (bilingual labels, dates as tagged spans). A template is a layout of
 * one document kind; `holdout: true` layouts are drawn only in the holdout split.
 */
import type { Faker } from '@faker-js/faker';
import type { DocumentBuilder, DocumentModel, Span } from '../document.js';
import { personal, word } from '../document.js';
import type { CalendarDate, ImageKind, PersonalCategory } from '../ground-truth.js';
import { LABELS, type DateStyle, type LabelKey, type LocaleId, type LocaleInfo } from '../locales.js';
import { formatDate, type Person } from '../people.js';

export interface TemplateContext {
  faker: Faker;
  locale: LocaleInfo;
  person: Person;
  /** Whether portrait slots get a real face (otherwise a plain photo box). */
  withFace: boolean;
  /** A fresh builder for a document of this size, with the image's fonts. */
  builder(width: number, height: number): DocumentBuilder;
}

export interface Template {
  kind: ImageKind;
  layout: string;
  holdout: boolean;
  /** Locales it can draw (default: all). */
  locales?: readonly LocaleId[];
  draw(ctx: TemplateContext): DocumentModel;
}

export const label = (ctx: TemplateContext, key: LabelKey): string => LABELS[ctx.locale.language][key];

/** `Local/English` (or `English/French` where the local language is English), as document words. */
export function bilingual(ctx: TemplateContext, key: LabelKey, third = false): Span {
  const local = LABELS[ctx.locale.language][key];
  const en = LABELS.en[key];
  const fr = LABELS.fr[key];
  const parts = ctx.locale.language === 'en' ? [en, fr] : ctx.locale.language === 'fr' ? [fr, en] : third ? [local, en, fr] : [local, en];
  return word([...new Set(parts)].join('/'));
}

export function dateSpan(ctx: TemplateContext, d: CalendarDate, category: PersonalCategory, style?: DateStyle | 'icao' | 'us_long'): Span {
  return personal(formatDate(d, style ?? ctx.locale.dateStyles[0]!, ctx.locale), category, d);
}

/** One of the locale's own numeric styles, drawn per image. */
export function localDateStyle(ctx: TemplateContext): DateStyle {
  return ctx.faker.helpers.arrayElement(ctx.locale.dateStyles);
}

/** The ICAO code as the visual zone prints it (`D`, not `D<<`). */
export const countryCode = (ctx: TemplateContext): string => ctx.locale.country3.replace(/</g, '');

/** Issuing authority: the office, not a person (non-personal). */
export function authority(ctx: TemplateContext): string {
  const city = ctx.faker.location.city();
  switch (ctx.locale.id) {
    case 'de':
      return `Stadt ${city}`;
    case 'fr':
      return `Préfecture de ${city}`;
    case 'es':
      return `DGP ${city}`;
    case 'it':
      return `Comune di ${city}`;
    case 'nl':
      return `Burgemeester van ${city}`;
    case 'pl':
      return `Wojewoda ${city}`;
    case 'pt_BR':
      return `Polícia Federal ${city}`;
    case 'tr':
      return `${city} Nüfus Müdürlüğü`;
    case 'en_GB':
      return 'HMPO';
    default:
      return 'United States Department of State';
  }
}

/** Surname in capitals as documents print it. */
export const upper = (s: string): string => s.toLocaleUpperCase(localeTag);
const localeTag = 'en';
