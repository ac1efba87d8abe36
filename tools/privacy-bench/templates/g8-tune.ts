/**
 * Tune layouts added in generator g8, one per cause of the leaks the retired held-out sets 19-22
 * showed (privacy-rules-17) that the tune material lacked, drawn with variety rather than as any one
 * image looked:
 * - prescription labels whose pharmacy numbers its prescriptions with capitals and digits, printed
 *   after the Rx sign with a space, a colon or nothing between ("Rx K7QW2ZPA", "RxAB1234567"): the
 *   tune split printed numeric Rx numbers only.
 * Drawn only in the tune split and only from FIRST_G8_SEED on, from a stream of their own
 * (generate.ts): no image of an earlier seed, nor any holdout image, changes. Never add one to
 * TEMPLATES: that would redraw earlier seeds.
 */
import { neutral, personal, word } from '../document.js';
import { documentDate } from '../people.js';
import { dateSpan, label, localDateStyle, type Template, type TemplateContext } from './context.js';
import { DRUGS, pharmacy } from './travel-and-labels.js';

/** A pharmacy's prescription number in letters and digits, in the shapes pharmacy systems print. */
function alphanumericRx(ctx: TemplateContext): string {
  const f = ctx.faker;
  switch (f.number.int(3)) {
    case 0:
      return f.string.alphanumeric({ length: 8, casing: 'upper' });
    case 1:
      return `${f.string.alpha({ length: 2, casing: 'upper' })}${f.string.numeric(7)}`;
    case 2:
      return `${f.string.numeric(2)}${f.string.alpha({ length: 1, casing: 'upper' })}${f.string.numeric(5)}`;
    default:
      return `${f.string.alpha({ length: 3, casing: 'upper' })}${f.string.numeric(1)}${f.string.alphanumeric({ length: 4, casing: 'upper' })}`;
  }
}

const prescriptionAlphanumericRx: Template = {
  kind: 'prescription_label',
  layout: 'rx-alphanumeric',
  holdout: false,
  draw(ctx) {
    const b = ctx.builder(1000, 500);
    const p = pharmacy(ctx);
    const drug = ctx.faker.helpers.arrayElement(DRUGS);
    const rx = alphanumericRx(ctx);
    const joiner = ctx.faker.helpers.arrayElement(['', ' ', ': ', ' ']);
    b.text(40, 60, word(`${drug} ${ctx.faker.helpers.arrayElement(['5 mg', '40 mg', '250 mg'])}`), {
      size: 32,
      weight: 700,
      maxWidth: 600,
    });
    const rxTop = ctx.faker.number.float() < 0.5;
    b.text(rxTop ? 960 : 40, rxTop ? 60 : 250, [word('Rx'), neutral(joiner), personal(rx, 'rx_number')], {
      size: ctx.faker.helpers.arrayElement([20, 24, 28]),
      anchor: rxTop ? 'end' : 'start',
    });
    b.text(40, 120, word(label(ctx, 'directions')), { size: 24, maxWidth: 920 });
    b.text(40, 185, [word(`${label(ctx, 'patient')}:`), neutral(' '), personal(`${ctx.person.givenNames} ${ctx.person.surname}`, 'name')], {
      size: 28,
      weight: 700,
      maxWidth: 920,
    });
    b.text(
      rxTop ? 40 : 520,
      250,
      [word(`${label(ctx, 'dateFilled')}:`), neutral(' '), dateSpan(ctx, documentDate(ctx.faker, 'past', 1), 'date', localDateStyle(ctx))],
      { size: 22, maxWidth: 440 },
    );
    b.text(40, 330, word(p.name), { size: 22, weight: 700, maxWidth: 920 });
    b.text(40, 460, word(label(ctx, 'warning')), { size: 22, fill: '#a0262c', maxWidth: 920 });
    return b.build('#fbfbf4');
  },
};

/** Drawn only by the tune split of seeds from FIRST_G8_SEED on (generate.ts). */
export const G8_TUNE_TEMPLATES: readonly Template[] = [prescriptionAlphanumericRx];
