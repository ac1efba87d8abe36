/**
 * SharedWordRanks: a read-only word -> frequency rank table packed in SharedArrayBuffers, so every
 * thread of a process reads one copy of the word lexicon (the main thread's redaction and the OCR
 * thread's re-spacing both need it) instead of each isolate building its own Map of ~220,000 words
 * (~13 MiB of V8 heap per copy). Open addressing with linear probing over FNV-1a hashes of the
 * words' UTF-16 code units. It answers exactly what a Map of the same entries would (iteration in
 * insertion order included) and must never be written once built.
 */

/** The buffers a table is made of: what a thread is handed (structured clone shares, never copies, them). */
export interface SharedWordRanksData {
  /** Int32 per slot: 1 + the index of the word in it, or 0 (empty); a power of two slots. */
  slots: SharedArrayBuffer;
  /** Int32 triples per word in insertion order: its start in `chars`, its length, its rank. */
  words: SharedArrayBuffer;
  /** Uint16: every word's UTF-16 code units, one word after another. */
  chars: SharedArrayBuffer;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** The last word hashed and its hash: a lexicon asks each of its lists (9 to 12) for the same word in turn. */
let lastWord = '';
let lastHash = FNV_OFFSET;

function hashOf(word: string): number {
  if (word === lastWord) return lastHash;
  let h = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
  lastWord = word;
  lastHash = h >>> 0;
  return lastHash;
}

export class SharedWordRanks implements ReadonlyMap<string, number> {
  readonly size: number;
  readonly data: SharedWordRanksData;
  private readonly slots: Int32Array;
  private readonly words: Int32Array;
  private readonly chars: Uint16Array;
  private readonly mask: number;

  /** Packs entries (a Map's, in its order; a repeated word keeps its first place and its last rank, as Map.set). */
  static from(entries: Iterable<readonly [string, number]>): SharedWordRanks {
    const unique = entries instanceof Map ? (entries as Map<string, number>) : new Map(entries);
    let length = 0;
    // forEach, not for..of: no [word, rank] pair or iterator result per word (~220,000 of them at start-up).
    unique.forEach((_rank, word) => {
      length += word.length;
    });
    // Half full at most: short probe runs for misses, which are most lookups of the segmenter.
    let capacity = 16;
    while (capacity < unique.size * 2) capacity *= 2;
    const data: SharedWordRanksData = {
      slots: new SharedArrayBuffer(capacity * Int32Array.BYTES_PER_ELEMENT),
      words: new SharedArrayBuffer(unique.size * 3 * Int32Array.BYTES_PER_ELEMENT),
      chars: new SharedArrayBuffer(length * Uint16Array.BYTES_PER_ELEMENT),
    };
    const slots = new Int32Array(data.slots);
    const words = new Int32Array(data.words);
    const chars = new Uint16Array(data.chars);
    const mask = capacity - 1;
    let index = 0;
    let at = 0;
    unique.forEach((rank, word) => {
      for (let i = 0; i < word.length; i++) chars[at + i] = word.charCodeAt(i);
      words[index * 3] = at;
      words[index * 3 + 1] = word.length;
      words[index * 3 + 2] = rank;
      let slot = hashOf(word) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = index + 1;
      at += word.length;
      index++;
    });
    return new SharedWordRanks(data);
  }

  /** A table over buffers another thread packed (SharedWordRanks.from's `data`). */
  constructor(data: SharedWordRanksData) {
    this.data = data;
    this.slots = new Int32Array(data.slots);
    this.words = new Int32Array(data.words);
    this.chars = new Uint16Array(data.chars);
    this.mask = this.slots.length - 1;
    this.size = this.words.length / 3;
  }

  /** Length of the longest word, in UTF-16 code units (without making a string of every word). */
  longestWordLength(): number {
    let longest = 0;
    for (let i = 1; i < this.words.length; i += 3) longest = Math.max(longest, this.words[i]!);
    return longest;
  }

  get(word: string): number | undefined {
    const index = this.indexOf(word);
    return index < 0 ? undefined : this.words[index * 3 + 2];
  }

  has(word: string): boolean {
    return this.indexOf(word) >= 0;
  }

  *entries(): MapIterator<[string, number]> {
    for (let i = 0; i < this.size; i++) yield [this.wordAt(i), this.words[i * 3 + 2]!];
  }

  *keys(): MapIterator<string> {
    for (let i = 0; i < this.size; i++) yield this.wordAt(i);
  }

  *values(): MapIterator<number> {
    for (let i = 0; i < this.size; i++) yield this.words[i * 3 + 2]!;
  }

  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.entries();
  }

  forEach(callback: (value: number, key: string, map: ReadonlyMap<string, number>) => void, thisArg?: unknown): void {
    for (const [word, rank] of this.entries()) callback.call(thisArg, rank, word, this);
  }

  private wordAt(index: number): string {
    const start = this.words[index * 3]!;
    return String.fromCharCode(...this.chars.subarray(start, start + this.words[index * 3 + 1]!));
  }

  /** The word's index, or -1. */
  private indexOf(word: string): number {
    const { slots, words, chars, mask } = this;
    const length = word.length;
    for (let slot = hashOf(word) & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot]!;
      if (entry === 0) return -1;
      const index = entry - 1;
      if (words[index * 3 + 1] !== length) continue;
      const start = words[index * 3]!;
      let i = 0;
      while (i < length && chars[start + i] === word.charCodeAt(i)) i++;
      if (i === length) return index;
    }
  }
}
