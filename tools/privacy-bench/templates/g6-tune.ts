/**
 * Tune layouts added in generator g6, written from how such documents look in life: a luggage tag
 * whose labels stand on lines of their own with the value on the next line (with or without a colon,
 * with or without a title), lanyard badges (staff, visitor, conference, student: an organisation, a
 * big name, a role, sometimes a barcode and a validity, never a machine-readable zone), and an access
 * card whose short capital labels ("GELDIG T.O.M.", "GÜLTIG BIS", "PERS.NR.") the reader tends to
 * misread (0/O, 1/l/I, 5/S). They are drawn only in the tune split and only from FIRST_G6_SEED on,
 * from a stream of their own (generate.ts): no image of an earlier seed, nor any holdout image,
 * changes. Never add one to TEMPLATES: that would redraw earlier seeds.
 */
import type { Span } from '../document.js';
import { neutral, personal, word } from '../document.js';
import { documentDate } from '../people.js';
import { organisation } from './cards.js';
import { dateSpan, label, localDateStyle, upper, type Template, type TemplateContext } from './context.js';
import { portraitOrBox } from './identity.js';
import { CARD_WORDS } from './g5-tune.js';

const nameLabel = (ctx: TemplateContext): string => (CARD_WORDS[ctx.locale.language] ?? CARD_WORDS.en!).name;

/** What a blank luggage tag prints as its title, per language (many print none). */
const TAG_TITLES: Record<string, string> = {
  en: 'Luggage tag',
  de: 'Kofferanhänger',
  fr: 'Étiquette bagage',
  es: 'Etiqueta de equipaje',
  it: 'Etichetta bagaglio',
  nl: 'Bagagelabel',
  pl: 'Zawieszka na bagaż',
  pt: 'Etiqueta de bagagem',
  tr: 'Bagaj etiketi',
  sv: 'Bagagetikett',
  cs: 'Jmenovka na zavazadlo',
  hu: 'Bőröndcímke',
};

const luggageStackedLabels: Template = {
  kind: 'luggage_tag',
  layout: 'stacked-labels',
  holdout: false,
  draw(ctx) {
    const b = ctx.builder(640, 1040);
    const a = ctx.person.address;
    const colon = ctx.faker.number.float() < 0.5 ? ':' : '';
    const caps = ctx.faker.number.float() < 0.5;
    const lab = (s: string) => word(`${caps ? upper(s) : s}${colon}`);
    const title = ctx.faker.number.float() < 0.6 ? (TAG_TITLES[ctx.locale.language] ?? TAG_TITLES.en!) : '';
    b.rect(270, 30, 100, 40, '#9a9a9a', 20);
    let y = 130;
    if (title) {
      b.text(320, y, word(title), { size: 30, weight: 700, anchor: 'middle', fill: '#24405e', maxWidth: 560 });
      y += 60;
    }
    const rows: Array<[string, Span[][]]> = [
      [nameLabel(ctx), [[personal(`${ctx.person.givenNames} ${ctx.person.surname}`, 'name')]]],
      [label(ctx, 'address'), [[personal(a.street, 'address')], [personal(a.postcode, 'postcode'), neutral(` ${a.city}`)]]],
      [label(ctx, ctx.faker.number.float() < 0.5 ? 'phone' : 'mobile'), [[personal(ctx.person.phone, 'phone')]]],
    ];
    if (ctx.faker.number.float() < 0.6) rows.push([label(ctx, 'email'), [[personal(ctx.person.email, 'email')]]]);
    for (const [name, values] of rows) {
      b.text(40, y, lab(name), { size: 20, weight: 700, fill: '#4a4f63', maxWidth: 560 });
      y += 44;
      for (const value of values) {
        b.text(40, y, value, { size: 28, maxWidth: 560 });
        b.rect(40, y + 12, 560, 2, '#9a9a9a');
        y += 46;
      }
      y += 24;
    }
    return b.build(ctx.faker.helpers.arrayElement(['#f1e9d2', '#d8e6f0', '#f4d9d0']), { radius: 40 });
  },
};

/** Conference roles are printed in English across Europe; staff, visitor and student in the local language. */
const CONFERENCE_ROLES = ['SPEAKER', 'ATTENDEE', 'EXHIBITOR', 'PRESS', 'ORGANISER', 'DELEGATE'];

