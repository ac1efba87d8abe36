/**
 * Tune layouts added in generator g7, one per cause of the leaks the retired held-out sets 13-16 showed
 * (privacy-rules-16), each drawn with variety rather than as any one image looked:
 * - label grids: fields in two columns, each label above its value, so a reader that walks the card
 *   row by row reads two labels, then their two values (a permit's back, a student card), with given
 *   names that often open with an accented or dotted capital the reader turns into a small letter;
 * - payment cards whose holder's names are also ordinary words (Rose, German, Young, Grant);
 * - a pharmacy's street, postcode, town and phone on one line, joined by the separators labels use;
 * - luggage tags whose phone line is labelled with the many words people use for a mobile number,
 *   the number sometimes an area code in brackets before grouped digits no region's rules accept.
 * Drawn only in the tune split and only from FIRST_G7_SEED on, from a stream of their own
 * (generate.ts): no image of an earlier seed, nor any holdout image, changes. Never add one to
 * TEMPLATES: that would redraw earlier seeds.
 */
import type { Span } from '../document.js';
import { neutral, personal, word } from '../document.js';
import { documentDate, formatMonthYear } from '../people.js';
import { bankName, grouped, organisation } from './cards.js';
import { dateSpan, label, localDateStyle, upper, type Template, type TemplateContext } from './context.js';
import { facts, portraitOrBox } from './identity.js';
import { DRUGS, pharmacy } from './travel-and-labels.js';

/** Given names opening with a capital OCR often reads as a small letter or drops the accent of. */
const ACCENTED_GIVEN: Record<string, readonly string[]> = {
  de: ['Ömer', 'Ülkü', 'Özlem', 'Ägidius'],
  fr: ['Élodie', 'Émile', 'Étienne', 'Èva', 'Île'],
  es: ['Ángel', 'Álvaro', 'Íñigo', 'Óscar', 'Úrsula'],
  it: ['Èlia', 'Ìvo'],
  nl: ['Ëlla', 'Ïsa'],
  pl: ['Łucja', 'Łukasz', 'Świętosław', 'Żaneta', 'Ślęża'],
  sv: ['Åsa', 'Åke', 'Östen', 'Ärla'],
  cs: ['Čeněk', 'Šárka', 'Žofie', 'Řehoř', 'Ľubica'],
  hu: ['Ádám', 'Éva', 'Ödön', 'Ildikó', 'Ákos', 'Örs'],
  en: ['Íde', 'Éamon', 'Áine', 'Ósk'],
};

function givenName(ctx: TemplateContext): string {
  const list = ACCENTED_GIVEN[ctx.locale.language] ?? ACCENTED_GIVEN.en!;
  return ctx.faker.number.float() < 0.6 ? ctx.faker.helpers.arrayElement(list) : ctx.person.givenNames;
}

/** Fields in columns, each label (small) above its value: a reader walking rows reads the labels of a row together. */
function labelGrid(
  ctx: TemplateContext,
  b: ReturnType<TemplateContext['builder']>,
  x: number,
  y: number,
  columnWidth: number,
  rows: ReadonlyArray<ReadonlyArray<[string, Span | Span[]]>>,
): number {
  const caps = ctx.faker.number.float() < 0.5;
  for (const row of rows) {
    row.forEach(([name, value], col) => {
      const left = x + col * columnWidth;
      b.text(left, y, word(caps ? upper(name) : name), { size: 16, fill: '#4a4f63', maxWidth: columnWidth - 20 });
      b.text(left, y + 36, value, { size: 26, weight: 700, maxWidth: columnWidth - 20 });
    });
    y += 86;
  }
  return y;
}

const permitBackGrid: Template = {
  kind: 'residence_permit',
  layout: 'back-label-grid',
  holdout: false,
  draw(ctx) {
    const b = ctx.builder(1000, 630);
    const f = facts(ctx);
    const a = ctx.person.address;
    const style = localDateStyle(ctx);
    b.text(40, 45, word(label(ctx, 'residencePermit')), { size: 22, weight: 700, maxWidth: 900 });
    const first: Array<[string, Span | Span[]]> = [
      [label(ctx, 'placeOfBirth'), personal(upper(ctx.person.birthPlace), 'place_of_birth')],
      [label(ctx, 'remarks'), word(ctx.faker.helpers.arrayElement(['—', '-', label(ctx, 'residencePermit')]))],
    ];
    if (ctx.faker.number.float() < 0.5) first.reverse();
    const y = labelGrid(ctx, b, 40, 90, 460, [
      first,
      [
        [label(ctx, 'address'), personal(a.street, 'address')],
        [label(ctx, 'dateOfIssue'), dateSpan(ctx, f.issued, 'date', style)],
      ],
    ]);
    b.text(40, y, [personal(a.postcode, 'postcode'), neutral(` ${a.city}`)], { size: 24, weight: 700 });
    b.text(40, 520, word(f.authority), { size: 20, fill: '#4a4f63', maxWidth: 900 });
    return b.build('#eef0ea', { radius: 36, guilloche: '#c6d2bd' });
  },
};

