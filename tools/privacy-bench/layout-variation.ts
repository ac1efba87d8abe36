/**
 * How real documents of one kind differ from issuer to issuer, as a randomisation every template
 * goes through (tune split only): the photo on the left or the right (the whole card mirrored, each
 * text keeping its reading direction), a field's label above its value, inline before it with a
 * separator (`Surname: DOE`, `Surname - DOE`, `SURNAME DOE`), or as a caption under it; labels in
 * capitals or in title case; fields of one column in another order. Templates stay as written: the
 * builder applies the variation (document.ts), so every kind varies alike and the ground truth is
 * still read from the same tagged spans.
 *
 * Must never change what a span is (personal, word, neutral): only where and how it is printed.
 */
import type { DocumentModel, Item, Span, TextItem } from './document.js';
import type { FontResolver } from './document.js';

export type FieldStyle = 'above' | 'inline' | 'caption';
export type LabelCase = 'as-written' | 'upper' | 'title';

export interface LayoutVariation {
  /** Mirror the card: what was on the left (the photo) goes right. */
  mirror: boolean;
  /** How a field's label and value sit (DocumentBuilder.field). */
  fieldStyle: FieldStyle;
  /** Between an inline label and its value. */
  separator: string;
  labelCase: LabelCase;
  /** Shuffle the order of same-height fields within a column. */
  shuffleFields: boolean;
}

/** No variation: the template as written (the holdout split, and seed-compatible callers). */
export const AS_WRITTEN: LayoutVariation = {
  mirror: false,
  fieldStyle: 'above',
  separator: ' ',
  labelCase: 'as-written',
  shuffleFields: false,
};

/** Draws a variation from `roll` (uniform [0,1) numbers from the image's own stream). */
export function drawVariation(roll: () => number): LayoutVariation {
  const pick = <T>(list: readonly T[]): T => list[Math.min(list.length - 1, Math.floor(roll() * list.length))]!;
  const style = roll();
  return {
    mirror: roll() < 0.35,
    fieldStyle: style < 0.45 ? 'above' : style < 0.8 ? 'inline' : 'caption',
    separator: pick([': ', ' ', ' - ', ' / ', ':']),
    labelCase: pick<LabelCase>(['as-written', 'as-written', 'upper', 'title']),
    shuffleFields: roll() < 0.4,
  };
}

export function caseLabel(spans: readonly Span[], labelCase: LabelCase): Span[] {
  if (labelCase === 'as-written') return [...spans];
  return spans.map((s) => ({
    ...s,
    text:
      labelCase === 'upper'
        ? s.text.toLocaleUpperCase()
        : s.text.replace(/\p{L}[\p{L}'’]*/gu, (w) => w[0]!.toLocaleUpperCase() + w.slice(1).toLocaleLowerCase()),
  }));
}

/** A field as drawn: its items and the box they take, so fields of one column can trade places. */
export interface FieldBox {
  items: Item[];
  x: number;
  top: number;
  height: number;
}

/**
 * Fields of one column (same x) and height trade their vertical slots: the issuer printed them in
 * another order. Only fields directly one under the other move (nothing else between them).
 */
export function shuffleFieldOrder(fields: readonly FieldBox[], roll: () => number): void {
  const columns = new Map<string, FieldBox[]>();
  for (const f of fields) {
    const key = `${Math.round(f.x)}:${Math.round(f.height)}`;
    columns.set(key, [...(columns.get(key) ?? []), f]);
  }
  for (const column of columns.values()) {
    if (column.length < 2) continue;
    const slots = column.map((f) => f.top);
    // Fisher-Yates over the slots.
    for (let i = slots.length - 1; i > 0; i--) {
      const j = Math.floor(roll() * (i + 1));
      [slots[i], slots[j]] = [slots[j]!, slots[i]!];
    }
    column.forEach((f, k) => {
      const dy = slots[k]! - f.top;
      for (const item of f.items) item.y += dy;
      f.top = slots[k]!;
    });
  }
}

/** Mirrors the card left-right: boxes move to the other side, texts keep their direction. */
export function mirrorModel(model: DocumentModel, font: FontResolver): void {
  const w = model.width;
  for (const item of model.items) {
    if (item.type === 'text') mirrorText(item, w, font);
    else item.x = w - item.x - item.width;
  }
}

function mirrorText(item: TextItem, w: number, font: FontResolver): void {
  const text = item.spans.map((s) => s.text).join('');
  const width = font(item.role, item.weight).width(text, item.size, item.tracking);
  // The text's box [left, left + width] mirrored, then anchored at its new left edge.
  const left = item.anchor === 'start' ? item.x : item.anchor === 'middle' ? item.x - width / 2 : item.x - width;
  const mirroredLeft = Math.max(0, w - left - width);
  item.x = mirroredLeft;
  item.anchor = 'start';
}
