/**
 * One fictitious person per image, drawn from faker in the image's locale: names, birth date and
 * place, address, phone, e-mail, document numbers in the country's shape, dates formatted the way
 * its documents print them. Faker's reference date is pinned, so the same seed gives the same person
 * on any day. Must never use Math.random or the clock.
 */
import { Faker } from '@faker-js/faker';
import type { CalendarDate } from './ground-truth.js';
import { LOCALES, MONTHS, MONTH_NAMES_EN, type DateStyle, type LocaleId, type LocaleInfo } from './locales.js';

/** Faker's "today": birth dates and expiry dates are drawn around it. */
export const REFERENCE_DATE = '2025-06-01T00:00:00.000Z';

export interface Address {
  street: string;
  postcode: string;
  city: string;
}

export interface Person {
  sex: 'M' | 'F';
  givenNames: string;
  surname: string;
  birthDate: CalendarDate;
  birthPlace: string;
  address: Address;
  phone: string;
  email: string;
}

export function createFaker(locale: LocaleId, seed: number): Faker {
  const faker = new Faker({ locale: LOCALES[locale].faker });
  faker.seed(seed);
  faker.setDefaultRefDate(REFERENCE_DATE);
  return faker;
}

export function calendarDate(d: Date): CalendarDate {
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function createPerson(faker: Faker): Person {
  const sex = faker.helpers.arrayElement(['M', 'F'] as const);
  const fakerSex = sex === 'M' ? 'male' : 'female';
  const given = [faker.person.firstName(fakerSex)];
  if (faker.number.int(3) === 0) given.push(faker.person.firstName(fakerSex));
  const surname = faker.person.lastName(fakerSex);
  return {
    sex,
    givenNames: [...new Set(given)].join(' '),
    surname,
    birthDate: calendarDate(faker.date.birthdate({ mode: 'age', min: 18, max: 85 })),
    birthPlace: faker.location.city(),
    address: { street: faker.location.streetAddress(), postcode: faker.location.zipCode(), city: faker.location.city() },
    phone: faker.phone.number({ style: faker.datatype.boolean() ? 'national' : 'international' }),
    email: faker.internet.email({ firstName: given[0], lastName: surname }).toLowerCase(),
  };
}

/** A date within `years` of the reference date (issue dates before it, expiry dates after). */
export function documentDate(faker: Faker, direction: 'past' | 'future', years: number): CalendarDate {
  return calendarDate(direction === 'past' ? faker.date.past({ years }) : faker.date.future({ years }));
}

const two = (n: number) => String(n).padStart(2, '0');

/** Numeric and abbreviated date styles; `icao` is the bilingual passport style `12 MAR/MARS 85`. */
export function formatDate(d: CalendarDate, style: DateStyle | 'icao' | 'us_long', locale: LocaleInfo): string {
  switch (style) {
    case 'dmy_dot':
      return `${two(d.day)}.${two(d.month)}.${d.year}`;
    case 'dmy_slash':
      return `${two(d.day)}/${two(d.month)}/${d.year}`;
    case 'mdy_slash':
      return `${two(d.month)}/${two(d.day)}/${d.year}`;
    case 'iso':
      return `${d.year}-${two(d.month)}-${two(d.day)}`;
    case 'dmy_dash':
      return `${two(d.day)}-${two(d.month)}-${d.year}`;
    case 'dmy_space':
      return `${two(d.day)} ${two(d.month)} ${d.year}`;
    case 'd_mon_y':
      return `${two(d.day)} ${MONTHS[locale.language][d.month - 1]} ${d.year}`;
    case 'us_long':
      return `${MONTH_NAMES_EN[d.month - 1]} ${d.day}, ${d.year}`;
    case 'icao': {
      const local = MONTHS[locale.language][d.month - 1]!;
      // ICAO's second language is English, or French where the first already is English.
      const second = locale.language === 'en' ? MONTHS.fr[d.month - 1]! : MONTHS.en[d.month - 1]!;
      const months = local === second ? local : `${local}/${second}`;
      return `${two(d.day)} ${months} ${two(d.year % 100)}`;
    }
  }
}

/** Card expiry: `08/27`, no day. */
export function formatMonthYear(d: CalendarDate): string {
  return `${two(d.month)}/${two(d.year % 100)}`;
}

/** A document number in the shape the country prints (letters and digits, 8 or 9 characters). */
export function documentNumber(faker: Faker, locale: LocaleInfo): string {
  switch (locale.id) {
    case 'de':
      return faker.string.fromCharacters('CFGHJKLMNPRTVWXYZ', 1) + faker.string.fromCharacters('CFGHJKLMNPRTVWXYZ0123456789', 8);
    case 'fr':
      return faker.string.numeric(2) + faker.string.alpha({ length: 2, casing: 'upper' }) + faker.string.numeric(5);
    case 'en_US':
      return faker.string.numeric(9);
    case 'es':
      return faker.string.alpha({ length: 3, casing: 'upper' }) + faker.string.numeric(6);
    case 'it':
      return faker.string.alpha({ length: 2, casing: 'upper' }) + faker.string.numeric(7);
    case 'nl':
      return (
        faker.string.alpha({ length: 2, casing: 'upper' }) +
        faker.string.alphanumeric({ length: 6, casing: 'upper' }) +
        faker.string.numeric(1)
      );
    case 'pl':
      return faker.string.alpha({ length: 3, casing: 'upper' }) + faker.string.numeric(6);
    case 'pt_BR':
      return faker.string.alpha({ length: 2, casing: 'upper' }) + faker.string.numeric(6);
    case 'tr':
      return faker.string.alpha({ length: 1, casing: 'upper' }) + faker.string.numeric(8);
    default:
      return faker.string.numeric(9);
  }
}
