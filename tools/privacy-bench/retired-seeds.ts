/**
 * Held-out sets retired into tuning (4-9 at privacy-rules-14, 13-16 at privacy-rules-16, 19-22 and 23-28 at privacy-rules-17, 29-34 at privacy-rules-18,
 * 35-46 at privacy-rules-19, 47-52 at privacy-rules-20, 53-58 at privacy-rules-21,
 * each scored once as a fresh set before): their leaks were examined one by one, so their figures are tune figures from then on, and their output
 * may be dumped. Seed 8's holdout was never read.
 */
export const RETIRED_HOLDOUT_SEEDS: ReadonlySet<number> = new Set([
  4, 5, 6, 7, 8, 9, 13, 14, 15, 16, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44,
  45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);
