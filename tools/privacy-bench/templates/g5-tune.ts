/**
 * Tune layouts added in generator g5, written from how such documents look in life: a university or
 * staff card (institution, photo, "Student"/"Staff", a matriculation or staff number, validity), a
 * luggage tag with labelled lines (Name / Address / Phone / E-mail), a residence permit's front
 * printing the place of birth (no machine-readable zone), and a prescription label carrying the
 * patient's address. They are drawn only in the tune split and only from FIRST_G5_SEED on, from a
 * stream of their own (generate.ts): no image of an earlier seed, nor any holdout image, changes.
 * Never add one to TEMPLATES: that would redraw earlier seeds.
 */
import type { Span } from '../document.js';
import { neutral, personal, word } from '../document.js';
import { documentDate } from '../people.js';
import { organisation } from './cards.js';
import { bilingual, dateSpan, label, localDateStyle, upper, type Template, type TemplateContext } from './context.js';
import { facts, nameSpans, permitKind, portraitOrBox } from './identity.js';
import { DRUGS, pharmacy } from './travel-and-labels.js';

/** What a university or employer's card calls its holder's number and role, per language. */
export const CARD_WORDS: Record<string, { student: string; staff: string; matriculation: string; staffNo: string; name: string }> = {
  en: { student: 'Student', staff: 'Staff', matriculation: 'Matriculation no.', staffNo: 'Staff no.', name: 'Name' },
  de: { student: 'Studierendenausweis', staff: 'Dienstausweis', matriculation: 'Matrikelnr.', staffNo: 'Personalnr.', name: 'Name' },
  fr: { student: "Carte d'étudiant", staff: 'Carte professionnelle', matriculation: "N° d'étudiant", staffNo: 'Matricule', name: 'Nom' },
  es: { student: 'Carné de estudiante', staff: 'Personal', matriculation: 'N.º de matrícula', staffNo: 'N.º de empleado', name: 'Nombre' },
  it: { student: 'Tessera studente', staff: 'Tesserino personale', matriculation: 'Matricola', staffNo: 'Matricola', name: 'Nome' },
  nl: { student: 'Studentenkaart', staff: 'Medewerker', matriculation: 'Studentnummer', staffNo: 'Personeelsnummer', name: 'Naam' },
  pl: {
    student: 'Legitymacja studencka',
    staff: 'Pracownik',
    matriculation: 'Nr albumu',
    staffNo: 'Nr pracownika',
    name: 'Imię i nazwisko',
  },
  pt: { student: 'Carteira de estudante', staff: 'Funcionário', matriculation: 'Matrícula', staffNo: 'Matrícula', name: 'Nome' },
  tr: { student: 'Öğrenci kimlik kartı', staff: 'Personel', matriculation: 'Öğrenci no', staffNo: 'Sicil no', name: 'Ad soyad' },
  sv: { student: 'Studentkort', staff: 'Personal', matriculation: 'Studentnr', staffNo: 'Anställningsnr', name: 'Namn' },
  cs: { student: 'Průkaz studenta', staff: 'Zaměstnanec', matriculation: 'Osobní číslo', staffNo: 'Osobní číslo', name: 'Jméno' },
  hu: { student: 'Diákigazolvány', staff: 'Munkatárs', matriculation: 'Neptun-kód', staffNo: 'Törzsszám', name: 'Név' },
};
const words = (ctx: TemplateContext) => CARD_WORDS[ctx.locale.language] ?? CARD_WORDS.en!;

const badgeUniversity: Template = {
  kind: 'badge',
  layout: 'university-card',
  holdout: false,
  draw(ctx) {
    const w = words(ctx);
    const student = ctx.faker.number.float() < 0.6;
    const b = ctx.builder(1000, 630);
    const org = organisation(ctx, true);
    const style = localDateStyle(ctx);
    b.rect(0, 0, 1000, 120, student ? '#1d3f6b' : '#3b5b2e');
    b.text(40, 75, word(org), { size: 36, weight: 700, fill: '#ffffff', maxWidth: 920 });
    b.text(40, 170, word(student ? w.student : w.staff), { size: 30, weight: 700, fill: '#1d3f6b', maxWidth: 600 });
    portraitOrBox(ctx, b, 720, 150, 230, 290);
    let y = 200;
    y = b.field(40, y, word(w.name), personal(`${ctx.person.givenNames} ${ctx.person.surname}`, 'name'), { maxWidth: 640 });
    y = b.field(
      40,
      y,
      word(student ? w.matriculation : w.staffNo),
      personal(ctx.faker.string.numeric(student ? 8 : 6), 'document_number'),
      {
        maxWidth: 640,
      },
    );
    b.field(40, y, word(label(ctx, 'validUntil')), dateSpan(ctx, documentDate(ctx.faker, 'future', 3), 'date', style), { maxWidth: 640 });
    return b.build('#ffffff', { radius: 30 });
  },
};

