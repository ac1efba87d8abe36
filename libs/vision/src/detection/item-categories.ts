/**
 * The lost-and-found category of an ImageNet class, from the one taxonomy in @media-ai/contracts
 * (LOST_AND_FOUND_ITEMS): the classifier reports it beside the raw class so the fusion and the
 * records speak the same tag names as the detectors and the llm.
 *
 * Must never guess a category for an unmapped class: null, so a wrong category cannot become a tag.
 */
import { itemForImageNetClass } from '@media-ai/contracts';

/** The lost-and-found category of an ImageNet class, or null when it is not an item we map. */
export function itemCategoryFor(label: string, classIndex: number): string | null {
  return itemForImageNetClass(label, classIndex);
}
