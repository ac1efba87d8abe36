/**
 * Identity documents: passports (TD3 data page), national ID cards (front, and back with a TD1 MRZ),
 * residence permits (TD2 front, TD1 back) and driving licences (EU numbered fields 1-12, AAMVA-style
 * US). Layouts follow the documents' real arrangement; the values are the image's fictitious person.
 */
import type { DocumentBuilder, Span } from '../document.js';
import { neutral, personal, word } from '../document.js';
import type { CalendarDate } from '../ground-truth.js';
import { composeMrz, type MrzFormat } from '../mrz.js';
import { documentDate, documentNumber } from '../people.js';
import {
  authority,
  bilingual,
  countryCode,
  dateSpan,
  label,
  localDateStyle,
  upper,
  type Template,
  type TemplateContext,
} from './context.js';

interface IdentityFacts {
  number: string;
  issued: CalendarDate;
  expires: CalendarDate;
  authority: string;
}

export function facts(ctx: TemplateContext): IdentityFacts {
  return {
    number: documentNumber(ctx.faker, ctx.locale),
    issued: documentDate(ctx.faker, 'past', 8),
    expires: documentDate(ctx.faker, 'future', 9),
    authority: authority(ctx),
  };
}

/** MRZ lines across the bottom, monospace, stretched to the document's width. */
function drawMrz(ctx: TemplateContext, b: DocumentBuilder, format: MrzFormat, code: string, f: IdentityFacts, bottom: number): void {
  const p = ctx.person;
  const lines = composeMrz(format, {
    documentCode: code,
    issuingState: ctx.locale.country3,
    nationality: ctx.locale.country3,
    surname: p.surname,
    givenNames: p.givenNames,
    documentNumber: f.number,
    birthDate: p.birthDate,
    sex: p.sex,
    expiryDate: f.expires,
  });
  const chars = lines[0]!.length;
  const margin = b.width * 0.04;
  const size = Math.min(44, ((b.width - 2 * margin) / chars) * 1.55);
  const lineGap = size * 1.35;
  b.rect(0, bottom - lines.length * lineGap - size * 0.6, b.width, lines.length * lineGap + size * 0.6, '#ffffff', 0, 0.35);
  lines.forEach((line, i) => {
    b.text(margin, bottom - (lines.length - 1 - i) * lineGap - size * 0.35, personal(line, 'mrz'), {
      size,
      role: 'mono',
      maxWidth: b.width - 2 * margin,
      fill: '#111111',
    });
  });
}

export function portraitOrBox(ctx: TemplateContext, b: DocumentBuilder, x: number, y: number, w: number, h: number, grey = false): void {
  if (ctx.withFace) b.portrait(x, y, w, h, grey);
  else b.rect(x, y, w, h, '#d9dde3', 6);
}

export const nameSpans = (ctx: TemplateContext) => ({
  surname: personal(upper(ctx.person.surname), 'name'),
  given: personal(upper(ctx.person.givenNames), 'name'),
});

const signature = (ctx: TemplateContext): Span => personal(`${ctx.person.givenNames.split(' ')[0]![0]}. ${ctx.person.surname}`, 'name');