const luggageLabelledTag: Template = {
  kind: 'luggage_tag',
  layout: 'name-address-lines',
  holdout: false,
  draw(ctx) {
    const b = ctx.builder(640, 980);
    const a = ctx.person.address;
    const w = words(ctx);
    b.rect(270, 30, 100, 40, '#9a9a9a', 20);
    const rows: Array<[string, Span[]]> = [
      [w.name, [personal(`${ctx.person.givenNames} ${ctx.person.surname}`, 'name')]],
      [label(ctx, 'address'), [personal(a.street, 'address')]],
      ['', [personal(a.postcode, 'postcode'), neutral(` ${a.city}`)]],
      [label(ctx, 'phone'), [personal(ctx.person.phone, 'phone')]],
      [label(ctx, 'email'), [personal(ctx.person.email, 'email')]],
    ];
    let y = 160;
    for (const [name, value] of rows) {
      const spans: Span[] = name ? [word(`${name}:`), neutral(' '), ...value] : value;
      b.text(40, y, spans, { size: 28, maxWidth: 560 });
      b.rect(40, y + 14, 560, 2, '#9a9a9a');
      y += 80;
    }
    return b.build('#f1e9d2', { radius: 40 });
  },
};

const permitFrontBirthplace: Template = {
  kind: 'residence_permit',
  layout: 'permit-front-birthplace',
  holdout: false,
  draw(ctx) {
    const b = ctx.builder(1000, 630);
    const f = facts(ctx);
    const n = nameSpans(ctx);
    const style = localDateStyle(ctx);
    b.text(40, 50, bilingual(ctx, 'residencePermit'), { size: 26, weight: 700, fill: '#2f4d2f', maxWidth: 900 });
    portraitOrBox(ctx, b, 40, 80, 230, 290);
    let y = 75;
    y = b.field(300, y, bilingual(ctx, 'surname'), n.surname, { maxWidth: 650 });
    y = b.field(300, y, bilingual(ctx, 'givenNames'), n.given, { maxWidth: 650 });
    const row = y;
    y = b.field(300, y, bilingual(ctx, 'dateOfBirth'), dateSpan(ctx, ctx.person.birthDate, 'date_of_birth', style), { maxWidth: 330 });
    b.field(660, row, bilingual(ctx, 'sex'), neutral(ctx.person.sex), { maxWidth: 300 });
    y = b.field(300, y, bilingual(ctx, 'placeOfBirth'), personal(upper(ctx.person.birthPlace), 'place_of_birth'), { maxWidth: 650 });
    const row2 = y;
    y = b.field(300, y, bilingual(ctx, 'permitType'), word(permitKind(ctx)), { maxWidth: 330, valueSize: 22 });
    b.field(660, row2, bilingual(ctx, 'validUntil'), dateSpan(ctx, f.expires, 'date', style), { maxWidth: 300 });
    b.text(40, 600, personal(f.number, 'document_number'), { size: 26, weight: 700, fill: '#a0262c' });
    return b.build('#e9f0e4', { radius: 30, guilloche: '#bcd3b0' });
  },
};

const prescriptionPatientAddress: Template = {
  kind: 'prescription_label',
  layout: 'patient-address',
  holdout: false,
  draw(ctx) {
    const b = ctx.builder(1000, 520);
    const p = pharmacy(ctx);
    const a = ctx.person.address;
    const drug = ctx.faker.helpers.arrayElement(DRUGS);
    b.text(40, 55, word(p.name), { size: 28, weight: 700, fill: '#0b5d7a', maxWidth: 600 });
    b.text(960, 55, [word('Rx'), neutral(' '), personal(ctx.faker.string.numeric(7), 'rx_number')], { size: 26, anchor: 'end' });
    b.rect(40, 75, 920, 3, '#0b5d7a');
    b.text(40, 130, personal(`${ctx.person.givenNames} ${ctx.person.surname}`, 'name'), { size: 32, weight: 700, maxWidth: 920 });
    b.text(40, 172, [personal(a.street, 'address'), neutral(', '), personal(a.postcode, 'postcode'), neutral(` ${a.city}`)], {
      size: 22,
      maxWidth: 920,
    });
    b.text(40, 240, word(`${drug} ${ctx.faker.helpers.arrayElement(['250 mg', '500 mg', '20 mg'])}`), {
      size: 30,
      weight: 700,
      maxWidth: 920,
    });
    b.text(40, 290, word(label(ctx, 'directions')), { size: 24, maxWidth: 920 });
    b.text(
      40,
      350,
      [word(`${label(ctx, 'dateFilled')}:`), neutral(' '), dateSpan(ctx, documentDate(ctx.faker, 'past', 1), 'date', localDateStyle(ctx))],
      { size: 22, maxWidth: 600 },
    );
    b.text(40, 410, [word(label(ctx, 'prescriber')), neutral(': '), personal(p.prescriber, 'name')], { size: 22, maxWidth: 920 });
    b.text(40, 470, word(label(ctx, 'warning')), { size: 22, fill: '#a0262c', maxWidth: 920 });
    return b.build('#fbfbf4');
  },
};

/** Drawn only by the tune split of seeds from FIRST_G5_SEED on (generate.ts). */
export const G5_TUNE_TEMPLATES: readonly Template[] = [
  badgeUniversity,
  luggageLabelledTag,
  permitFrontBirthplace,
  prescriptionPatientAddress,
];
