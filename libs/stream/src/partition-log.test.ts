import { describe, expect, it } from 'vitest';
import { PartitionLog } from './partition-log.js';

function append(log: PartitionLog, n: number): void {
  for (let i = 0; i < n; i++) {
    log.append({ key: `k${i}`, value: Buffer.from(String(i)), headers: {}, timestamp: 0, sequence: i });
  }
}

describe('PartitionLog', () => {
  it('numbers records from 0 and reads a bounded range', () => {
    const log = new PartitionLog();
    append(log, 5);
    expect(log.endOffset).toBe(5);
    expect(log.read(1, 2).map((r) => r.offset)).toEqual([1, 2]);
    expect(log.read(4, 10).map((r) => r.offset)).toEqual([4]);
    expect(log.read(5, 10)).toEqual([]);
  });

  it('keeps offsets stable across truncation and compaction', () => {
    const log = new PartitionLog();
    append(log, 3000);
    log.truncateBefore(2500);
    expect(log.startOffset).toBe(2500);
    expect(log.endOffset).toBe(3000);
    expect(log.read(0, 2).map((r) => r.offset)).toEqual([2500, 2501]);
    expect(log.all()).toHaveLength(500);
    append(log, 1);
    expect(log.endOffset).toBe(3001);
    expect(log.read(3000, 1)[0]?.offset).toBe(3000);
  });

  it('never truncates past the end or backwards', () => {
    const log = new PartitionLog();
    append(log, 3);
    log.truncateBefore(10);
    expect(log.startOffset).toBe(3);
    log.truncateBefore(1);
    expect(log.startOffset).toBe(3);
    expect(log.endOffset).toBe(3);
  });
});
