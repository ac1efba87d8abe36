/**
 * Cards a person carries: payment cards (Luhn-valid numbers, IBANs valid for the country on debit
 * cards), health insurance cards (EHIC numbered fields, national cards, US member cards), business
 * cards and staff / student badges.
 */
import type { Span } from '../document.js';
import { neutral, personal, word } from '../document.js';
import { documentDate, formatMonthYear } from '../people.js';
import { dateSpan, label, localDateStyle, upper, type Template, type TemplateContext } from './context.js';

const BANK_WORDS = ['Bank', 'Credit Union', 'Sparkasse', 'Banque', 'Banca', 'Banco', 'Bankası'];

export function bankName(ctx: TemplateContext): string {
  const byLanguage: Record<string, string> = {
    de: 'Sparkasse',
    fr: 'Banque',
    it: 'Banca',
    es: 'Banco',
    pt: 'Banco',
    tr: 'Bankası',
    nl: 'Bank',
    pl: 'Bank',
    sv: 'Sparbanken',
    cs: 'Spořitelna',
    hu: 'Takarékbank',
  };
  const kind = byLanguage[ctx.locale.language] ?? ctx.faker.helpers.arrayElement(BANK_WORDS.slice(0, 2));
  const place = ctx.faker.location.city();
  return ctx.locale.language === 'tr' ? `${place} ${kind}` : `${kind} ${place}`;
}

export const grouped = (digits: string) => digits.replace(/(.{4})/g, '$1 ').trim();

const paymentEmbossed: Template = {
  kind: 'payment_card',
  layout: 'credit-embossed',
  holdout: false,
  draw(ctx) {
    const b = ctx.builder(1000, 630);
    const issuer = ctx.faker.helpers.arrayElement(['visa', 'mastercard'] as const);
    const number = ctx.faker.finance.creditCardNumber({ issuer }).replace(/\D/g, '');
    const expiry = documentDate(ctx.faker, 'future', 4);
    b.text(50, 80, word(bankName(ctx)), { size: 36, weight: 700, fill: '#f4f4f4', maxWidth: 600 });
    b.rect(70, 200, 120, 90, '#d9b75c', 12);
    b.text(60, 390, personal(grouped(number), 'card_number'), { size: 54, role: 'mono', fill: '#f7f7f7', tracking: 2, maxWidth: 880 });
    b.text(420, 450, word(label(ctx, 'validThru')), { size: 16, fill: '#e0e0e0' });
    b.text(420, 490, personal(formatMonthYear(expiry), 'date', { ...expiry, day: 0 }), { size: 34, role: 'mono', fill: '#f7f7f7' });
    b.text(60, 570, personal(upper(`${ctx.person.givenNames.split(' ')[0]} ${ctx.person.surname}`), 'name'), {
      size: 34,
      role: 'mono',
      fill: '#f7f7f7',
      maxWidth: 640,
    });
    b.text(950, 580, word(issuer === 'visa' ? 'VISA' : 'mastercard'), { size: 52, weight: 700, anchor: 'end', fill: '#ffffff' });
    const colours = ['#1d2b53', '#2a2a2a', '#0f5132', '#5c1a33'];
    return b.build(ctx.faker.helpers.arrayElement(colours), { radius: 40, fill2: '#4b5d8a' });
  },
};

/** German-style girocard / bank card: the account's IBAN printed on the front. */
const paymentIban: Template = {
  kind: 'payment_card',
  layout: 'debit-iban',
  holdout: false,
  locales: ['en_GB', 'de', 'fr', 'es', 'it', 'nl', 'pl', 'pt_BR', 'tr', 'sv', 'cs_CZ', 'hu'],
  draw(ctx) {
    const b = ctx.builder(1000, 630);
    const iban = ctx.faker.finance.iban({ formatted: true, countryCode: ctx.locale.country2 });
    const expiry = documentDate(ctx.faker, 'future', 4);
    b.text(50, 80, word(bankName(ctx)), { size: 38, weight: 700, fill: '#c8102e', maxWidth: 620 });
    b.text(950, 80, word(label(ctx, 'debitCard')), { size: 30, weight: 700, anchor: 'end', fill: '#1f3c99' });
    b.rect(70, 190, 120, 90, '#d9b75c', 12);
    b.text(60, 400, personal(upper(`${ctx.person.givenNames.split(' ')[0]} ${ctx.person.surname}`), 'name'), {
      size: 32,
      weight: 700,
      maxWidth: 860,
    });
    b.text(60, 460, [word('IBAN'), neutral(' '), personal(iban, 'iban')], { size: 30, role: 'mono', maxWidth: 880 });
    b.text(60, 540, [word(label(ctx, 'validThru')), neutral(' '), personal(formatMonthYear(expiry), 'date', { ...expiry, day: 0 })], {
      size: 26,
      maxWidth: 500,
    });
    b.text(950, 590, word('Maestro'), { size: 30, weight: 700, anchor: 'end', fill: '#1f3c99' });
    return b.build('#eef3f8', { radius: 40, fill2: '#d4e1ef' });
  },
};

