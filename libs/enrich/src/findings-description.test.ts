import type { ContractColorAnalysis, ContractExtractedText, TagGrade, TagTier } from '@media-ai/contracts';
import { describe, expect, it } from 'vitest';
import { describeFindings, type Findings } from './findings-description.js';

const tag = (name: string, category: TagGrade['category'], confidence: number, tier: TagTier): TagGrade => ({
  tag: name,
  category,
  confidence,
  tier,
  sources: ['detector'],
  evidence: [],
});
const color = (name: string, share: number): ContractColorAnalysis => ({
  color_name: name,
  hex_code: '#000000',
  confidence: share,
  dominant: false,
});
const line = (text: string, confidence = 0.95): ContractExtractedText => ({ text, confidence, bounding_box: null });

function findings(partial: Partial<Findings>): Findings {
  return { tags: [], colors: [], textContent: [], minTextConfidence: 0.7, ...partial };
}

describe('describeFindings', () => {
  it('states sure findings as facts: colours, brand, item, material, other items, scene', () => {
    const description = describeFindings(
      findings({
        tags: [
          tag('phone', 'object', 0.94, 'auto_apply'),
          tag('black', 'color', 0.88, 'auto_apply'),
          tag('apple', 'brand', 0.86, 'auto_apply'),
          tag('keys', 'object', 0.75, 'suggest'),
          tag('grey', 'color', 0.72, 'suggest'),
          tag('leather', 'material', 0.71, 'suggest'),
          tag('indoor_office', 'scene', 0.7, 'suggest'),
          tag('bottle', 'object', 0.45, 'low'),
        ],
        colors: [color('black', 0.6), color('grey', 0.3)],
      }),
    );

    expect(description).toBe('Black and grey Apple phone (leather). Also visible: keys. Scene: indoor office.');
  });

  it('names the colours measured in the photo as the photo’s when no colour tag is sure', () => {
    // phone_with_powerbank.jpg: the phone is auto-applied, its colours are low-tier tags.
    const description = describeFindings(
      findings({
        tags: [tag('phone', 'object', 0.937, 'auto_apply'), tag('black', 'color', 0.469, 'low'), tag('white', 'color', 0.42, 'low')],
        colors: [color('black', 0.469), color('white', 0.42), color('gray', 0.065)],
      }),
    );

    expect(description).toBe('Phone. The photo is mostly black and white.');
  });

  it('hedges an item good only for human review, and quotes label text once', () => {
    // batteries_varta.jpg: the brand is sure from the print, the item only likely.
    const description = describeFindings(
      findings({
        tags: [
          tag('varta', 'brand', 0.9, 'auto_apply'),
          tag('batteries', 'object', 0.63, 'human_review'),
          tag('blue', 'color', 0.517, 'human_review'),
          tag('bottle', 'object', 0.497, 'low'),
        ],
        colors: [color('blue', 0.517), color('white', 0.335), color('navy', 0.06)],
        textContent: [
          line('HIGH ENERGY', 0.993),
          line('VARTA', 0.992),
          line('IARTA', 0.98),
          line('ALKALINE', 0.877),
          line('IVARTA', 0.923),
          line('KALINE', 0.835),
          line('ALKALNE', 0.8),
        ],
      }),
    );

    expect(description).toBe('Varta product, possibly batteries. Text: "HIGH ENERGY", "ALKALINE". The photo is mostly blue and white.');
  });

  it('never quotes redacted lines, numbers, prose or unsure readings, and at most three lines', () => {
    const description = describeFindings(
      findings({
        tags: [tag('backpack', 'object', 0.9, 'auto_apply')],
        textContent: [
          line('mob:[PHONE]'),
          line('Room 4127'),
          line("Spark context available as'sc"),
          line('NORTH', 0.6),
          line('EASTPAK'),
          line('Authentic'),
          line('Since'),
          line('Outdoor'),
        ],
      }),
    );

    expect(description).toBe('Backpack. Text: "EASTPAK", "Authentic", "Since".');
  });

  it('quotes no text at all when the post looks like a document or a card', () => {
    const description = describeFindings(
      findings({
        tags: [tag('wallet', 'object', 0.8, 'suggest'), tag('card', 'object', 0.4, 'low')],
        textContent: [line('Contoso'), line('Dr.AverySmith')],
      }),
    );

    expect(description).toBe('Wallet.');
  });

  it('says nothing when only weak guesses and colours were found', () => {
    const description = describeFindings(
      findings({ tags: [tag('bottle', 'object', 0.45, 'low'), tag('blue', 'color', 0.5, 'human_review')], colors: [color('blue', 0.5)] }),
    );

    expect(description).toBeNull();
  });
});