const studentGrid: Template = {
  kind: 'badge',
  layout: 'student-label-grid',
  holdout: false,
  draw(ctx) {
    const b = ctx.builder(1000, 630);
    const style = localDateStyle(ctx);
    b.text(40, 70, word(organisation(ctx, true)), { size: 34, weight: 700, fill: '#1d3f6b', maxWidth: 920 });
    b.text(40, 112, word(upper(label(ctx, 'student'))), { size: 24, weight: 700, fill: '#4a4f63' });
    portraitOrBox(ctx, b, 40, 150, 230, 290);
    const names: Array<[string, Span]> = [
      [label(ctx, 'surname'), personal(upper(ctx.person.surname), 'name')],
      [label(ctx, 'givenNames'), personal(givenName(ctx), 'name')],
    ];
    if (ctx.faker.number.float() < 0.3) names.reverse();
    labelGrid(ctx, b, 310, 170, 330, [
      names,
      [
        [label(ctx, 'dateOfBirth'), dateSpan(ctx, ctx.person.birthDate, 'date_of_birth', style)],
        [label(ctx, 'idNo'), personal(ctx.faker.string.numeric(8), 'document_number')],
      ],
      [[label(ctx, 'validUntil'), dateSpan(ctx, documentDate(ctx.faker, 'future', 3), 'date', style)]],
    ]);
    return b.build(ctx.faker.helpers.arrayElement(['#f8f3ea', '#eef4fb', '#ffffff']), { radius: 36 });
  },
};

/** Names that are also ordinary words, nationalities or colours, as card holders carry them. */
const WORD_GIVEN = ['Rose', 'German', 'Hope', 'Grace', 'Frank', 'Will', 'Mark', 'Summer', 'Royal', 'Guy', 'Joy', 'Sterling', 'Dawn'];
const WORD_SURNAMES = [
  'Young',
  'Brown',
  'English',
  'French',
  'Little',
  'Rich',
  'Major',
  'Long',
  'Gold',
  'Silver',
  'Black',
  'Golden',
  'Card',
];

const paymentWordNames: Template = {
  kind: 'payment_card',
  layout: 'holder-word-names',
  holdout: false,
  draw(ctx) {
    const b = ctx.builder(1000, 630);
    const issuer = ctx.faker.helpers.arrayElement(['visa', 'mastercard'] as const);
    const number = ctx.faker.finance.creditCardNumber({ issuer }).replace(/\D/g, '');
    const expiry = documentDate(ctx.faker, 'future', 4);
    const given = ctx.faker.number.float() < 0.6 ? ctx.faker.helpers.arrayElement(WORD_GIVEN) : ctx.person.givenNames.split(' ')[0]!;
    const surname = ctx.faker.number.float() < 0.6 ? ctx.faker.helpers.arrayElement(WORD_SURNAMES) : ctx.person.surname;
    const holder = personal(upper(`${given} ${surname}`), 'name');
    const nameHigh = ctx.faker.number.float() < 0.3;
    b.text(50, 80, word(bankName(ctx)), { size: 36, weight: 700, fill: '#f4f4f4', maxWidth: 600 });
    b.rect(70, 170, 120, 90, '#d9b75c', 12);
    if (nameHigh) b.text(60, 330, holder, { size: 32, role: 'mono', fill: '#f7f7f7', maxWidth: 640 });
    b.text(60, 410, personal(grouped(number), 'card_number'), { size: 52, role: 'mono', fill: '#f7f7f7', tracking: 2, maxWidth: 880 });
    b.text(420, 460, word(label(ctx, 'validThru')), { size: 16, fill: '#e0e0e0' });
    b.text(420, 500, personal(formatMonthYear(expiry), 'date', { ...expiry, day: 0 }), { size: 32, role: 'mono', fill: '#f7f7f7' });
    if (!nameHigh) b.text(60, 575, holder, { size: 34, role: 'mono', fill: '#f7f7f7', maxWidth: 640 });
    b.text(950, 580, word(issuer === 'visa' ? 'VISA' : 'mastercard'), { size: 52, weight: 700, anchor: 'end', fill: '#ffffff' });
    return b.build(ctx.faker.helpers.arrayElement(['#1d2b53', '#2a2a2a', '#0f5132', '#5c1a33']), { radius: 40, fill2: '#4b5d8a' });
  },
};

/** How labels join an address's parts on one line. */
const JOINERS = [' · ', '·', ' | ', ' • ', ' - ', ', ', ' – '];

