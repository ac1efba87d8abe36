// Generated test text for the re-spacing measurements: names, street addresses, cities, company
// names, job titles, products, departments, countries and months from faker's locales for the
// languages lost-and-found sees on documents. Seeded: the tune split and the held-out split use
// different seeds, so the held-out text was never looked at while the rules were tuned.
import { Faker, base, de, en, es, fr, it, nl, pl, pt_BR, tr, type LocaleDefinition } from '@faker-js/faker';

export const LOCALES: Record<string, LocaleDefinition> = { en, fr, de, es, it, nl, pt_BR, pl, tr };

export type Split = 'tune' | 'holdout';
const SEEDS: Record<Split, number> = { tune: 20_240_601, holdout: 77_031_999 };

export interface Phrase {
  locale: string;
  kind: string;
  text: string;
}

const KINDS: Record<string, (f: Faker) => string> = {
  name: (f) => f.person.fullName(),
  street: (f) => f.location.streetAddress(),
  address: (f) => `${f.location.streetAddress()}, ${f.location.city()} ${f.location.zipCode()}`,
  city: (f) => f.location.city(),
  company: (f) => f.company.name(),
  job: (f) => f.person.jobTitle(),
  product: (f) => f.commerce.productName(),
  department: (f) => f.commerce.department(),
  country: (f) => f.location.country(),
  date: (f) => `${f.number.int({ min: 1, max: 28 })} ${f.date.month()} ${f.number.int({ min: 1950, max: 2030 })}`,
};

/** `perKind` phrases of every kind in every locale, for one split. */
export function phrases(split: Split, perKind: number): Phrase[] {
  const out: Phrase[] = [];
  for (const [locale, definition] of Object.entries(LOCALES)) {
    const f = new Faker({ locale: [definition, en, base] });
    f.seed(SEEDS[split]);
    for (const [kind, make] of Object.entries(KINDS)) {
      for (let i = 0; i < perKind; i++) {
        const text = make(f).replace(/\s+/g, ' ').trim();
        if (text.includes(' ')) out.push({ locale, kind, text });
      }
    }
  }
  return out;
}

/** Letter/digit boundaries of a spaced text, as indexes into the text with every space removed. */
export function boundaries(spaced: string): Set<number> {
  const out = new Set<number>();
  let k = 0;
  const chars = [...spaced];
  chars.forEach((c, i) => {
    if (/\s/.test(c)) return;
    const prev = chars[i - 1];
    if (prev !== undefined && /\s/.test(prev) && k > 0) {
      // Only between two letters/digits: "Aranda, 9" and "Fay-Lowe - Ledner" are punctuation's business.
      const left = chars
        .slice(0, i - 1)
        .filter((x) => !/\s/.test(x))
        .pop()!;
      if (/[\p{L}\p{N}]/u.test(left) && /[\p{L}\p{N}]/u.test(c)) out.add(k);
    }
    k++;
  });
  return out;
}

export interface BoundaryCount {
  truePositive: number;
  predicted: number;
  actual: number;
}

export const emptyCount = (): BoundaryCount => ({ truePositive: 0, predicted: 0, actual: 0 });

export function addCount(count: BoundaryCount, truth: Set<number>, predicted: Set<number>): void {
  count.actual += truth.size;
  count.predicted += predicted.size;
  for (const p of predicted) if (truth.has(p)) count.truePositive++;
}

export function formatCount(c: BoundaryCount): string {
  const p = c.predicted ? c.truePositive / c.predicted : 1;
  const r = c.actual ? c.truePositive / c.actual : 1;
  const f1 = p + r > 0 ? (2 * p * r) / (p + r) : 0;
  return `P ${p.toFixed(3)} R ${r.toFixed(3)} F1 ${f1.toFixed(3)} (${c.truePositive}/${c.predicted} predicted, ${c.actual} true)`;
}