const paymentVertical: Template = {
  kind: 'payment_card',
  layout: 'credit-vertical',
  holdout: true,
  draw(ctx) {
    const b = ctx.builder(630, 1000);
    const issuer = ctx.faker.helpers.arrayElement(['visa', 'mastercard', 'amex'] as const);
    const number = ctx.faker.finance.creditCardNumber({ issuer }).replace(/\D/g, '');
    const expiry = documentDate(ctx.faker, 'future', 4);
    b.text(50, 90, word(bankName(ctx)), { size: 34, weight: 700, fill: '#ffffff', maxWidth: 530 });
    b.text(50, 640, personal(upper(`${ctx.person.givenNames.split(' ')[0]} ${ctx.person.surname}`), 'name'), {
      size: 30,
      weight: 700,
      fill: '#ffffff',
      maxWidth: 530,
    });
    b.text(50, 720, personal(number.replace(/(\d{4})(?=\d)/g, '$1 '), 'card_number'), {
      size: 34,
      role: 'mono',
      fill: '#ffffff',
      maxWidth: 530,
    });
    b.text(50, 790, [word('EXP'), neutral(' '), personal(formatMonthYear(expiry), 'date', { ...expiry, day: 0 })], {
      size: 28,
      role: 'mono',
      fill: '#ffffff',
    });
    b.text(580, 940, word(issuer === 'amex' ? 'AMERICAN EXPRESS' : upper(issuer)), {
      size: 34,
      weight: 700,
      anchor: 'end',
      fill: '#ffffff',
      maxWidth: 520,
    });
    return b.build('#3b2a6b', { radius: 40, fill2: '#8a3b6b' });
  },
};

function insurer(ctx: TemplateContext): string {
  const byLocale: Record<string, string[]> = {
    de: ['AOK Nordost', 'Techniker Krankenkasse', 'BARMER', 'DAK-Gesundheit'],
    fr: ['Assurance Maladie', 'CPAM de Paris', 'MGEN'],
    es: ['Servicio Madrileño de Salud', 'Osakidetza', 'SAS Andalucía'],
    it: ['Servizio Sanitario Nazionale', 'Regione Lombardia'],
    nl: ['Zilveren Kruis', 'CZ Zorgverzekeringen', 'VGZ'],
    pl: ['Narodowy Fundusz Zdrowia'],
    pt: ['Sistema Único de Saúde', 'Unimed', 'Bradesco Saúde'],
    tr: ['Sosyal Güvenlik Kurumu'],
    sv: ['Försäkringskassan'],
    cs: ['Všeobecná zdravotní pojišťovna', 'Oborová zdravotní pojišťovna'],
    hu: ['Nemzeti Egészségbiztosítási Alapkezelő'],
    en: ['NHS Business Services Authority', 'Blue Shield', 'Aetna', 'UnitedHealthcare'],
  };
  return ctx.faker.helpers.arrayElement(byLocale[ctx.locale.language] ?? byLocale.en!);
}

