// wordsninja 1.1.0 ships no types: the two methods tools/spacing-eval.ts calls.
declare module 'wordsninja' {
  export default class WordsNinja {
    loadDictionary(): Promise<Record<string, number>>;
    splitSentence(
      text: string,
      options?: { camelCaseSplitter?: boolean; capitalizeFirstLetter?: boolean; joinWords?: boolean },
    ): string[] | string;
  }
}