const passportClassic: Template = {
  kind: 'passport',
  layout: 'icao-classic',
  holdout: false,
  draw(ctx) {
    const b = ctx.builder(1100, 775);
    const f = facts(ctx);
    const n = nameSpans(ctx);
    b.rect(0, 0, 1100, 70, '#2d3e6e');
    b.text(40, 48, word(ctx.locale.countryName.local), { size: 30, weight: 700, fill: '#ffffff', maxWidth: 560 });
    b.text(1060, 48, word(`${label(ctx, 'passport')}`), { size: 30, weight: 700, fill: '#ffffff', anchor: 'end' });
    portraitOrBox(ctx, b, 40, 110, 290, 370);
    const x1 = 370;
    const x2 = 760;
    let y = 95;
    b.field(x1, y, bilingual(ctx, 'type'), neutral('P'), { valueSize: 24 });
    b.field(x1 + 150, y, bilingual(ctx, 'code'), neutral(countryCode(ctx)), { valueSize: 24 });
    b.field(x2, y, bilingual(ctx, 'passportNo'), personal(f.number, 'document_number'), { valueSize: 26 });
    y += 68;
    y = b.field(x1, y, bilingual(ctx, 'surname', true), n.surname, { maxWidth: 680 });
    y = b.field(x1, y, bilingual(ctx, 'givenNames', true), n.given, { maxWidth: 680 });
    y = b.field(x1, y, bilingual(ctx, 'nationality'), neutral(ctx.locale.nationality.local), { maxWidth: 680 });
    const yDob = y;
    y = b.field(x1, y, bilingual(ctx, 'dateOfBirth'), dateSpan(ctx, ctx.person.birthDate, 'date_of_birth', 'icao'), { maxWidth: 360 });
    b.field(x2, yDob, bilingual(ctx, 'sex'), neutral(ctx.person.sex), { maxWidth: 300 });
    b.field(x2 + 90, yDob, bilingual(ctx, 'placeOfBirth'), personal(upper(ctx.person.birthPlace), 'place_of_birth'), { maxWidth: 240 });
    const yIss = y;
    y = b.field(x1, y, bilingual(ctx, 'dateOfIssue'), dateSpan(ctx, f.issued, 'date', 'icao'), { maxWidth: 360 });
    b.field(x2, yIss, bilingual(ctx, 'authority'), word(f.authority), { maxWidth: 320, valueSize: 22 });
    b.field(x1, y, bilingual(ctx, 'dateOfExpiry'), dateSpan(ctx, f.expires, 'date', 'icao'), { maxWidth: 360 });
    b.text(40, 520, bilingual(ctx, 'signature'), { size: 14, fill: '#4a4f63', maxWidth: 300 });
    b.text(40, 555, signature(ctx), { size: 30, role: 'serif', fill: '#1d2a6b', maxWidth: 300 });
    drawMrz(ctx, b, 'TD3', 'P<', f, 745);
    return b.build('#eef0e6', { fill2: '#e3e9f2', guilloche: '#b9c4d8' });
  },
};

const passportModern: Template = {
  kind: 'passport',
  layout: 'modern-right-photo',
  holdout: false,
  draw(ctx) {
    const b = ctx.builder(1100, 775);
    const f = facts(ctx);
    const n = nameSpans(ctx);
    const style = localDateStyle(ctx);
    b.text(40, 60, word(`${label(ctx, 'passport')} ${ctx.locale.countryName.local}`), {
      size: 32,
      weight: 700,
      fill: '#6b2433',
      maxWidth: 1000,
    });
    portraitOrBox(ctx, b, 770, 100, 290, 370);
    let y = 90;
    y = b.field(40, y, bilingual(ctx, 'passportNo'), personal(f.number, 'document_number'));
    y = b.field(40, y, bilingual(ctx, 'surname', true), n.surname, { maxWidth: 700 });
    y = b.field(40, y, bilingual(ctx, 'givenNames', true), n.given, { maxWidth: 700 });
    const yRow = y;
    y = b.field(40, y, bilingual(ctx, 'dateOfBirth'), dateSpan(ctx, ctx.person.birthDate, 'date_of_birth', style), { maxWidth: 330 });
    b.field(400, yRow, bilingual(ctx, 'placeOfBirth'), personal(upper(ctx.person.birthPlace), 'place_of_birth'), { maxWidth: 340 });
    const yRow2 = y;
    y = b.field(40, y, bilingual(ctx, 'dateOfIssue'), dateSpan(ctx, f.issued, 'date', style), { maxWidth: 330 });
    b.field(400, yRow2, bilingual(ctx, 'dateOfExpiry'), dateSpan(ctx, f.expires, 'date', style), { maxWidth: 340 });
    b.field(40, y, bilingual(ctx, 'authority'), word(f.authority), { maxWidth: 700, valueSize: 22 });
    b.text(770, 510, signature(ctx), { size: 30, role: 'serif', fill: '#1d2a6b', maxWidth: 290 });
    drawMrz(ctx, b, 'TD3', 'P<', f, 745);
    return b.build('#f3ece4', { fill2: '#efe0e4', guilloche: '#d9b8c0' });
  },
};

