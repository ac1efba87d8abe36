import { describe, expect, it } from 'vitest';
import { englishLine } from './text-filter.js';

describe('englishLine', () => {
  it('applies NFKC: full-width punctuation and letters become ASCII', () => {
    expect(englishLine('（master =local[*]，app id）').text).toBe('(master =local[*],app id)');
    expect(englishLine('ＡＢＣ１２３').text).toBe('ABC123');
  });

  it('drops a stray CJK character and keeps the rest in order', () => {
    expect(englishLine('3N13元').text).toBe('3N13');
    expect(englishLine('VARTA 电池 HIGH ENERGY').text).toBe('VARTA HIGH ENERGY');
  });

  it('drops a line that is mostly CJK or has nothing readable left', () => {
    expect(englishLine('中国银行A').text).toBeNull();
    expect(englishLine('中文').text).toBeNull();
    expect(englishLine('--').text).toBeNull();
  });

  it('keeps accented Latin', () => {
    expect(englishLine('Café Crème').text).toBe('Café Crème');
  });
});
