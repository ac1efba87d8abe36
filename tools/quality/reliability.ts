/**
 * Reliability of the published confidences: tags grouped by their confidence, and the share of each
 * group that the labels call right. A calibrated service has shares close to the confidences, and
 * the tags it auto-applies (tier auto_apply) right at least AUTO_APPLY_TARGET of the time. Pure.
 * Tags the labels cannot judge (scenes, materials) are counted apart, never as right or wrong.
 */
import type { TagTier } from '@media-ai/contracts';
import type { JudgedTag } from './score.js';

/** What the issue asks of auto-applied tags: right at least 90 % of the time on labelled photos. */
export const AUTO_APPLY_TARGET = 0.9;

export interface ReliabilityRow {
  /** Lower edge (inclusive) and upper edge (exclusive, except 1) of the confidence bucket, or a tier name. */
  bucket: string;
  tags: number;
  right: number;
  /** right / tags; NaN when empty. */
  share: number;
  /** Mean confidence of the bucket's tags. */
  meanConfidence: number;
}

function row(bucket: string, tags: readonly JudgedTag[]): ReliabilityRow {
  const judged = tags.filter((t) => t.right !== null);
  const right = judged.filter((t) => t.right).length;
  const mean = judged.length ? judged.reduce((s, t) => s + t.confidence, 0) / judged.length : Number.NaN;
  return { bucket, tags: judged.length, right, share: judged.length ? right / judged.length : Number.NaN, meanConfidence: mean };
}

/** Buckets of 0.1 from 0 to 1 (the last one includes 1). */
export function reliabilityByConfidence(tags: readonly JudgedTag[]): ReliabilityRow[] {
  const rows: ReliabilityRow[] = [];
  for (let i = 0; i < 10; i++) {
    const lo = i / 10;
    const hi = (i + 1) / 10;
    rows.push(
      row(
        `${lo.toFixed(1)}-${hi.toFixed(1)}`,
        tags.filter((t) => t.confidence >= lo && (i === 9 ? t.confidence <= 1 : t.confidence < hi)),
      ),
    );
  }
  return rows.filter((r) => r.tags > 0);
}

const TIERS: TagTier[] = ['auto_apply', 'suggest', 'human_review', 'low'];

export function reliabilityByTier(tags: readonly JudgedTag[]): ReliabilityRow[] {
  return TIERS.map((tier) =>
    row(
      tier,
      tags.filter((t) => t.tier === tier),
    ),
  );
}

/** Per category among auto-applied tags: where the wrong ones come from. */
export function autoApplyByCategory(tags: readonly JudgedTag[]): ReliabilityRow[] {
  const auto = tags.filter((t) => t.tier === 'auto_apply');
  return [...new Set(auto.map((t) => t.category))].sort().map((category) =>
    row(
      category,
      auto.filter((t) => t.category === category),
    ),
  );
}

export function formatReliability(title: string, rows: readonly ReliabilityRow[]): string {
  const lines = [
    `${title}`,
    `  ${'bucket'.padEnd(14)} ${'tags'.padStart(5)} ${'right'.padStart(6)} ${'share'.padStart(6)} ${'mean conf'.padStart(9)}`,
  ];
  for (const r of rows) {
    const share = Number.isNaN(r.share) ? '    -' : r.share.toFixed(2).padStart(6);
    const mean = Number.isNaN(r.meanConfidence) ? '        -' : r.meanConfidence.toFixed(2).padStart(9);
    lines.push(`  ${r.bucket.padEnd(14)} ${String(r.tags).padStart(5)} ${String(r.right).padStart(6)} ${share} ${mean}`);
  }
  return `${lines.join('\n')}\n`;
}