const badgeLanyard: Template = {
  kind: 'badge',
  layout: 'lanyard',
  holdout: false,
  draw(ctx) {
    const sort = ctx.faker.helpers.arrayElement(['staff', 'visitor', 'conference', 'student'] as const);
    const b = ctx.builder(640, 960);
    const colour = ctx.faker.helpers.arrayElement(['#0d4d8b', '#7a1f3d', '#2e6b3a', '#444444']);
    const org =
      sort === 'conference'
        ? `${ctx.faker.company.name()} ${ctx.faker.helpers.arrayElement(['Summit', 'Forum', 'Days', 'Conference', 'Expo'])} ${2026 + ctx.faker.number.int(1)}`
        : organisation(ctx, sort === 'student');
    b.rect(300, 20, 40, 14, '#9a9a9a', 7);
    b.rect(0, 60, 640, 150, colour);
    b.text(320, 150, word(org), { size: 34, weight: 700, anchor: 'middle', fill: '#ffffff', maxWidth: 580 });
    let y = 300;
    if (sort !== 'conference' && ctx.faker.number.float() < 0.5) {
      portraitOrBox(ctx, b, 200, 240, 240, 290);
      y = 600;
    }
    // The name is the biggest line: the given name alone, or given name over surname.
    if (ctx.faker.number.float() < 0.5) {
      b.text(320, y, personal(ctx.person.givenNames.split(' ')[0]!, 'name'), { size: 64, weight: 700, anchor: 'middle', maxWidth: 580 });
      b.text(320, y + 56, personal(ctx.person.surname, 'name'), { size: 34, anchor: 'middle', maxWidth: 580 });
      y += 120;
    } else {
      b.text(320, y, personal(`${ctx.person.givenNames} ${ctx.person.surname}`, 'name'), {
        size: 48,
        weight: 700,
        anchor: 'middle',
        maxWidth: 580,
      });
      y += 70;
    }
    if (sort === 'conference')
      b.text(320, y, word(ctx.faker.company.name()), { size: 24, anchor: 'middle', fill: '#4a4f63', maxWidth: 580 });
    else if (sort === 'staff')
      b.text(320, y, word(ctx.faker.person.jobTitle()), { size: 24, anchor: 'middle', fill: '#4a4f63', maxWidth: 580 });
    y += 60;
    if (ctx.faker.number.float() < 0.5) {
      // A barcode: bars only, its number printed under it.
      let x = 170;
      while (x < 470) {
        const w = 2 + ctx.faker.number.int(5);
        b.rect(x, y, w, 70, '#111111');
        x += w + 2 + ctx.faker.number.int(4);
      }
      b.text(320, y + 100, personal(ctx.faker.string.numeric(10), 'document_number'), { size: 20, anchor: 'middle', role: 'mono' });
      y += 130;
    }
    if (sort !== 'conference' && ctx.faker.number.float() < 0.6) {
      b.text(
        320,
        y,
        [word(label(ctx, 'validUntil')), neutral(' '), dateSpan(ctx, documentDate(ctx.faker, 'future', 2), 'date', localDateStyle(ctx))],
        {
          size: 22,
          anchor: 'middle',
          maxWidth: 580,
        },
      );
    }
    const role =
      sort === 'conference'
        ? ctx.faker.helpers.arrayElement(CONFERENCE_ROLES)
        : label(ctx, sort === 'staff' ? 'staff' : sort === 'visitor' ? 'visitor' : 'student');
    b.rect(0, 850, 640, 110, colour);
    b.text(320, 925, word(role), { size: 46, weight: 700, anchor: 'middle', fill: '#ffffff', maxWidth: 580 });
    return b.build('#ffffff', { radius: 24 });
  },
};

/** Short capital labels as access and membership cards print them; the reader misreads their O, I and S. */
const ACCESS_LABELS: Record<string, { valid: string; number: string }> = {
  en: { valid: 'VALID THRU', number: 'ID NO.' },
  de: { valid: 'GÜLTIG BIS', number: 'PERS.NR.' },
  fr: { valid: "VALIDE JUSQU'AU", number: 'N° ID' },
  es: { valid: 'VÁLIDO HASTA', number: 'N.º ID' },
  it: { valid: 'VALIDO FINO AL', number: 'MATR.' },
  nl: { valid: 'GELDIG T.O.M.', number: 'PERS.NR.' },
  pl: { valid: 'WAŻNA DO', number: 'NR ID' },
  pt: { valid: 'VÁLIDO ATÉ', number: 'Nº ID' },
  tr: { valid: 'GEÇERLİLİK', number: 'SİCİL NO' },
  sv: { valid: 'GILTIG T.O.M.', number: 'ANST.NR' },
  cs: { valid: 'PLATNOST DO', number: 'OS. Č.' },
  hu: { valid: 'ÉRVÉNYES', number: 'AZON.' },
};

const badgeAccessCard: Template = {
  kind: 'badge',
  layout: 'access-card-short-labels',
  holdout: false,
  draw(ctx) {
    const words = ACCESS_LABELS[ctx.locale.language] ?? ACCESS_LABELS.en!;
    const b = ctx.builder(1000, 630);
    const org = organisation(ctx, ctx.faker.number.float() < 0.3);
    b.rect(0, 0, 1000, 100, '#23395d');
    b.text(40, 66, word(org), { size: 34, weight: 700, fill: '#ffffff', maxWidth: 900 });
    portraitOrBox(ctx, b, 40, 140, 220, 280);
    const small = { size: 16, fill: '#4a4f63', role: 'condensed' as const };
    b.text(300, 160, word(upper(nameLabel(ctx))), small);
    b.text(300, 200, personal(upper(`${ctx.person.givenNames} ${ctx.person.surname}`), 'name'), { size: 32, weight: 700, maxWidth: 660 });
    b.text(300, 250, word(words.number), small);
    b.text(300, 288, personal(ctx.faker.string.alphanumeric({ length: 7, casing: 'upper' }), 'document_number'), {
      size: 28,
      role: 'condensed',
    });
    b.text(300, 340, word(words.valid), small);
    b.text(300, 378, dateSpan(ctx, documentDate(ctx.faker, 'future', 3), 'date', localDateStyle(ctx)), { size: 28, role: 'condensed' });
    b.text(40, 580, word(label(ctx, ctx.faker.number.float() < 0.5 ? 'staff' : 'visitor')), { size: 30, weight: 700, fill: '#23395d' });
    return b.build('#ffffff', { radius: 30 });
  },
};

/** Drawn only by the tune split of seeds from FIRST_G6_SEED on (generate.ts). */
export const G6_TUNE_TEMPLATES: readonly Template[] = [luggageStackedLabels, badgeLanyard, badgeAccessCard];
