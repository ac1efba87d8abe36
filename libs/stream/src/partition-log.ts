/**
 * One partition of an in-process topic: an append-only log with Kafka-style offsets (0, 1, 2, …
 * never reused) and a movable start for retention. It never reorders, rewrites or renumbers
 * records: offsets are what consumer groups commit, so they must stay stable forever.
 */
import type { Headers } from './transport.js';

export interface LoggedRecord {
  offset: number;
  key: string | null;
  value: Buffer;
  headers: Headers;
  timestamp: number;
  /** Append order across all partitions of the topic (lets tests read a topic in send order). */
  sequence: number;
}

export class PartitionLog {
  private entries: LoggedRecord[] = [];
  /** Index in entries of the first retained record; compacted lazily so truncation is O(1) amortised. */
  private head = 0;
  private start = 0;

  /** Offset of the oldest retained record (where "from beginning" starts). */
  get startOffset(): number {
    return this.start;
  }

  /** Offset the next appended record will get (Kafka's log end offset / high watermark). */
  get endOffset(): number {
    return this.start + (this.entries.length - this.head);
  }

  append(record: Omit<LoggedRecord, 'offset'>): LoggedRecord {
    const logged = { ...record, offset: this.endOffset };
    this.entries.push(logged);
    return logged;
  }

  /** Up to max records from offset on (clamped to the retained range). */
  read(fromOffset: number, max: number): LoggedRecord[] {
    const from = Math.max(fromOffset, this.start);
    const index = this.head + (from - this.start);
    return this.entries.slice(index, index + Math.max(0, max));
  }

  /** Drops every record below offset (retention). Never moves the end. */
  truncateBefore(offset: number): void {
    const target = Math.min(offset, this.endOffset);
    if (target <= this.start) return;
    this.head += target - this.start;
    this.start = target;
    // Compact once the dead prefix dominates, so memory follows the retained size.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  all(): LoggedRecord[] {
    return this.entries.slice(this.head);
  }
}
