/**
 * Travel documents and printed labels: boarding passes (passenger, flight, seat, booking reference,
 * ticket number), luggage tags ("Property of <name>", "If found please return to"), pharmacy
 * prescription labels, and the negatives with kind `none`: product labels, device stickers (serial
 * number and Luhn-valid IMEI, identifiers to be hashed) and pages of text without personal data.
 */
import type { Span } from '../document.js';
import { neutral, personal, word } from '../document.js';
import { documentDate, formatDate } from '../people.js';
import { bilingual, dateSpan, label, localDateStyle, upper, type Template, type TemplateContext } from './context.js';

function flight(ctx: TemplateContext) {
  const airline = ctx.faker.airline.airline();
  const from = ctx.faker.airline.airport();
  let to = ctx.faker.airline.airport();
  if (to.iataCode === from.iataCode) to = ctx.faker.airline.airport();
  return {
    airline: airline.name,
    number: `${airline.iataCode} ${ctx.faker.airline.flightNumber({ length: { min: 3, max: 4 } })}`,
    from,
    to,
    date: documentDate(ctx.faker, 'future', 1),
    seat: ctx.faker.airline.seat(),
    gate: `${ctx.faker.string.alpha({ length: 1, casing: 'upper' })}${ctx.faker.number.int({ min: 1, max: 60 })}`,
    boarding: `${String(ctx.faker.number.int({ min: 5, max: 22 })).padStart(2, '0')}:${ctx.faker.helpers.arrayElement(['05', '15', '25', '35', '45', '55'])}`,
    pnr: ctx.faker.airline.recordLocator(),
    ticket: `${ctx.faker.string.numeric(3)} ${ctx.faker.string.numeric(10)}`,
  };
}

/** IATA style passenger name: SURNAME/GIVEN MR. */
const passengerName = (ctx: TemplateContext): Span =>
  personal(`${upper(ctx.person.surname)}/${upper(ctx.person.givenNames.split(' ')[0]!)} ${ctx.person.sex === 'M' ? 'MR' : 'MS'}`, 'name');

const boardingClassic: Template = {
  kind: 'boarding_pass',
  layout: 'airline-classic',
  holdout: false,
  draw(ctx) {
    const b = ctx.builder(1300, 500);
    const f = flight(ctx);
    b.rect(0, 0, 1300, 80, '#12355b');
    b.text(40, 55, word(f.airline), { size: 34, weight: 700, fill: '#ffffff', maxWidth: 600 });
    b.text(1260, 55, bilingual(ctx, 'boardingPass'), { size: 28, weight: 700, fill: '#ffffff', anchor: 'end', maxWidth: 600 });
    let y = 100;
    b.field(40, y, bilingual(ctx, 'passenger'), passengerName(ctx), { maxWidth: 560 });
    b.field(640, y, bilingual(ctx, 'bookingRef'), personal(f.pnr, 'booking_reference'), { maxWidth: 300 });
    y += 90;
    b.field(40, y, bilingual(ctx, 'from'), word(`${f.from.name} ${f.from.iataCode}`), { maxWidth: 560, valueSize: 24 });
    b.field(640, y, bilingual(ctx, 'to'), word(`${f.to.name} ${f.to.iataCode}`), { maxWidth: 600, valueSize: 24 });
    y += 90;
    b.field(40, y, bilingual(ctx, 'flight'), word(f.number), { maxWidth: 200 });
    b.field(260, y, bilingual(ctx, 'date'), dateSpan(ctx, f.date, 'date', 'd_mon_y'), { maxWidth: 240 });
    b.field(520, y, bilingual(ctx, 'gate'), word(f.gate), { maxWidth: 160 });
    b.field(700, y, bilingual(ctx, 'boardingTime'), word(f.boarding), { maxWidth: 240 });
    b.field(960, y, bilingual(ctx, 'seat'), word(f.seat), { maxWidth: 200, valueSize: 40 });
    b.text(40, 460, [word('ETKT'), neutral(' '), personal(f.ticket, 'ticket_number')], { size: 22, role: 'mono' });
    b.text(1260, 460, [word('SEQ'), neutral(` ${ctx.faker.number.int({ min: 1, max: 250 })}`)], { size: 22, anchor: 'end' });
    return b.build('#fdfdfb');
  },
};