const passportUsBook: Template = {
  kind: 'passport',
  layout: 'us-book',
  holdout: true,
  draw(ctx) {
    const b = ctx.builder(1100, 775);
    const f = facts(ctx);
    const n = nameSpans(ctx);
    b.text(550, 50, word(`${label(ctx, 'passport')}  ${ctx.locale.countryName.en}`), {
      size: 28,
      weight: 700,
      anchor: 'middle',
      fill: '#1f3a68',
      maxWidth: 1000,
    });
    portraitOrBox(ctx, b, 50, 95, 300, 385, true);
    const x = 390;
    let y = 80;
    b.inline(x, y, word('Type'), neutral('P'), { valueSize: 20 });
    b.inline(x + 160, y, word('Code'), neutral(countryCode(ctx)), { valueSize: 20 });
    y = b.inline(x + 340, y, word('Passport No.'), personal(f.number, 'document_number'), { valueSize: 22 });
    y = b.field(x, y, word('Surname'), n.surname, { maxWidth: 660 });
    y = b.field(x, y, word('Given Names'), n.given, { maxWidth: 660 });
    y = b.field(x, y, word('Nationality'), neutral(ctx.locale.nationality.en), { maxWidth: 660 });
    const yRow = y;
    y = b.field(x, y, word('Date of birth'), dateSpan(ctx, ctx.person.birthDate, 'date_of_birth', 'd_mon_y'), { maxWidth: 300 });
    b.field(x + 330, yRow, word('Place of birth'), personal(upper(ctx.person.birthPlace), 'place_of_birth'), { maxWidth: 330 });
    const yRow2 = y;
    y = b.field(x, y, word('Date of issue'), dateSpan(ctx, f.issued, 'date', 'd_mon_y'), { maxWidth: 300 });
    b.field(x + 330, yRow2, word('Date of expiration'), dateSpan(ctx, f.expires, 'date', 'd_mon_y'), { maxWidth: 330 });
    b.field(x, y, word('Authority'), word(f.authority), { maxWidth: 660, valueSize: 20 });
    drawMrz(ctx, b, 'TD3', 'P<', f, 745);
    return b.build('#eaf0f5', { fill2: '#f4efe2', guilloche: '#c3cfdc' });
  },
};

const idFront: Template = {
  kind: 'national_id',
  layout: 'eu-front',
  holdout: false,
  draw(ctx) {
    const b = ctx.builder(1000, 630);
    const f = facts(ctx);
    const n = nameSpans(ctx);
    const style = localDateStyle(ctx);
    b.text(40, 55, word(ctx.locale.countryName.local), { size: 26, weight: 700, fill: '#24406e', maxWidth: 600 });
    b.text(40, 88, bilingual(ctx, 'identityCard'), { size: 20, fill: '#24406e', maxWidth: 600 });
    b.text(960, 60, personal(f.number, 'document_number'), { size: 28, weight: 700, anchor: 'end', fill: '#a0262c' });
    portraitOrBox(ctx, b, 40, 120, 260, 330);
    let y = 115;
    y = b.field(330, y, bilingual(ctx, 'surname'), n.surname, { maxWidth: 620 });
    y = b.field(330, y, bilingual(ctx, 'givenNames'), n.given, { maxWidth: 620 });
    const yRow = y;
    y = b.field(330, y, bilingual(ctx, 'dateOfBirth'), dateSpan(ctx, ctx.person.birthDate, 'date_of_birth', style), { maxWidth: 300 });
    b.field(650, yRow, bilingual(ctx, 'nationality'), neutral(ctx.locale.nationality.local), { maxWidth: 300 });
    const yRow2 = y;
    y = b.field(330, y, bilingual(ctx, 'placeOfBirth'), personal(upper(ctx.person.birthPlace), 'place_of_birth'), { maxWidth: 300 });
    b.field(650, yRow2, bilingual(ctx, 'dateOfExpiry'), dateSpan(ctx, f.expires, 'date', style), { maxWidth: 300 });
    b.text(40, 500, bilingual(ctx, 'signature'), { size: 14, fill: '#4a4f63', maxWidth: 300 });
    b.text(40, 540, signature(ctx), { size: 30, role: 'serif', fill: '#1d2a6b', maxWidth: 300 });
    // The card access number unlocks the chip: specific to this card, so personal.
    b.text(960, 600, [word('CAN'), neutral(' '), personal(ctx.faker.string.numeric(6), 'document_number')], {
      size: 18,
      anchor: 'end',
      fill: '#4a4f63',
    });
    return b.build('#e8eef0', { radius: 36, fill2: '#efe6ee', guilloche: '#b5c7cf' });
  },
};

