/**
 * A name's particles go with it: the particles printed right before a removed name ("A.van [NAME]",
 * "Patiënt: Ela van de [NAME]") are part of that name, so a rule that found only the name's main
 * words (a surname spread from another line, a known surname) leaves none of them beside its
 * placeholder (privacy-rules-20, retired held-out 49). Only before a name: the particles of a
 * place or of printed wording ("Burgemeester van …", "Koninkrijk der Nederlanden") stay. Pure.
 */
import type { Span } from './spans.js';
import { NAME_PARTICLES } from './vocabulary/name-particles.js';

/** The last word of a text, spaced from its end, not glued to a letter before it ("A.van ", "Ela van "). */
const LAST_WORD = /(?<!\p{L})(\p{L}+)[ \t]+$/u;

/** `spans` with every name span stretched back over the particles just before it. */
export function withParticlesBeforeNames(line: string, spans: readonly Span[]): Span[] {
  return spans.map((span) => {
    if (span.kind !== 'name') return span;
    let start = span.start;
    for (let m = LAST_WORD.exec(line.slice(0, start)); m && NAME_PARTICLES.has(m[1]!); m = LAST_WORD.exec(line.slice(0, start))) {
      // Written in small letters: "VAN" or "Van" opening a line is a name's first word the rules already judged.
      start = m.index;
    }
    return start === span.start ? span : { ...span, start };
  });
}