/** European Health Insurance Card: numbered fields 3-9 in every member state. */
const healthEhic: Template = {
  kind: 'health_insurance_card',
  layout: 'ehic-numbered',
  holdout: false,
  locales: ['en_GB', 'de', 'fr', 'es', 'it', 'nl', 'pl', 'sv', 'cs_CZ', 'hu'],
  draw(ctx) {
    const b = ctx.builder(1000, 630);
    const style = localDateStyle(ctx);
    const expiry = documentDate(ctx.faker, 'future', 5);
    b.rect(0, 0, 1000, 110, '#1f3c99');
    b.text(40, 50, word(ctx.locale.language === 'en' ? 'GLOBAL HEALTH INSURANCE CARD' : 'EUROPEAN HEALTH INSURANCE CARD'), {
      size: 28,
      weight: 700,
      fill: '#ffd617',
      maxWidth: 780,
    });
    b.text(40, 90, word(label(ctx, 'healthCard')), { size: 22, fill: '#ffffff', maxWidth: 780 });
    b.text(950, 80, word(ctx.locale.country2), { size: 44, weight: 700, anchor: 'end', fill: '#ffffff' });
    const rows: Array<[string, string, Span]> = [
      ['3', label(ctx, 'surname'), personal(upper(ctx.person.surname), 'name')],
      ['4', label(ctx, 'givenNames'), personal(upper(ctx.person.givenNames), 'name')],
      ['5', label(ctx, 'dateOfBirth'), dateSpan(ctx, ctx.person.birthDate, 'date_of_birth', style)],
      ['6', label(ctx, 'insuredNo'), personal(ctx.faker.string.alphanumeric({ length: 10, casing: 'upper' }), 'member_number')],
      ['7', label(ctx, 'insurer'), neutral(`${ctx.faker.string.numeric(9)} - `)],
      ['8', label(ctx, 'cardNo'), personal(ctx.faker.string.numeric(20), 'document_number')],
      ['9', label(ctx, 'dateOfExpiry'), dateSpan(ctx, expiry, 'date', style)],
    ];
    let y = 150;
    for (const [no, name, value] of rows) {
      b.text(40, y, [word(`${no}.`), neutral(' '), word(name)], { size: 15, fill: '#4a4f63', maxWidth: 400 });
      const spans: Span[] = no === '7' ? [value, word(insurer(ctx))] : [value];
      b.text(40, y + 32, spans, { size: 26, weight: 700, maxWidth: 900 });
      y += 66;
    }
    return b.build('#eef1f8', { radius: 36 });
  },
};

const healthNational: Template = {
  kind: 'health_insurance_card',
  layout: 'national-photo',
  holdout: false,
  draw(ctx) {
    const b = ctx.builder(1000, 630);
    const name = insurer(ctx);
    b.text(40, 70, word(name), { size: 38, weight: 700, fill: '#0b6e4f', maxWidth: 620 });
    b.text(40, 110, word(label(ctx, 'healthCard')), { size: 22, fill: '#0b6e4f', maxWidth: 620 });
    if (ctx.withFace) b.portrait(700, 60, 250, 310);
    b.text(40, 330, personal(`${ctx.person.givenNames} ${ctx.person.surname}`, 'name'), { size: 36, weight: 700, maxWidth: 640 });
    b.text(
      40,
      390,
      [
        word(label(ctx, 'insuredNo')),
        neutral(' '),
        personal(ctx.faker.string.alpha({ length: 1, casing: 'upper' }) + ctx.faker.string.numeric(9), 'member_number'),
      ],
      {
        size: 26,
        maxWidth: 640,
      },
    );
    b.text(
      40,
      440,
      [word(label(ctx, 'dateOfBirth')), neutral(' '), dateSpan(ctx, ctx.person.birthDate, 'date_of_birth', localDateStyle(ctx))],
      { size: 26, maxWidth: 640 },
    );
    // The insurer's institution code: nobody's, but a bare number a redactor may take: neutral.
    b.text(40, 590, neutral(ctx.faker.string.numeric(9)), { size: 18, fill: '#4a4f63' });
    return b.build('#f1f6f1', { radius: 36, fill2: '#dcefe6' });
  },
};

const healthUsMember: Template = {
  kind: 'health_insurance_card',
  layout: 'us-member',
  holdout: true,
  draw(ctx) {
    const b = ctx.builder(1000, 630);
    b.text(40, 70, word(insurer(ctx)), { size: 40, weight: 700, fill: '#1f4e99', maxWidth: 600 });
    b.text(960, 70, word('PPO'), { size: 40, weight: 700, anchor: 'end', fill: '#1f4e99' });
    b.field(40, 110, word('Member'), personal(upper(`${ctx.person.givenNames} ${ctx.person.surname}`), 'name'), {
      maxWidth: 600,
      valueSize: 30,
    });
    b.field(
      40,
      200,
      word('Member ID'),
      personal(`${ctx.faker.string.alpha({ length: 3, casing: 'upper' })}${ctx.faker.string.numeric(9)}`, 'member_number'),
      { valueSize: 30 },
    );
    b.field(520, 200, word('Group No.'), neutral(ctx.faker.string.numeric(7)), { valueSize: 26 });
    b.field(40, 290, word('Date of birth'), dateSpan(ctx, ctx.person.birthDate, 'date_of_birth', 'mdy_slash'), { valueSize: 26 });
    b.text(
      40,
      440,
      [
        word('RxBIN'),
        neutral(` ${ctx.faker.string.numeric(6)}`),
        neutral('   '),
        word('RxPCN'),
        neutral(' ADV'),
        neutral('   '),
        word('RxGRP'),
        neutral(' RX4421'),
      ],
      { size: 22 },
    );
    b.text(40, 490, word('Office Visit $25  Specialist $50  Emergency Room $150'), { size: 22, maxWidth: 900 });
    b.text(40, 590, [word('Customer Service'), neutral(' '), personal('1-800-555-0199', 'phone')], { size: 18, fill: '#4a4f63' });
    return b.build('#f7f9fc', { radius: 36, fill2: '#dfe8f5' });
  },
};