const idBack: Template = {
  kind: 'national_id',
  layout: 'eu-back-td1',
  holdout: false,
  draw(ctx) {
    const b = ctx.builder(1000, 630);
    const f = facts(ctx);
    const style = localDateStyle(ctx);
    const a = ctx.person.address;
    let y = 30;
    y = b.field(40, y, bilingual(ctx, 'address'), personal(a.street, 'address'), { maxWidth: 600 });
    b.text(40, y + 14, [personal(a.postcode, 'postcode'), neutral(` ${upper(a.city)}`)], { size: 26, weight: 700 });
    y += 60;
    const yRow = y;
    y = b.field(40, y, bilingual(ctx, 'authority'), word(f.authority), { maxWidth: 420, valueSize: 22 });
    b.field(520, yRow, bilingual(ctx, 'dateOfIssue'), dateSpan(ctx, f.issued, 'date', style), { maxWidth: 420 });
    b.field(40, y, word(label(ctx, 'remarks')), neutral(`${ctx.faker.number.int({ min: 155, max: 198 })} cm`), { valueSize: 22 });
    drawMrz(ctx, b, 'TD1', 'ID', f, 605);
    return b.build('#eaf0ea', { radius: 36, guilloche: '#bcd0c2' });
  },
};

const idCompact: Template = {
  kind: 'national_id',
  layout: 'compact-front-td1',
  holdout: true,
  draw(ctx) {
    const b = ctx.builder(1000, 630);
    const f = facts(ctx);
    const n = nameSpans(ctx);
    const style = localDateStyle(ctx);
    b.text(40, 48, [word(label(ctx, 'identityCard')), neutral(' '), word(ctx.locale.countryName.local)], {
      size: 22,
      weight: 700,
      maxWidth: 920,
    });
    portraitOrBox(ctx, b, 700, 70, 250, 300);
    let y = 70;
    b.inline(40, y, word(label(ctx, 'cardNo')), personal(f.number, 'document_number'), { valueSize: 22 });
    y += 40;
    y = b.inline(40, y, word(label(ctx, 'surname')), n.surname, { valueSize: 26, maxWidth: 640, valueWeight: 700 });
    y = b.inline(40, y, word(label(ctx, 'givenNames')), n.given, { valueSize: 26, maxWidth: 640, valueWeight: 700 });
    y = b.inline(40, y, word(label(ctx, 'dateOfBirth')), dateSpan(ctx, ctx.person.birthDate, 'date_of_birth', style), {
      valueSize: 24,
      maxWidth: 640,
    });
    y = b.inline(40, y, word(label(ctx, 'validUntil')), dateSpan(ctx, f.expires, 'date', style), { valueSize: 24, maxWidth: 640 });
    drawMrz(ctx, b, 'TD1', 'I<', f, 610);
    return b.build('#f1ede3', { radius: 36, guilloche: '#d8cdb4' });
  },
};

const permitFront: Template = {
  kind: 'residence_permit',
  layout: 'eu-permit-td2',
  holdout: false,
  draw(ctx) {
    const b = ctx.builder(1000, 700);
    const f = facts(ctx);
    const n = nameSpans(ctx);
    const style = localDateStyle(ctx);
    b.text(40, 50, bilingual(ctx, 'residencePermit'), { size: 26, weight: 700, fill: '#2f4d2f', maxWidth: 640 });
    b.text(960, 50, personal(f.number, 'document_number'), { size: 26, weight: 700, anchor: 'end', fill: '#a0262c' });
    portraitOrBox(ctx, b, 40, 80, 230, 290);
    let y = 75;
    y = b.field(300, y, bilingual(ctx, 'surname'), n.surname, { maxWidth: 650 });
    y = b.field(300, y, bilingual(ctx, 'givenNames'), n.given, { maxWidth: 650 });
    const yRow = y;
    y = b.field(300, y, bilingual(ctx, 'permitType'), word(permitKind(ctx)), { maxWidth: 330, valueSize: 22 });
    b.field(660, yRow, bilingual(ctx, 'validUntil'), dateSpan(ctx, f.expires, 'date', style), { maxWidth: 300 });
    const yRow2 = y;
    y = b.field(300, y, bilingual(ctx, 'dateOfBirth'), dateSpan(ctx, ctx.person.birthDate, 'date_of_birth', style), { maxWidth: 330 });
    b.field(660, yRow2, bilingual(ctx, 'sex'), neutral(ctx.person.sex), { maxWidth: 300 });
    b.field(40, 400, bilingual(ctx, 'remarks'), word(remark(ctx)), { maxWidth: 900, valueSize: 20 });
    drawMrz(ctx, b, 'TD2', 'IR', f, 680);
    return b.build('#e9f0e4', { radius: 30, fill2: '#f3ecdf', guilloche: '#bcd3b0' });
  },
};

