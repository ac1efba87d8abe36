/**
 * Field parsers for environment variables: each turns the raw string (or its absence) into a
 * typed value, or records one issue saying what was expected and what was given.
 * Unset and blank values read as "not given" so a concern can apply its default; a default is
 * never applied to a value that is present but wrong — a typo must fail start-up, not be ignored.
 * Must never read process.env: the caller hands the variables in.
 */
import { z } from 'zod';

/** A raw variable as the environment gives it. */
export type RawEnv = Record<string, string | undefined>;

const INVALID = Symbol('invalid');
type Invalid = typeof INVALID;

interface FieldOptions {
  /** Never echo the value in an error message (keys, passwords, credentials). */
  secret?: boolean;
}

function shown(raw: string, secret: boolean | undefined): string {
  return secret ? `<redacted, ${raw.length} characters>` : JSON.stringify(raw);
}

/** The one place an issue message is worded, so every variable fails the same way. */
function field<T>(expected: string, parse: (text: string) => T | Invalid, options: FieldOptions = {}) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T | undefined => {
      if (raw === undefined || raw.trim() === '') return undefined;
      const value = parse(raw.trim());
      if (value === INVALID) {
        ctx.addIssue({ code: 'custom', message: `expected ${expected}, got ${shown(raw, options.secret)}` });
        return z.NEVER;
      }
      return value;
    });
}

export function text(options: FieldOptions = {}) {
  return field('a string', (s) => s, options);
}

export function integer(min: number, max: number) {
  return field(`an integer ${min}..${max}`, (s) => {
    if (!/^[+-]?\d+$/.test(s)) return INVALID;
    const n = Number(s);
    return Number.isSafeInteger(n) && n >= min && n <= max ? n : INVALID;
  });
}

export function decimal(min: number, max: number) {
  return field(`a number ${min}..${max}`, (s) => {
    // Number('') and Number('0x10') are valid JS numbers; an env value should look like a decimal.
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return INVALID;
    const n = Number(s);
    return Number.isFinite(n) && n >= min && n <= max ? n : INVALID;
  });
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

export function boolean() {
  return field('a boolean (true/false/1/0/yes/no)', (s) => {
    const word = s.toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    return INVALID;
  });
}

/** Case-insensitive choice; the value comes back spelled as the schema lists it. */
export function oneOf<const T extends readonly string[]>(choices: T) {
  const byLowerCase = new Map(choices.map((c) => [c.toLowerCase(), c] as const));
  return field(`one of ${choices.join('|')}`, (s): T[number] | Invalid => byLowerCase.get(s.toLowerCase()) ?? INVALID);
}

/**
 * A list, written either comma-separated (`a,b`) or as the guide's JSON array (`["a", "b"]`).
 * Each item may be checked; the message names the list form so the operator knows both work.
 */
export function list(itemExpected = 'items', isValidItem: (item: string) => boolean = () => true) {
  return field(`a comma-separated list or JSON array of ${itemExpected}`, (s): string[] | Invalid => {
    let items: unknown[];
    if (s.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(s);
        if (!Array.isArray(parsed)) return INVALID;
        items = parsed;
      } catch {
        return INVALID;
      }
    } else {
      items = s.split(',');
    }
    const cleaned: string[] = [];
    for (const item of items) {
      if (typeof item !== 'string') return INVALID;
      const trimmed = item.trim();
      if (trimmed === '') continue;
      if (!isValidItem(trimmed)) return INVALID;
      cleaned.push(trimmed);
    }
    return cleaned;
  });
}

export function url(protocols: readonly string[], options: FieldOptions = {}) {
  const wanted = protocols.map((p) => `${p}//`).join(' or ');
  return field(
    `a ${wanted} URL`,
    (s): URL | Invalid => {
      if (!URL.canParse(s)) return INVALID;
      const parsed = new URL(s);
      return protocols.includes(parsed.protocol) ? parsed : INVALID;
    },
    options,
  );
}

/** A JSON object (service-account keys): secrets, so the value is never echoed. */
export function jsonObject(options: FieldOptions = { secret: true }) {
  return field(
    'a JSON object',
    (s): Record<string, unknown> | Invalid => {
      try {
        const parsed: unknown = JSON.parse(s);
        return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : INVALID;
      } catch {
        return INVALID;
      }
    },
    options,
  );
}

/** Adds a cross-field issue in the same wording as field issues. */
export function crossFieldIssue(ctx: z.RefinementCtx, variable: string, message: string): void {
  ctx.addIssue({ code: 'custom', path: [variable], message });
}