function company(ctx: TemplateContext): { name: string; website: string } {
  const name = ctx.faker.company.name();
  const slug = name
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 24)
    .replace(/-$/, '');
  const tld = ctx.locale.country2 === 'US' ? 'com' : ctx.locale.country2 === 'GB' ? 'co.uk' : ctx.locale.country2.toLowerCase();
  return { name, website: `www.${slug}.${tld}` };
}

function businessEmail(ctx: TemplateContext, website: string): string {
  const local = `${ctx.person.givenNames.split(' ')[0]}.${ctx.person.surname}`
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z.]/g, '');
  return `${local}@${website.replace(/^www\./, '')}`;
}

function businessCard(layout: string, holdout: boolean, arrangement: 'left' | 'centered' | 'two-column'): Template {
  return {
    kind: 'business_card',
    layout,
    holdout,
    draw(ctx) {
      const b = ctx.builder(1000, 570);
      const c = company(ctx);
      const a = ctx.person.address;
      const title = ctx.faker.person.jobTitle();
      const phoneLabel = ctx.faker.datatype.boolean() ? label(ctx, 'phone') : label(ctx, 'mobile');
      const contact: Span[][] = [
        [word(phoneLabel), neutral(' '), personal(ctx.person.phone, 'phone')],
        [personal(businessEmail(ctx, c.website), 'email')],
        [word(c.website)],
      ];
      const address: Span[][] = [[personal(a.street, 'address')], [personal(a.postcode, 'postcode'), neutral(` ${a.city}`)]];
      if (arrangement === 'centered') {
        b.text(500, 90, word(c.name), { size: 30, weight: 700, anchor: 'middle', fill: '#7a1f3d', maxWidth: 900 });
        b.text(500, 200, personal(`${ctx.person.givenNames} ${ctx.person.surname}`, 'name'), {
          size: 44,
          weight: 700,
          anchor: 'middle',
          maxWidth: 900,
        });
        b.text(500, 245, word(title), { size: 24, anchor: 'middle', fill: '#4a4f63', maxWidth: 900 });
        let y = 330;
        for (const line of [...address, ...contact]) {
          b.text(500, y, line, { size: 22, anchor: 'middle', maxWidth: 900 });
          y += 36;
        }
        return b.build('#fbfaf7');
      }
      if (arrangement === 'left') {
        b.rect(0, 0, 22, 570, '#0b5d7a');
        b.text(70, 110, personal(`${ctx.person.givenNames} ${ctx.person.surname}`, 'name'), { size: 46, weight: 700, maxWidth: 880 });
        b.text(70, 155, word(title), { size: 24, fill: '#0b5d7a', maxWidth: 880 });
        b.text(70, 230, word(c.name), { size: 28, weight: 700, maxWidth: 880 });
        let y = 300;
        for (const line of [...address, ...contact]) {
          b.text(70, y, line, { size: 23, maxWidth: 880 });
          y += 40;
        }
        return b.build('#ffffff');
      }
      b.rect(0, 0, 340, 570, '#23395d');
      b.text(170, 260, word(c.name), { size: 30, weight: 700, fill: '#ffffff', anchor: 'middle', maxWidth: 300 });
      b.text(380, 100, personal(upper(`${ctx.person.givenNames} ${ctx.person.surname}`), 'name'), { size: 36, weight: 700, maxWidth: 590 });
      b.text(380, 140, word(title), { size: 22, fill: '#4a4f63', maxWidth: 590 });
      let y = 230;
      for (const line of [...contact, ...address]) {
        b.text(380, y, line, { size: 22, maxWidth: 590 });
        y += 44;
      }
      return b.build('#f6f4ef');
    },
  };
}

