/**
 * Spans of a line that hold personal data, and their replacement by placeholders. Every rule
 * reports spans on the original line instead of rewriting it, so rules never see each other's
 * placeholders and overlapping findings merge into one token. Pure.
 */
import { PLACEHOLDERS, type RedactedKind } from './placeholders.js';

export interface Span {
  start: number;
  end: number;
  kind: RedactedKind;
}

/** Which kind names a merged span: the more specific finding wins over the generic one. */
const PRIORITY: readonly RedactedKind[] = [
  'mrz',
  'imei',
  'serial_number',
  'card_number',
  'iban',
  'email',
  'phone',
  'national_id',
  'id_number',
  'travel_reference',
  'date_of_birth',
  'date',
  'address',
  'place_of_birth',
  'name',
  'personal_detail',
];

/** Overlapping spans merge (touching ones do not: "[NAME] [NAME]" keeps its space). */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && span.start < last.end) {
      last.end = Math.max(last.end, span.end);
      if (PRIORITY.indexOf(span.kind) < PRIORITY.indexOf(last.kind)) last.kind = span.kind;
    } else {
      merged.push({ ...span });
    }
  }
  return merged;
}

/** Writes the placeholders over the spans (merged first). */
export function applySpans(line: string, spans: readonly Span[]): string {
  let out = '';
  let at = 0;
  for (const span of mergeSpans(spans)) {
    out += line.slice(at, span.start) + PLACEHOLDERS[span.kind];
    at = span.end;
  }
  return out + line.slice(at);
}

/** Whether [start, end) overlaps any span. */
export function overlaps(spans: readonly Span[], start: number, end: number): boolean {
  return spans.some((s) => s.start < end && start < s.end);
}

/** Trims spaces off both ends of a span of `line`, so a placeholder keeps the spacing around it. */
export function trimmed(line: string, start: number, end: number, kind: RedactedKind): Span {
  while (start < end && /\s/.test(line[start] ?? '')) start++;
  while (end > start && /\s/.test(line[end - 1] ?? '')) end--;
  return { start, end, kind };
}
