/**
 * A name's particles go with it: the particles printed between a holder's initial or given name and
 * a removed surname ("A.van [NAME]", "[NAME] van de [NAME]") are part of that name, so a rule that
 * found only the name's main words (a surname spread from another line, a known surname) leaves
 * none of them beside its placeholder (privacy-rules-20, retired held-out 49). Only there: a
 * particle after printed wording is that wording's preposition ("Eigendom van [NAME]", "Comune di
 * …", "Firma del …"), and a place's or a title's particles ("Koninkrijk der Nederlanden") stay. Pure.
 */
import type { Span } from './spans.js';
import { NAME_PARTICLES } from './vocabulary/name-particles.js';

/** The last word of a text, spaced from its end, not glued to a letter before it ("A.van ", "Ela van "). */
const LAST_WORD = /(?<!\p{L})(\p{L}+)[ \t]+$/u;
/** An initial ("A.", "J.-P.") ending the text, as a name's given names are abbreviated. */
const INITIAL_BEFORE = /(?<!\p{L})\p{Lu}\.(?:-?\p{Lu}\.)*\s*$/u;

/** `spans` with every name span stretched back over the particles between it and an initial or another name. */
export function withParticlesBeforeNames(line: string, spans: readonly Span[]): Span[] {
  return spans.map((span) => {
    if (span.kind !== 'name') return span;
    let start = span.start;
    // Written in small letters: "VAN" or "Van" opening a line is a name's first word the rules already judged.
    for (let m = LAST_WORD.exec(line.slice(0, start)); m && NAME_PARTICLES.has(m[1]!); m = LAST_WORD.exec(line.slice(0, start))) {
      start = m.index;
    }
    if (start === span.start) return span;
    const before = line.slice(0, start);
    const afterName = spans.some((s) => s !== span && s.kind === 'name' && s.end <= start && !/\S/.test(line.slice(s.end, start)));
    return afterName || INITIAL_BEFORE.test(before) ? { ...span, start } : span;
  });
}