export function organisation(ctx: TemplateContext, student: boolean): string {
  if (!student) return ctx.faker.company.name();
  const city = ctx.faker.location.city();
  const byLanguage: Record<string, string> = {
    de: `Universität ${city}`,
    fr: `Université de ${city}`,
    es: `Universidad de ${city}`,
    it: `Università di ${city}`,
    nl: `Universiteit ${city}`,
    pl: `Uniwersytet ${city}`,
    pt: `Universidade de ${city}`,
    tr: `${city} Üniversitesi`,
    sv: `${city} universitet`,
    cs: `Univerzita ${city}`,
    hu: `${city} Egyetem`,
  };
  return byLanguage[ctx.locale.language] ?? `University of ${city}`;
}

const badgeVertical: Template = {
  kind: 'badge',
  layout: 'staff-vertical',
  holdout: false,
  draw(ctx) {
    const b = ctx.builder(640, 1000);
    const org = organisation(ctx, false);
    b.rect(0, 0, 640, 150, '#0d4d8b');
    b.text(320, 95, word(org), { size: 34, weight: 700, anchor: 'middle', fill: '#ffffff', maxWidth: 580 });
    if (ctx.withFace) b.portrait(170, 190, 300, 370);
    else b.rect(170, 190, 300, 370, '#d9dde3', 8);
    b.text(320, 630, personal(`${ctx.person.givenNames} ${ctx.person.surname}`, 'name'), {
      size: 40,
      weight: 700,
      anchor: 'middle',
      maxWidth: 580,
    });
    b.text(320, 680, word(ctx.faker.person.jobTitle()), { size: 24, anchor: 'middle', fill: '#4a4f63', maxWidth: 580 });
    b.text(320, 730, [word(label(ctx, 'department')), neutral(': '), word(ctx.faker.commerce.department())], {
      size: 22,
      anchor: 'middle',
      maxWidth: 580,
    });
    b.text(320, 800, [word(label(ctx, 'idNo')), neutral(' '), personal(ctx.faker.string.numeric(7), 'document_number')], {
      size: 26,
      anchor: 'middle',
      maxWidth: 580,
    });
    b.rect(0, 880, 640, 120, '#0d4d8b');
    b.text(320, 960, word(label(ctx, 'staff')), { size: 48, weight: 700, anchor: 'middle', fill: '#ffffff' });
    return b.build('#ffffff', { radius: 30 });
  },
};

const badgeStudent: Template = {
  kind: 'badge',
  layout: 'student-card',
  holdout: true,
  draw(ctx) {
    const b = ctx.builder(1000, 630);
    const org = organisation(ctx, true);
    const style = localDateStyle(ctx);
    b.text(40, 70, word(org), { size: 36, weight: 700, fill: '#6b1d1d', maxWidth: 920 });
    b.text(40, 112, word(label(ctx, 'student')), { size: 26, weight: 700, fill: '#4a4f63' });
    if (ctx.withFace) b.portrait(40, 150, 250, 310);
    else b.rect(40, 150, 250, 310, '#d9dde3', 8);
    let y = 150;
    y = b.field(330, y, word(label(ctx, 'surname')), personal(upper(ctx.person.surname), 'name'), { maxWidth: 620 });
    y = b.field(330, y, word(label(ctx, 'givenNames')), personal(ctx.person.givenNames, 'name'), { maxWidth: 620 });
    y = b.field(330, y, word(label(ctx, 'dateOfBirth')), dateSpan(ctx, ctx.person.birthDate, 'date_of_birth', style), { maxWidth: 620 });
    y = b.field(330, y, word(label(ctx, 'idNo')), personal(ctx.faker.string.numeric(8), 'document_number'), { maxWidth: 620 });
    b.field(330, y, word(label(ctx, 'validUntil')), dateSpan(ctx, documentDate(ctx.faker, 'future', 3), 'date', style), { maxWidth: 620 });
    return b.build('#f8f3ea', { radius: 36 });
  },
};

export const CARD_TEMPLATES: readonly Template[] = [
  paymentEmbossed,
  paymentIban,
  paymentVertical,
  healthEhic,
  healthNational,
  healthUsMember,
  businessCard('classic-left', false, 'left'),
  businessCard('centered', false, 'centered'),
  businessCard('two-column', true, 'two-column'),
  badgeVertical,
  badgeStudent,
];
