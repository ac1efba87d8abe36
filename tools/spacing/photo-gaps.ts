// CTC gap statistics on labelled photos: every PP-OCRv4 line (read raw, without re-spacing) is
// matched to the labelled string it reads best, and each pair of adjacent characters read right
// (two letters, or a letter and a digit: where the re-spacing looks) is labelled a word boundary or not; the distribution of the gap features (blanks against the
// line's pitch, space-class probability) is printed per class, with how each rule would fare.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  PaddleTextReader,
  gapFeatures,
  gapScore,
  gapsForPublished,
  restoreWordSpaces,
  type CandidateLine,
  type GapFeatures,
} from '@media-ai/ocr';

interface Entry {
  file: string;
  text: string[];
}

function lcsPairs(a: string, b: string): number[] {
  // For each index of b, the index of a it is matched with (-1 if none), by longest common subsequence.
  const n = a.length;
  const m = b.length;
  const d = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) d[i]![j] = a[i] === b[j] ? d[i + 1]![j + 1]! + 1 : Math.max(d[i + 1]![j]!, d[i]![j + 1]!);
  const out = new Array<number>(m).fill(-1);
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) out[j++] = i++;
    else if (d[i + 1]![j]! >= d[i]![j + 1]!) i++;
    else j++;
  }
  return out;
}

export interface LabelledGap extends GapFeatures {
  boundary: boolean;
  file: string;
  pair: string;
}

/** Milliseconds the re-spacing step took per photo (every published line, with its gaps), measured in photoGaps. */
export const respaceMsPerPhoto: number[] = [];

export async function photoGaps(manifestPath: string): Promise<LabelledGap[]> {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Entry[];
  let captured: CandidateLine[] = [];
  const reader = new PaddleTextReader({ wordSpacing: false, refineLines: async (lines) => void (captured = lines.map((l) => ({ ...l }))) });
  await reader.start();
  const out: LabelledGap[] = [];
  for (const entry of manifest.filter((e) => e.text.length > 0)) {
    await reader.read(readFileSync(join(dirname(manifestPath), entry.file)));
    const t = performance.now();
    for (const line of captured) restoreWordSpaces(line.published, { gaps: gapsForPublished(line.published, line.decoded) });
    respaceMsPerPhoto.push(performance.now() - t);
    for (const line of captured) {
      const decoded = line.decoded;
      const chars = decoded.text.toLowerCase();
      const dense = chars.replace(/ /g, '');
      if (dense.length < 2) continue;
      // The labelled string this line reads best (most characters in common, spaces ignored).
      let best: { truth: string; match: number[]; score: number } | undefined;
      for (const truth of entry.text) {
        const t = truth.toLowerCase();
        const match = lcsPairs(t, chars);
        const score = match.filter((k, i) => k >= 0 && chars[i] !== ' ').length;
        if (!best || score > best.score) best = { truth: t, match, score };
      }
      if (!best || best.score < dense.length * 0.8) continue;
      const features = gapFeatures(decoded);
      for (let i = 1; i < chars.length; i++) {
        const f = features[i];
        const a = best.match[i - 1]!;
        const b = best.match[i]!;
        if (!f || a < 0 || b < 0) continue;
        // Adjacent in the truth (a word gap in the truth is one space).
        const between = best.truth.slice(a + 1, b);
        if (b <= a || (between !== '' && between !== ' ')) continue;
        // Only where the re-spacing looks: between two letters or digits, one of them a letter.
        const pair = decoded.text.slice(i - 1, i + 1);
        if (!/^[\p{L}\p{N}]{2}$/u.test(pair) || !/\p{L}/u.test(pair)) continue;
        out.push({ ...f, boundary: between === ' ', file: entry.file, pair: decoded.text.slice(i - 1, i + 1) });
      }
    }
  }
  await reader.stop();
  return out;
}

export function formatGapStats(gaps: readonly LabelledGap[]): string {
  const lines: string[] = [];
  const boundaries = gaps.filter((g) => g.boundary);
  const inside = gaps.filter((g) => !g.boundary);
  lines.push(
    `pairs read right and adjacent: ${gaps.length}; word boundaries the model dropped: ${boundaries.length}; inside words: ${inside.length}`,
  );
  const rule = (name: string, fires: (g: LabelledGap) => boolean) =>
    lines.push(
      `  ${name.padEnd(34)} boundaries ${boundaries.filter(fires).length}/${boundaries.length}, inside words ${inside.filter(fires).length}/${inside.length}`,
    );
  for (const p of [0.002, 0.005, 0.01, 0.02, 0.05, 0.1]) rule(`space prob >= ${p}`, (g) => g.spaceProb >= p);
  for (const r of [1.2, 1.4, 1.6, 2]) rule(`blanks >= ${r} x pitch`, (g) => g.blanks >= r * g.pitch);
  rule('the default gap score >= 1', (g) => gapScore(g) >= 1);
  const ms = [...respaceMsPerPhoto].sort((a, b) => a - b);
  if (ms.length)
    lines.push(
      `  re-spacing cost per photo with text (${ms.length} photos): median ${ms[Math.floor(ms.length / 2)]!.toFixed(2)} ms, max ${ms.at(-1)!.toFixed(2)} ms`,
    );
  const worst = [...inside].sort((x, y) => y.spaceProb - x.spaceProb).slice(0, 6);
  lines.push(`  highest space prob inside words: ${worst.map((g) => `${g.pair} ${g.spaceProb.toFixed(3)} (${g.file})`).join(', ')}`);
  return lines.join('\n');
}