const pharmacyOneLine: Template = {
  kind: 'prescription_label',
  layout: 'pharmacy-one-line',
  holdout: false,
  draw(ctx) {
    const b = ctx.builder(1000, 480);
    const p = pharmacy(ctx);
    const join = ctx.faker.helpers.arrayElement(JOINERS);
    const drug = ctx.faker.helpers.arrayElement(DRUGS);
    b.text(40, 70, word(`${drug} ${ctx.faker.helpers.arrayElement(['10 mg', '20 mg', '250 mg'])}`), {
      size: 34,
      weight: 700,
      maxWidth: 920,
    });
    b.text(40, 125, word(label(ctx, 'directions')), { size: 24, maxWidth: 920 });
    b.text(40, 190, [word(`${label(ctx, 'patient')}:`), neutral(' '), personal(`${ctx.person.givenNames} ${ctx.person.surname}`, 'name')], {
      size: 28,
      weight: 700,
      maxWidth: 920,
    });
    const top = ctx.faker.number.float() < 0.4;
    const address: Span[] = [personal(p.street, 'address'), neutral(join), personal(p.postcode, 'postcode'), neutral(` ${p.city}`)];
    if (ctx.faker.number.float() < 0.7) address.push(neutral(join), personal(p.phone, 'phone'));
    b.text(40, top ? 30 : 330, word(p.name), { size: 22, weight: 700, maxWidth: 920 });
    b.text(40, top ? 255 : 370, address, { size: ctx.faker.helpers.arrayElement([16, 18, 20]), maxWidth: 920 });
    b.text(40, 440, word(label(ctx, 'warning')), { size: 22, fill: '#a0262c', maxWidth: 920 });
    return b.build('#fbfbf4');
  },
};

/** Words printed before a mobile number, beyond each language's usual one. */
const MOBILE_WORDS: Record<string, readonly string[]> = {
  en: ['Mobile', 'Cell', 'Cell phone', 'Mob.', 'Phone'],
  de: ['Handy', 'Mobil', 'Mobilnummer', 'Tel.'],
  fr: ['Portable', 'Tél. portable', 'Mobile'],
  es: ['Móvil', 'Celular', 'Tel. móvil', 'Cel.'],
  it: ['Cellulare', 'Cell.', 'Tel.'],
  nl: ['Mobiel', 'GSM', 'Tel.'],
  pl: ['Kom.', 'Tel. kom.', 'Komórka', 'Telefon'],
  sv: ['Mobil', 'Mobiltelefon', 'Tfn'],
  cs: ['Mobil', 'Mobilní telefon', 'Tel.'],
  hu: ['Mobil', 'Mobiltelefon', 'Tel.'],
};

const luggageMobileWords: Template = {
  kind: 'luggage_tag',
  layout: 'mobile-label-words',
  holdout: false,
  draw(ctx) {
    const b = ctx.builder(1000, 560);
    const a = ctx.person.address;
    const caps = ctx.faker.number.float() < 0.6;
    const lab = (s: string) => word(caps ? upper(s) : s);
    const mobile = ctx.faker.helpers.arrayElement(MOBILE_WORDS[ctx.locale.language] ?? MOBILE_WORDS.en!);
    // The owner's number as they write it: the locale's own form, or an area code in brackets before
    // grouped digits, which no region's rules need to accept ("(11) 8536-2484", "(030)55501-987").
    const areaCoded = () =>
      `(${ctx.faker.string.numeric({ length: { min: 2, max: 3 } })})${ctx.faker.helpers.arrayElement(['', ' '])}` +
      `${ctx.faker.string.numeric({ length: { min: 4, max: 5 } })}-${ctx.faker.string.numeric(4)}`;
    const phone = ctx.faker.helpers.arrayElement([ctx.person.phone, ctx.faker.phone.number({ style: 'national' }), areaCoded()]);
    const rows: Array<[string, Span[]]> = [
      [
        ctx.faker.helpers.arrayElement([label(ctx, 'passenger'), label(ctx, 'surname'), label(ctx, 'givenNames')]),
        [personal(upper(`${ctx.person.givenNames} ${ctx.person.surname}`), 'name')],
      ],
      [label(ctx, 'address'), [personal(a.street, 'address'), neutral(', '), personal(a.postcode, 'postcode'), neutral(` ${a.city}`)]],
      [mobile, [personal(phone, 'phone')]],
    ];
    if (ctx.faker.number.float() < 0.5) rows.push([label(ctx, 'email'), [personal(ctx.person.email, 'email')]]);
    b.rect(30, 30, 60, 500, '#3d3d3d', 20);
    let y = 90;
    for (const [name, value] of rows) {
      b.text(130, y, lab(name), { size: 18, weight: 700, fill: '#4a4f63' });
      b.text(130, y + 46, value, { size: 30, maxWidth: 830 });
      b.rect(130, y + 62, 830, 2, '#9a9a9a');
      y += 115;
    }
    return b.build(ctx.faker.helpers.arrayElement(['#e9e4da', '#dfe9e4', '#efe2d6']), { radius: 24 });
  },
};

/** Drawn only by the tune split of seeds from FIRST_G7_SEED on (generate.ts). */
export const G7_TUNE_TEMPLATES: readonly Template[] = [permitBackGrid, studentGrid, paymentWordNames, pharmacyOneLine, luggageMobileWords];