const boardingMobile: Template = {
  kind: 'boarding_pass',
  layout: 'mobile-pass',
  holdout: true,
  draw(ctx) {
    const b = ctx.builder(640, 1100);
    const f = flight(ctx);
    b.text(320, 70, word(f.airline), { size: 34, weight: 700, anchor: 'middle', maxWidth: 580 });
    b.text(320, 120, word(label(ctx, 'boardingPass')), { size: 24, anchor: 'middle', fill: '#4a4f63', maxWidth: 580 });
    b.text(60, 230, word(f.from.iataCode), { size: 72, weight: 700 });
    b.text(580, 230, word(f.to.iataCode), { size: 72, weight: 700, anchor: 'end' });
    b.text(60, 270, word(f.from.name), { size: 18, fill: '#4a4f63', maxWidth: 250 });
    b.text(580, 270, word(f.to.name), { size: 18, fill: '#4a4f63', anchor: 'end', maxWidth: 250 });
    let y = 320;
    y = b.field(60, y, word(label(ctx, 'passenger')), passengerName(ctx), { maxWidth: 520 });
    b.field(60, y, word(label(ctx, 'flight')), word(f.number), { maxWidth: 220 });
    y = b.field(330, y, word(label(ctx, 'date')), dateSpan(ctx, f.date, 'date', localDateStyle(ctx)), { maxWidth: 250 });
    b.field(60, y, word(label(ctx, 'gate')), word(f.gate), { maxWidth: 150 });
    b.field(230, y, word(label(ctx, 'boardingTime')), word(f.boarding), { maxWidth: 170 });
    y = b.field(430, y, word(label(ctx, 'seat')), word(f.seat), { maxWidth: 150 });
    y = b.field(60, y, word(label(ctx, 'bookingRef')), personal(f.pnr, 'booking_reference'), { maxWidth: 520 });
    b.field(60, y, word(label(ctx, 'ticketNo')), personal(f.ticket, 'ticket_number'), { maxWidth: 520 });
    b.rect(170, 800, 300, 240, '#222222', 4, 0.9);
    return b.build('#ffffff', { radius: 24 });
  },
};

const luggageAirline: Template = {
  kind: 'luggage_tag',
  layout: 'property-of',
  holdout: false,
  draw(ctx) {
    const b = ctx.builder(620, 1000);
    const a = ctx.person.address;
    b.rect(260, 30, 100, 40, '#9a9a9a', 20);
    b.text(310, 140, word(ctx.faker.airline.airline().name), { size: 32, weight: 700, anchor: 'middle', fill: '#7a1f3d', maxWidth: 560 });
    b.text(40, 230, [word(label(ctx, 'propertyOf')), neutral(' '), personal(`${ctx.person.givenNames} ${ctx.person.surname}`, 'name')], {
      size: 30,
      weight: 700,
      maxWidth: 540,
    });
    b.text(40, 300, word(label(ctx, 'ifFound')), { size: 22, fill: '#4a4f63', maxWidth: 540 });
    let y = 360;
    const lines: Span[][] = [
      [personal(a.street, 'address')],
      [personal(a.postcode, 'postcode'), neutral(` ${a.city}`)],
      [word(label(ctx, 'phone')), neutral(' '), personal(ctx.person.phone, 'phone')],
      [personal(ctx.person.email, 'email')],
    ];
    for (const line of lines) {
      b.text(40, y, line, { size: 28, maxWidth: 540 });
      y += 56;
    }
    return b.build('#f5efe0', { radius: 40 });
  },
};

