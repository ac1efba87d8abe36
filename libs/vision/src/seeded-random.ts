/**
 * The project's one seeded random source (mulberry32): the same seed draws the same numbers on every
 * machine and Node version. k-means seeds its clusters with it, so a photo's colours never change from
 * run to run, and the generated benchmarks draw their images with it, so they are byte-identical from
 * run to run. Never for anything that must be unpredictable.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
