import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ITEM_NAMES, LLM_ITEM_CATEGORIES, LOST_AND_FOUND_ITEMS, itemForCocoClass, itemForImageNetClass } from './taxonomy.js';

const COCO = readFileSync(new URL('../../../../shared/models/coco80.txt', import.meta.url), 'utf8')
  .trim()
  .split('\n');

describe('the lost-and-found taxonomy', () => {
  it('covers the items people lose, as the issue names them', () => {
    const tags = LOST_AND_FOUND_ITEMS.map((i) => i.tag);
    for (const tag of [
      'phone',
      'wallet',
      'keys',
      'bag',
      'backpack',
      'suitcase',
      'umbrella',
      'headphones',
      'laptop',
      'glasses',
      'watch',
      'jewelry',
      'document',
      'card',
      'clothing',
      'bottle',
      'toy',
      'bicycle',
    ]) {
      expect(tags).toContain(tag);
    }
    expect(new Set(tags).size).toBe(tags.length);
  });

  it('gives every name exactly one item: no word is two things', () => {
    const owners = new Map<string, Set<string>>();
    for (const item of LOST_AND_FOUND_ITEMS) {
      for (const name of [item.tag, ...(item.coco ?? []), ...(item.imagenet ?? []), ...(item.words ?? [])]) {
        owners.set(name.toLowerCase(), (owners.get(name.toLowerCase()) ?? new Set()).add(item.tag));
      }
    }
    const ambiguous = [...owners].filter(([, tags]) => tags.size > 1).map(([name]) => name);
    expect(ambiguous).toEqual([]);
    expect(ITEM_NAMES['cell phone']).toBe('phone');
    expect(ITEM_NAMES['cellular telephone']).toBe('phone');
    expect(ITEM_NAMES['suitcase']).toBe('suitcase');
  });

  it('maps only real COCO classes, and the carried ones among them', () => {
    const mapped = LOST_AND_FOUND_ITEMS.flatMap((i) => i.coco ?? []);
    for (const name of mapped) expect(COCO, name).toContain(name);
    expect(itemForCocoClass('cell phone')).toBe('phone');
    expect(itemForCocoClass('handbag')).toBe('bag');
    expect(itemForCocoClass('teddy bear')).toBe('toy');
    // Context, never an item: people, vehicles, furniture.
    for (const context of ['person', 'car', 'truck', 'dining table', 'chair', 'potted plant']) expect(itemForCocoClass(context)).toBeNull();
    // The detectors' catch-all for small rectangles (see the taxonomy entry): never an item.
    expect(itemForCocoClass('remote')).toBeNull();
    expect(ITEM_NAMES['remote control']).toBe('electronics');
  });

  it('files ImageNet pets by index range under their species, and unmapped classes under nothing', () => {
    expect(itemForImageNetClass('Chihuahua', 151)).toBe('dog');
    expect(itemForImageNetClass('tabby', 281)).toBe('cat');
    expect(ITEM_NAMES['dog']).toBe('pet');
    expect(itemForImageNetClass('wallet', 893)).toBe('wallet');
    expect(itemForImageNetClass('gown', 578)).toBeNull();
  });

  it('files document types as finer kinds of document and card, named by the coarse item for matching', () => {
    const kinds = LOST_AND_FOUND_ITEMS.filter((i) => i.kindOf);
    expect(kinds.map((i) => i.tag)).toEqual(
      expect.arrayContaining(['passport', 'national id', 'driving licence', 'payment card', 'luggage tag']),
    );
    for (const item of kinds) {
      expect(['document', 'card']).toContain(item.kindOf);
      expect(item.group).toBe('documents and cards');
      expect(item.llm).toBeFalsy();
    }
    expect(ITEM_NAMES['passport']).toBe('document');
    expect(ITEM_NAMES['driver license']).toBe('card');
    expect(ITEM_NAMES['business card']).toBe('card');
  });

  it('offers the llm the common items and "other", never the fine-grained ones', () => {
    expect(LLM_ITEM_CATEGORIES.at(-1)).toBe('other');
    expect(LLM_ITEM_CATEGORIES).toContain('suitcase');
    expect(LLM_ITEM_CATEGORIES).not.toContain('pencil case');
  });
});