const luggageLabelled: Template = {
  kind: 'luggage_tag',
  layout: 'labelled-lines',
  holdout: true,
  draw(ctx) {
    const b = ctx.builder(1000, 560);
    const a = ctx.person.address;
    b.rect(30, 30, 60, 500, '#3d3d3d', 20);
    const rows: Array<[string, Span[]]> = [
      [upper(label(ctx, 'passenger')), [personal(upper(`${ctx.person.givenNames} ${ctx.person.surname}`), 'name')]],
      [
        upper(label(ctx, 'address')),
        [personal(a.street, 'address'), neutral(', '), personal(a.postcode, 'postcode'), neutral(` ${a.city}`)],
      ],
      [upper(label(ctx, 'mobile')), [personal(ctx.person.phone, 'phone')]],
      [upper(label(ctx, 'email')), [personal(ctx.person.email, 'email')]],
    ];
    let y = 90;
    for (const [name, value] of rows) {
      b.text(130, y, word(name), { size: 18, weight: 700, fill: '#4a4f63' });
      b.text(130, y + 46, value, { size: 30, maxWidth: 830 });
      b.rect(130, y + 62, 830, 2, '#9a9a9a');
      y += 115;
    }
    return b.build('#e9e4da', { radius: 24 });
  },
};

export const DRUGS = [
  'Amoxicillin',
  'Ibuprofen',
  'Metformin',
  'Atorvastatin',
  'Lisinopril',
  'Omeprazole',
  'Levothyroxine',
  'Amlodipine',
  'Sertraline',
  'Cetirizine',
];

export function pharmacy(ctx: TemplateContext) {
  const kind: Record<string, string> = {
    de: 'Apotheke',
    fr: 'Pharmacie',
    es: 'Farmacia',
    it: 'Farmacia',
    nl: 'Apotheek',
    pl: 'Apteka',
    pt: 'Farmácia',
    tr: 'Eczanesi',
    sv: 'Apotek',
    cs: 'Lékárna',
    hu: 'Gyógyszertár',
    en: 'Pharmacy',
  };
  const name = ctx.faker.person.lastName();
  return {
    name:
      ctx.locale.language === 'tr'
        ? `${ctx.faker.location.city()} ${kind.tr}`
        : `${kind[ctx.locale.language]} ${ctx.faker.location.city()}`,
    street: ctx.faker.location.streetAddress(),
    postcode: ctx.faker.location.zipCode(),
    city: ctx.faker.location.city(),
    phone: ctx.faker.phone.number({ style: 'national' }),
    prescriber: `Dr. ${ctx.faker.person.firstName()} ${name}`,
  };
}

const prescriptionUs: Template = {
  kind: 'prescription_label',
  layout: 'pharmacy-label',
  holdout: false,
  draw(ctx) {
    const b = ctx.builder(1100, 560);
    const p = pharmacy(ctx);
    const drug = ctx.faker.helpers.arrayElement(DRUGS);
    b.text(40, 55, word(p.name), { size: 32, weight: 700, fill: '#0b5d7a', maxWidth: 560 });
    b.text(40, 90, [personal(p.street, 'address'), neutral(', '), personal(p.postcode, 'postcode'), neutral(` ${p.city}`)], {
      size: 20,
      maxWidth: 620,
    });
    b.text(1060, 55, [word('Rx'), neutral(' '), personal(ctx.faker.string.numeric(7), 'rx_number')], {
      size: 30,
      weight: 700,
      anchor: 'end',
    });
    b.text(1060, 90, [word(label(ctx, 'phone')), neutral(' '), personal(p.phone, 'phone')], { size: 20, anchor: 'end', maxWidth: 420 });
    b.rect(40, 110, 1020, 3, '#0b5d7a');
    b.text(40, 165, personal(upper(`${ctx.person.givenNames} ${ctx.person.surname}`), 'name'), { size: 36, weight: 700, maxWidth: 700 });
    b.text(
      1060,
      165,
      [word(label(ctx, 'dateFilled')), neutral(' '), dateSpan(ctx, documentDate(ctx.faker, 'past', 1), 'date', localDateStyle(ctx))],
      { size: 22, anchor: 'end', maxWidth: 360 },
    );
    b.text(40, 230, word(label(ctx, 'directions')), { size: 28, weight: 700, maxWidth: 1020 });
    b.text(40, 300, word(`${drug} ${ctx.faker.helpers.arrayElement(['250 mg', '500 mg', '20 mg', '10 mg', '50 mg'])}`), {
      size: 30,
      weight: 700,
      maxWidth: 600,
    });
    b.text(
      40,
      350,
      [
        word(`${label(ctx, 'quantity')}: ${ctx.faker.helpers.arrayElement([14, 28, 30, 60, 90])}`),
        neutral('    '),
        word(`${label(ctx, 'refills')}: ${ctx.faker.number.int(5)}`),
      ],
      { size: 24 },
    );
    b.text(40, 410, [word(label(ctx, 'prescriber')), neutral(': '), personal(p.prescriber, 'name')], { size: 24, maxWidth: 700 });
    b.rect(40, 450, 1020, 70, '#ffd617', 6);
    b.text(60, 497, word(label(ctx, 'warning')), { size: 26, weight: 700, maxWidth: 980 });
    return b.build('#ffffff');
  },
};

