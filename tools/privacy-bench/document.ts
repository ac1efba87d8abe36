/**
 * The drawing of one document before any camera effect: text runs tagged with what they are
 * (personal with a category, a non-personal word, or neutral), boxes, lines and portrait slots, in
 * the document's own pixel coordinates. Templates build it with DocumentBuilder; render.ts draws it;
 * the ground truth is read back from the same tags, so what is printed and what is scored can never
 * disagree. Must never hold pixels or touch the file system.
 */
import type { CalendarDate, PersonalCategory } from './ground-truth.js';
import type { FontRole, FontWeight, TextFont } from './fonts.js';
import { AS_WRITTEN, caseLabel, mirrorModel, shuffleFieldOrder, type FieldBox, type LayoutVariation } from './layout-variation.js';

export type Truth = { type: 'word' } | { type: 'neutral' } | { type: 'personal'; category: PersonalCategory; date?: CalendarDate };

export interface Span {
  text: string;
  truth: Truth;
}

export interface TextItem {
  type: 'text';
  x: number;
  /** Baseline. */
  y: number;
  size: number;
  role: FontRole;
  weight: FontWeight;
  fill: string;
  spans: Span[];
  anchor: 'start' | 'middle' | 'end';
  tracking: number;
}

export interface RectItem {
  type: 'rect';
  x: number;
  y: number;
  width: number;
  height: number;
  fill: string;
  radius: number;
  opacity: number;
}

export interface PortraitItem {
  type: 'portrait';
  x: number;
  y: number;
  width: number;
  height: number;
  grey: boolean;
}

export type Item = TextItem | RectItem | PortraitItem;

export interface DocumentModel {
  width: number;
  height: number;
  /** Corner radius (cards) or 0. */
  radius: number;
  /** Card colour; a second colour makes a diagonal gradient. */
  fill: string;
  fill2?: string;
  /** Fine wavy security lines (guilloche-like) drawn under everything. */
  guilloche?: string;
  items: Item[];
}

export const word = (text: string): Span => ({ text, truth: { type: 'word' } });
export const neutral = (text: string): Span => ({ text, truth: { type: 'neutral' } });
export const personal = (text: string, category: PersonalCategory, date?: CalendarDate): Span => ({
  text,
  truth: date ? { type: 'personal', category, date } : { type: 'personal', category },
});

export interface TextOptions {
  size?: number;
  role?: FontRole;
  weight?: FontWeight;
  fill?: string;
  anchor?: 'start' | 'middle' | 'end';
  tracking?: number;
  /** Shrink the size until the text fits this width. */
  maxWidth?: number;
}

/** Resolves a role to the image's font for that role (the body family stands in for sans/serif/condensed). */
export type FontResolver = (role: FontRole, weight: FontWeight) => TextFont;

export class DocumentBuilder {
  readonly items: Item[] = [];
  readonly #fields: FieldBox[] = [];

  constructor(
    readonly width: number,
    readonly height: number,
    private readonly font: FontResolver,
    /** The role body text uses in this image (sans, serif or condensed). */
    readonly body: FontRole,
    /** How this issuer arranges what the template draws (layout-variation.ts); as written by default. */
    private readonly variation: LayoutVariation = AS_WRITTEN,
    /** The variation's own random stream (field order). */
    private readonly roll: () => number = () => 0,
  ) {}

  text(x: number, y: number, spans: Span | Span[], options: TextOptions = {}): TextItem {
    const list = (Array.isArray(spans) ? spans : [spans]).filter((s) => s.text.length > 0);
    const role = options.role ?? this.body;
    const weight = options.weight ?? 400;
    const tracking = options.tracking ?? 0;
    let size = options.size ?? 24;
    if (options.maxWidth) {
      const full = list.map((s) => s.text).join('');
      const width = this.font(role, weight).width(full, size, tracking);
      if (width > options.maxWidth) size = Math.max(8, Math.floor((size * options.maxWidth) / width));
    }
    const item: TextItem = {
      type: 'text',
      x,
      y,
      size,
      role,
      weight,
      fill: options.fill ?? '#1b1b1f',
      spans: list,
      anchor: options.anchor ?? 'start',
      tracking,
    };
    this.items.push(item);
    return item;
  }

