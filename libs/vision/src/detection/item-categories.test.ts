import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLabels } from '../models/model-manager.js';
import { SHARED_MODELS } from '../test-support/shared-models.js';
import { LOST_AND_FOUND_ITEMS } from '@media-ai/contracts';
import { itemCategoryFor } from './item-categories.js';

describe('ImageNet classes of the lost-and-found taxonomy', () => {
  it('names only classes that exist exactly once in imagenet1000.txt', async () => {
    const labels = parseLabels(await readFile(join(SHARED_MODELS, 'imagenet1000.txt'), 'utf8'));
    expect(labels).toHaveLength(1000);
    for (const name of LOST_AND_FOUND_ITEMS.flatMap((i) => i.imagenet ?? [])) {
      expect(
        labels.filter((l) => l === name),
        name,
      ).toHaveLength(1);
    }
  });

  it('maps phones, watches and cups, dog and cat breeds by index, and nothing else', async () => {
    const labels = parseLabels(await readFile(join(SHARED_MODELS, 'imagenet1000.txt'), 'utf8'));
    const category = (label: string) => itemCategoryFor(label, labels.indexOf(label));
    expect(category('cellular telephone')).toBe('phone');
    expect(category('iPod')).toBe('phone');
    expect(category('digital watch')).toBe('watch');
    expect(category('espresso')).toBe('cup');
    expect(category('Chihuahua')).toBe('dog');
    expect(category('Rhodesian ridgeback')).toBe('dog');
    expect(category('Mexican hairless')).toBe('dog');
    expect(category('tabby')).toBe('cat');
    expect(category('Egyptian cat')).toBe('cat');
    expect(category('ballpoint')).toBe('pen');
    expect(category('sweatshirt')).toBe('clothing');
    expect(category('comic book')).toBe('book');
    // Worn garments are not items: a street photo must not become "clothing".
    expect(category('miniskirt')).toBeNull();
    expect(category('gown')).toBeNull();
    expect(category('timber wolf')).toBeNull();
    expect(category('tench')).toBeNull();
    expect(category('cab')).toBeNull();
  });
});