const prescriptionBox: Template = {
  kind: 'prescription_label',
  layout: 'dispensing-sticker',
  holdout: true,
  draw(ctx) {
    const b = ctx.builder(1000, 480);
    const p = pharmacy(ctx);
    const drug = ctx.faker.helpers.arrayElement(DRUGS);
    b.text(
      40,
      70,
      word(
        `${drug} ${ctx.faker.helpers.arrayElement(['100 mg', '5 mg', '40 mg'])} ${ctx.faker.helpers.arrayElement(['tablets', 'capsules'])}`,
      ),
      { size: 34, weight: 700, maxWidth: 920 },
    );
    b.text(40, 125, word(label(ctx, 'directions')), { size: 24, maxWidth: 920 });
    b.text(40, 190, [word(`${label(ctx, 'patient')}:`), neutral(' '), personal(`${ctx.person.givenNames} ${ctx.person.surname}`, 'name')], {
      size: 28,
      weight: 700,
      maxWidth: 920,
    });
    b.text(
      40,
      240,
      [word(`${label(ctx, 'date')}:`), neutral(' '), dateSpan(ctx, documentDate(ctx.faker, 'past', 1), 'date', localDateStyle(ctx))],
      { size: 24, maxWidth: 500 },
    );
    b.text(520, 240, [word('Rx'), neutral(' '), personal(ctx.faker.string.alphanumeric({ length: 8, casing: 'upper' }), 'rx_number')], {
      size: 24,
    });
    b.text(40, 330, word(p.name), { size: 24, weight: 700, maxWidth: 920 });
    b.text(
      40,
      370,
      [
        personal(p.street, 'address'),
        neutral(' · '),
        personal(p.postcode, 'postcode'),
        neutral(` ${p.city}`),
        neutral(' · '),
        personal(p.phone, 'phone'),
      ],
      { size: 20, maxWidth: 920 },
    );
    b.text(40, 440, word(label(ctx, 'warning')), { size: 22, fill: '#a0262c', maxWidth: 920 });
    return b.build('#fbfbf4');
  },
};

/** Negatives: a product label with no personal data at all. */
const productLabel: Template = {
  kind: 'none',
  layout: 'product-label',
  holdout: false,
  draw(ctx) {
    const b = ctx.builder(1000, 560);
    b.text(40, 80, word(ctx.faker.company.name()), { size: 40, weight: 700, maxWidth: 900 });
    b.text(40, 140, word(ctx.faker.commerce.productName()), { size: 32, maxWidth: 900 });
    const specs = [
      `Model: ${ctx.faker.string.alpha({ length: 2, casing: 'upper' })}-${ctx.faker.string.numeric(4)}`,
      `Input: 100-240V ~ 50/60Hz ${ctx.faker.helpers.arrayElement(['0.5A', '1.2A', '0.8A'])}`,
      `Output: ${ctx.faker.helpers.arrayElement(['5V 2A', '12V 1.5A', '20V 3.25A'])}`,
      `LOT ${ctx.faker.string.numeric(6)}`,
      ctx.faker.helpers.arrayElement(['Made in China', 'Made in Germany', 'Made in Vietnam', 'Assembled in Mexico']),
      `${ctx.faker.commerce.productMaterial()} · ${ctx.faker.color.human()}`,
    ];
    let y = 210;
    for (const line of specs) {
      b.text(40, y, word(line), { size: 26, maxWidth: 900 });
      y += 50;
    }
    b.text(960, 520, word('CE'), { size: 48, weight: 700, anchor: 'end' });
    return b.build('#f4f4f0');
  },
};