  /**
   * A field: by default a label (small, muted) with its value under it; the layout variation may
   * print it inline (`Label: value`, when the template gave a width to fit) or with the label as a
   * caption under the value. Returns the y below the field.
   */
  field(x: number, y: number, label: Span | Span[], value: Span | Span[], options: FieldOptions = {}): number {
    const labelSize = options.labelSize ?? 15;
    const valueSize = options.valueSize ?? 26;
    const labelSpans = caseLabel(Array.isArray(label) ? label : [label], this.variation.labelCase);
    const first = this.items.length;
    const style = this.variation.fieldStyle === 'inline' && !options.maxWidth ? 'above' : this.variation.fieldStyle;
    let bottom: number;
    if (style === 'inline') {
      const valueSpans = Array.isArray(value) ? value : [value];
      const size = Math.round(valueSize * 0.85);
      const separator: Span = { text: this.variation.separator, truth: { type: 'neutral' } };
      this.text(x, y + size, [...labelSpans, separator, ...valueSpans], {
        size,
        weight: options.valueWeight ?? 700,
        role: options.valueRole,
        maxWidth: options.maxWidth,
      });
      bottom = y + size + 8;
    } else {
      const [topSpans, topSize, bottomSpans, bottomSize] =
        style === 'caption' ? [value, valueSize, labelSpans, labelSize] : [labelSpans, labelSize, value, valueSize];
      const valueOptions = { size: valueSize, weight: options.valueWeight ?? 700, role: options.valueRole, maxWidth: options.maxWidth };
      const labelOptions = { size: labelSize, fill: options.labelFill ?? '#4a4f63', maxWidth: options.maxWidth };
      this.text(x, y + topSize, topSpans, style === 'caption' ? valueOptions : labelOptions);
      this.text(x, y + topSize + 6 + bottomSize, bottomSpans, style === 'caption' ? labelOptions : valueOptions);
      bottom = y + labelSize + 6 + valueSize;
    }
    this.#fields.push({ items: this.items.slice(first), x, top: y, height: bottom - y });
    return bottom + (options.gap ?? 12);
  }

  /** `Label: value` on one line; returns the y of the next line. */
  inline(x: number, y: number, label: Span | Span[], value: Span | Span[], options: FieldOptions = {}): number {
    const size = options.valueSize ?? 24;
    const labelSpans = caseLabel(Array.isArray(label) ? label : [label], this.variation.labelCase);
    const valueSpans = Array.isArray(value) ? value : [value];
    this.text(x, y + size, [...labelSpans, neutralGap(this.variation.separator), ...valueSpans], {
      size,
      maxWidth: options.maxWidth,
      weight: options.valueWeight,
    });
    return y + size + (options.gap ?? 12);
  }

  rect(x: number, y: number, width: number, height: number, fill: string, radius = 0, opacity = 1): void {
    this.items.push({ type: 'rect', x, y, width, height, fill, radius, opacity });
  }

  portrait(x: number, y: number, width: number, height: number, grey = false): void {
    this.items.push({ type: 'portrait', x, y, width, height, grey });
  }

  build(fill: string, extras: Partial<Pick<DocumentModel, 'radius' | 'fill2' | 'guilloche'>> = {}): DocumentModel {
    if (this.variation.shuffleFields) shuffleFieldOrder(this.#fields, this.roll);
    const model = { width: this.width, height: this.height, fill, radius: extras.radius ?? 0, ...extras, items: this.items };
    if (this.variation.mirror) mirrorModel(model, this.font);
    return model;
  }
}

/** The space between a label and its value: printed, but no word. */
function neutralGap(text: string): Span {
  return { text, truth: { type: 'neutral' } };
}

export interface FieldOptions {
  labelSize?: number;
  valueSize?: number;
  labelFill?: string;
  valueWeight?: FontWeight;
  valueRole?: FontRole;
  maxWidth?: number;
  gap?: number;
}