const permitBack: Template = {
  kind: 'residence_permit',
  layout: 'permit-back-td1',
  holdout: true,
  draw(ctx) {
    const b = ctx.builder(1000, 630);
    const f = facts(ctx);
    const a = ctx.person.address;
    const style = localDateStyle(ctx);
    b.text(40, 45, word(label(ctx, 'residencePermit')), { size: 22, weight: 700, maxWidth: 900 });
    let y = 60;
    y = b.field(40, y, word(label(ctx, 'placeOfBirth')), personal(upper(ctx.person.birthPlace), 'place_of_birth'), { maxWidth: 450 });
    y = b.field(40, y, word(label(ctx, 'address')), personal(a.street, 'address'), { maxWidth: 600, valueSize: 24 });
    b.text(40, y + 10, [personal(a.postcode, 'postcode'), neutral(` ${a.city}`)], { size: 24, weight: 700 });
    b.field(560, 60, word(label(ctx, 'dateOfIssue')), dateSpan(ctx, f.issued, 'date', style), { maxWidth: 400 });
    b.field(560, 140, word(label(ctx, 'remarks')), word(remark(ctx)), { maxWidth: 400, valueSize: 20 });
    drawMrz(ctx, b, 'TD1', 'IR', f, 605);
    return b.build('#eef0ea', { radius: 36, guilloche: '#c6d2bd' });
  },
};

export function permitKind(ctx: TemplateContext): string {
  const kinds: Record<string, string[]> = {
    de: ['AUFENTHALTSERLAUBNIS', 'NIEDERLASSUNGSERLAUBNIS', 'BLAUE KARTE EU'],
    fr: ['CARTE DE SÉJOUR TEMPORAIRE', 'CARTE DE RÉSIDENT'],
    es: ['RESIDENCIA TEMPORAL', 'RESIDENCIA LARGA DURACIÓN'],
    it: ['LAVORO SUBORDINATO', 'SOGGIORNANTE UE'],
    nl: ['REGULIER BEPAALDE TIJD', 'ARBEID'],
    pl: ['POBYT CZASOWY', 'POBYT STAŁY'],
    pt: ['RESIDÊNCIA', 'TEMPORÁRIO'],
    tr: ['KISA DÖNEM', 'AİLE İKAMET'],
    sv: ['PERMANENT UPPEHÅLLSTILLSTÅND', 'ARBETSTILLSTÅND'],
    cs: ['TRVALÝ POBYT', 'ZAMĚSTNANECKÁ KARTA'],
    hu: ['HUZAMOS TARTÓZKODÁS', 'MUNKAVÁLLALÁSI CÉLÚ'],
    en: ['LEAVE TO REMAIN', 'SKILLED WORKER'],
  };
  return ctx.faker.helpers.arrayElement(kinds[ctx.locale.language] ?? kinds.en!);
}

function remark(ctx: TemplateContext): string {
  const remarks: Record<string, string> = {
    de: 'Erwerbstätigkeit gestattet',
    fr: 'Autorise son titulaire à travailler',
    es: 'Autoriza a trabajar',
    it: 'Consente attività lavorativa',
    nl: 'Arbeid vrij toegestaan',
    pl: 'Dostęp do rynku pracy',
    pt: 'Prazo indeterminado',
    tr: 'Çalışma izni yoktur',
    sv: 'Rätt att arbeta',
    cs: 'Přístup na trh práce',
    hu: 'Munkavállalásra jogosít',
    en: 'Work permitted',
  };
  return remarks[ctx.locale.language]!;
}