/** A device sticker: its serial number and IMEI are identifiers (hashed, never shown). */
function deviceLabel(layout: string, holdout: boolean): Template {
  return {
    kind: 'none',
    layout,
    holdout,
    draw(ctx) {
      const b = ctx.builder(1000, 520);
      const brand = ctx.faker.helpers.arrayElement(['Nokia', 'Motorola', 'Samsung', 'Xiaomi', 'OnePlus', 'Garmin', 'Lenovo']);
      b.text(
        40,
        75,
        word(`${brand} ${ctx.faker.string.alpha({ length: 1, casing: 'upper' })}${ctx.faker.number.int({ min: 10, max: 99 })}`),
        { size: 38, weight: 700 },
      );
      const serial = ctx.faker.string.alphanumeric({ length: 12, casing: 'upper' });
      const imei = ctx.faker.phone.imei().replace(/\D/g, '');
      const lines: Span[][] = holdout
        ? [
            [word('IMEI'), neutral(': '), personal(imei, 'imei')],
            [word('SN'), neutral(': '), personal(serial, 'serial_number')],
            [word(`FCC ID: ${ctx.faker.string.alphanumeric({ length: 9, casing: 'upper' })}`)],
            [word(`Rated ${ctx.faker.helpers.arrayElement(['5V 2A', '9V 2A', '3.85V 4500mAh'])}`)],
          ]
        : [
            [word(`Model: ${ctx.faker.string.alpha({ length: 2, casing: 'upper' })}-${ctx.faker.string.numeric(4)}`)],
            [word('S/N'), neutral(': '), personal(serial, 'serial_number')],
            [
              word('IMEI'),
              neutral(': '),
              personal(`${imei.slice(0, 2)} ${imei.slice(2, 8)} ${imei.slice(8, 14)} ${imei.slice(14)}`, 'imei'),
            ],
            [word(`Input ${ctx.faker.helpers.arrayElement(['5V 2A', '9V 2A'])}  Made in China`)],
          ];
      let y = 160;
      for (const line of lines) {
        b.text(40, y, line, { size: 30, maxWidth: 920 });
        y += 70;
      }
      return b.build(ctx.faker.helpers.arrayElement(['#ffffff', '#e9e9e9', '#f6f3ea']));
    },
  };
}

/** A page of instructions: dates, numbers and capitals that are nobody's. */
function textPage(layout: string, holdout: boolean): Template {
  return {
    kind: 'none',
    layout,
    holdout,
    draw(ctx) {
      const b = ctx.builder(900, 1200);
      const style = localDateStyle(ctx);
      const published = documentDate(ctx.faker, 'past', 3);
      b.text(60, 100, word(ctx.faker.commerce.productName()), { size: 40, weight: 700, maxWidth: 780 });
      b.text(60, 150, word(`Version ${ctx.faker.system.semver()}`), { size: 22, fill: '#4a4f63' });
      b.text(840, 150, neutral(formatDate(published, style, ctx.locale)), { size: 22, fill: '#4a4f63', anchor: 'end' });
      let y = 230;
      for (let p = 0; p < 4; p++) {
        const sentences = [ctx.faker.commerce.productDescription(), ctx.faker.company.catchPhrase(), ctx.faker.hacker.phrase()].join(' ');
        for (const line of wrap(sentences, holdout ? 58 : 52)) {
          b.text(60, y, word(line), { size: holdout ? 22 : 24, role: holdout ? 'serif' : undefined, maxWidth: 780 });
          y += holdout ? 34 : 38;
        }
        y += 24;
        if (y > 1100) break;
      }
      b.text(450, 1160, word(`${ctx.faker.number.int({ min: 2, max: 90 })}`), { size: 20, anchor: 'middle' });
      return b.build('#fbfaf5');
    },
  };
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const w of text.split(/\s+/)) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}

export const TRAVEL_AND_LABEL_TEMPLATES: readonly Template[] = [
  boardingClassic,
  boardingMobile,
  luggageAirline,
  luggageLabelled,
  prescriptionUs,
  prescriptionBox,
  productLabel,
  deviceLabel('device-sticker', false),
  deviceLabel('device-sticker-imei-first', true),
  textPage('manual-page', false),
  textPage('manual-page-serif', true),
];