/** EU licence (directive 2006/126/EC): only field numbers label the values. */
const licenceEu: Template = {
  kind: 'driving_licence',
  layout: 'eu-numbered',
  holdout: false,
  locales: ['en_GB', 'de', 'fr', 'es', 'it', 'nl', 'pl', 'pt_BR', 'tr', 'sv', 'cs_CZ', 'hu'],
  draw(ctx) {
    const b = ctx.builder(1000, 630);
    const f = facts(ctx);
    const n = nameSpans(ctx);
    const style = localDateStyle(ctx);
    b.rect(30, 25, 110, 80, '#1f3c99', 6);
    b.text(85, 90, word(ctx.locale.country2 === 'GB' ? 'UK' : ctx.locale.country2), {
      size: 34,
      weight: 700,
      fill: '#ffffff',
      anchor: 'middle',
    });
    b.text(170, 60, word(label(ctx, 'drivingLicence')), { size: 30, weight: 700, fill: '#8a2d4c', maxWidth: 780 });
    b.text(170, 95, word(ctx.locale.countryName.local), { size: 20, fill: '#8a2d4c', maxWidth: 780 });
    portraitOrBox(ctx, b, 30, 130, 250, 320);
    const x = 310;
    const rows: Array<[string, Span[], number]> = [
      ['1.', [n.surname], 30],
      ['2.', [n.given], 28],
      [
        '3.',
        [
          dateSpan(ctx, ctx.person.birthDate, 'date_of_birth', style),
          neutral(' '),
          personal(upper(ctx.person.birthPlace), 'place_of_birth'),
        ],
        24,
      ],
      ['4a.', [dateSpan(ctx, f.issued, 'date', style), neutral('  '), word('4c.'), neutral(' '), word(f.authority)], 22],
      ['4b.', [dateSpan(ctx, f.expires, 'date', style)], 22],
      ['5.', [personal(f.number + ctx.faker.string.numeric(2), 'document_number')], 24],
    ];
    let y = 160;
    for (const [no, value, size] of rows) {
      b.text(x, y, word(no), { size: 20, weight: 700, fill: '#3a3f55' });
      b.text(x + 48, y, value, { size, weight: 700, maxWidth: 640 });
      y += size + 24;
    }
    b.text(x, y, word('7.'), { size: 20, weight: 700, fill: '#3a3f55' });
    b.text(x + 48, y + 4, signature(ctx), { size: 28, role: 'serif', fill: '#1d2a6b', maxWidth: 300 });
    y += 46;
    if (ctx.faker.datatype.boolean()) {
      b.text(x, y, word('8.'), { size: 20, weight: 700, fill: '#3a3f55' });
      b.text(
        x + 48,
        y,
        [
          personal(ctx.person.address.street, 'address'),
          neutral(', '),
          personal(ctx.person.address.postcode, 'postcode'),
          neutral(` ${ctx.person.address.city}`),
        ],
        {
          size: 20,
          maxWidth: 640,
        },
      );
      y += 40;
    }
    b.text(x, Math.max(y, 580), [word('9.'), neutral(' '), neutral(ctx.faker.helpers.arrayElement(['AM/B1/B', 'B', 'A2/B/BE', 'B/C1']))], {
      size: 22,
      weight: 700,
    });
    return b.build('#f2dfe4', { radius: 36, fill2: '#e5e9f4', guilloche: '#d8b3c0' });
  },
};

/** AAMVA-style US licence: abbreviations with numbered elements, dates MM/DD/YYYY. */
const licenceAamva: Template = {
  kind: 'driving_licence',
  layout: 'aamva-us',
  holdout: false,
  locales: ['en_US'],
  draw(ctx) {
    const b = ctx.builder(1000, 630);
    const f = facts(ctx);
    const state = ctx.faker.location.state();
    const a = ctx.person.address;
    b.text(40, 62, word(upper(state)), { size: 44, weight: 700, fill: '#1d4f2f', maxWidth: 560 });
    b.text(960, 50, word('DRIVER LICENSE'), { size: 26, weight: 700, anchor: 'end' });
    b.text(960, 84, word('USA'), { size: 20, anchor: 'end' });
    portraitOrBox(ctx, b, 30, 120, 250, 320);
    const x = 310;
    b.text(x, 140, [word('4d DL'), neutral(' '), personal(f.number, 'document_number')], { size: 30, weight: 700, fill: '#a0262c' });
    b.text(x + 420, 140, [word('9 CLASS'), neutral(' '), neutral('D')], { size: 22, weight: 700 });
    b.text(x, 185, [word('3 DOB'), neutral(' '), dateSpan(ctx, ctx.person.birthDate, 'date_of_birth', 'mdy_slash')], {
      size: 26,
      weight: 700,
    });
    b.text(x + 340, 185, [word('4b EXP'), neutral(' '), dateSpan(ctx, f.expires, 'date', 'mdy_slash')], {
      size: 26,
      weight: 700,
      fill: '#a0262c',
    });
    b.text(x, 232, [word('1'), neutral(' '), personal(upper(ctx.person.surname), 'name')], { size: 30, weight: 700, maxWidth: 640 });
    b.text(x, 272, [word('2'), neutral(' '), personal(upper(ctx.person.givenNames), 'name')], { size: 28, weight: 700, maxWidth: 640 });
    b.text(x, 312, [word('8'), neutral(' '), personal(upper(a.street), 'address')], { size: 24, maxWidth: 640 });
    b.text(
      x + 22,
      346,
      [neutral(`${upper(a.city)}, ${ctx.faker.location.state({ abbreviated: true })} `), personal(a.postcode, 'postcode')],
      { size: 24, maxWidth: 620 },
    );
    b.text(
      x,
      395,
      [
        word('15 SEX'),
        neutral(` ${ctx.person.sex}`),
        neutral('   '),
        word('18 EYES'),
        neutral(' BRO'),
        neutral('   '),
        word('16 HGT'),
        neutral(` 5'-${ctx.faker.number.int({ min: 2, max: 11 })}"`),
      ],
      {
        size: 20,
        maxWidth: 640,
      },
    );
    b.text(
      x,
      432,
      [word('4a ISS'), neutral(' '), dateSpan(ctx, f.issued, 'date', 'mdy_slash'), neutral('   '), word('12 RESTR'), neutral(' NONE')],
      { size: 20, maxWidth: 640 },
    );
    b.text(40, 600, [word('5 DD'), neutral(' '), personal(ctx.faker.string.numeric(12), 'document_number')], { size: 20 });
    b.text(960, 600, word('NOT FOR FEDERAL IDENTIFICATION'), { size: 16, anchor: 'end', fill: '#4a4f63' });
    return b.build('#e4eef3', { radius: 36, fill2: '#f2efe2', guilloche: '#b9d0dc' });
  },
};

const licenceEuCompact: Template = {
  kind: 'driving_licence',
  layout: 'eu-numbered-right-photo',
  holdout: true,
  locales: ['en_GB', 'de', 'fr', 'es', 'it', 'nl', 'pl', 'pt_BR', 'tr', 'sv', 'cs_CZ', 'hu'],
  draw(ctx) {
    const b = ctx.builder(1000, 630);
    const f = facts(ctx);
    const style = localDateStyle(ctx);
    b.text(40, 55, [word(label(ctx, 'drivingLicence')), neutral('  '), word(ctx.locale.country2)], {
      size: 28,
      weight: 700,
      fill: '#24406e',
      maxWidth: 900,
    });
    portraitOrBox(ctx, b, 720, 90, 240, 300, true);
    const lines: Span[][] = [
      [word('1.'), neutral(' '), personal(upper(ctx.person.surname), 'name')],
      [word('2.'), neutral(' '), personal(ctx.person.givenNames, 'name')],
      [word('3.'), neutral(' '), dateSpan(ctx, ctx.person.birthDate, 'date_of_birth', style)],
      [
        word('4a.'),
        neutral(' '),
        dateSpan(ctx, f.issued, 'date', style),
        neutral('  '),
        word('4b.'),
        neutral(' '),
        dateSpan(ctx, f.expires, 'date', style),
      ],
      [word('4c.'), neutral(' '), word(f.authority)],
      [word('5.'), neutral(' '), personal(f.number, 'document_number')],
      [word('8.'), neutral(' '), personal(ctx.person.address.street, 'address')],
      [word('9.'), neutral(' B')],
    ];
    let y = 120;
    for (const line of lines) {
      b.text(40, y, line, { size: 26, weight: 700, maxWidth: 650 });
      y += 56;
    }
    return b.build('#f4e6ea', { radius: 36, guilloche: '#dcbcc8' });
  },
};

export const IDENTITY_TEMPLATES: readonly Template[] = [
  passportClassic,
  passportModern,
  passportUsBook,
  idFront,
  idBack,
  idCompact,
  permitFront,
  permitBack,
  licenceEu,
  licenceAamva,
  licenceEuCompact,
];
