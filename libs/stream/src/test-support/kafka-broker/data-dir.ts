/**
 * Test Kafka broker: the optional data folder (`dataDir`) that keeps what a broker restart must not
 * lose — topics with their partition counts, every partition's log as the batches were placed, the
 * committed consumer-group offsets, each group's last settled generation and the next producer id —
 * so a broker started again on the same folder serves the same records at the same offsets, and its
 * groups carry on where they were (what Kafka keeps in its logs and in __consumer_offsets).
 *
 * Layout (one writer: the broker process that owns the folder):
 *   topics/<topic>/partitions          partition count, written once (temp file + rename)
 *   topics/<topic>/<partition>.log     the partition's placed v2 batches, appended in offset order
 *   consumer-offsets.jsonl             one committed offset per line, the last line for a key wins
 *   groups.jsonl                       one settled group per line (generation, members, assignments), last wins
 *   producer-ids                       the next producer id InitProducerId hands out
 *
 * Each append is written synchronously before the broker answers or serves it, so a broker killed
 * with SIGKILL keeps everything it acknowledged (the OS holds the written pages; there is no fsync,
 * so a machine crash may lose the tail). Loading checks every batch (size, magic, CRC-32C, offset
 * continuity) and cuts a log at the first bad or partial batch, as Kafka's log recovery does. It
 * never rewrites a stored batch.
 */
import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { GroupSnapshot } from './group-coordinator.js';
import type { CommittedOffset } from './offsets.js';
import { isIntactBatch, readBatchHeader } from './record-batch.js';
import { isLegalTopicName } from './topics.js';

/** baseOffset(8) + length(4): the bytes before a batch's own length counts. */
const LOG_OVERHEAD = 12;

export interface RestoredTopic {
  name: string;
  /** Per partition, the placed batches in offset order. */
  partitions: Buffer[][];
}

export interface RestoredOffset {
  groupId: string;
  topic: string;
  partition: number;
  committed: CommittedOffset;
}

export interface RestoredState {
  topics: RestoredTopic[];
  offsets: RestoredOffset[];
  groups: GroupSnapshot[];
  nextProducerId: bigint;
}

interface OffsetLine {
  g: string;
  t: string;
  p: number;
  o: string;
  e: number;
  m: string | null;
}

/** Writes a small file so that a reader sees either the old content or the new, never half of it. */
function writeAtomically(file: string, content: string): void {
  const temporary = `${file}.${randomUUID()}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}

export class BrokerDataDir {
  private readonly logFds = new Map<string, number>();
  private offsetsFd: number | null = null;
  private groupsFd: number | null = null;
  private closed = false;

  private constructor(
    readonly root: string,
    private readonly log: (message: string) => void,
  ) {}

  /** Opens (creating if needed) the folder and reads back what a previous broker left in it. */
  static open(root: string, log: (message: string) => void): { dataDir: BrokerDataDir; restored: RestoredState } {
    mkdirSync(path.join(root, 'topics'), { recursive: true });
    // A topic deletion cut short by a crash: renamed away already, so never part of the state.
    for (const entry of readdirSync(root))
      if (entry.startsWith('deleted-')) rmSync(path.join(root, entry), { recursive: true, force: true });
    const dataDir = new BrokerDataDir(root, log);
    const restored: RestoredState = {
      topics: dataDir.loadTopics(),
      offsets: dataDir
        .loadJsonLines<OffsetLine>(dataDir.offsetsFile, (line) => JSON.stringify([line.g, line.t, line.p]))
        .map((line) => ({
          groupId: line.g,
          topic: line.t,
          partition: line.p,
          committed: { offset: BigInt(line.o), leaderEpoch: line.e, metadata: line.m },
        })),
      groups: dataDir.loadJsonLines<GroupLine>(dataDir.groupsFile, (line) => line.groupId).map(fromGroupLine),
      nextProducerId: dataDir.loadNextProducerId(),
    };
    dataDir.offsetsFd = openSync(dataDir.offsetsFile, 'a');
    dataDir.groupsFd = openSync(dataDir.groupsFile, 'a');
    return { dataDir, restored };
  }

  topicCreated(name: string, partitions: number): void {
    const folder = this.topicFolder(name);
    mkdirSync(folder, { recursive: true });
    writeAtomically(path.join(folder, 'partitions'), `${partitions}\n`);
  }

  topicDeleted(name: string): void {
    for (const [key, fd] of this.logFds) {
      if (key.startsWith(`${name}/`)) {
        closeSync(fd);
        this.logFds.delete(key);
      }
    }
    // Renamed away first, so a crash halfway through the removal never leaves a half-deleted topic behind.
    const doomed = path.join(this.root, `deleted-${randomUUID()}`);
    renameSync(this.topicFolder(name), doomed);
    rmSync(doomed, { recursive: true, force: true });
  }

  /** The append sink of one partition's log. */
  partitionSink(topic: string, partition: number): (placed: Buffer) => void {
    const key = `${topic}/${partition}`;
    return (placed) => {
      this.checkOpen();
      let fd = this.logFds.get(key);
      if (fd === undefined) {
        fd = openSync(this.partitionFile(topic, partition), 'a');
        this.logFds.set(key, fd);
      }
      writeFully(fd, placed);
    };
  }

  offsetCommitted(groupId: string, topic: string, partition: number, committed: CommittedOffset): void {
    const line: OffsetLine = {
      g: groupId,
      t: topic,
      p: partition,
      o: committed.offset.toString(),
      e: committed.leaderEpoch,
      m: committed.metadata,
    };
    this.checkOpen();
    writeFully(this.offsetsFd!, Buffer.from(`${JSON.stringify(line)}\n`));
  }

  groupSettled(snapshot: GroupSnapshot): void {
    this.checkOpen();
    writeFully(this.groupsFd!, Buffer.from(`${JSON.stringify(toGroupLine(snapshot))}\n`));
  }

  producerIdsAllocated(nextProducerId: bigint): void {
    this.checkOpen();
    writeAtomically(path.join(this.root, 'producer-ids'), `${nextProducerId}\n`);
  }

  close(): void {
    this.closed = true;
    for (const fd of this.logFds.values()) closeSync(fd);
    this.logFds.clear();
    for (const fd of [this.offsetsFd, this.groupsFd]) if (fd !== null) closeSync(fd);
    this.offsetsFd = null;
    this.groupsFd = null;
  }

  /** A request still being handled while the broker closes must fail rather than write after close. */
  private checkOpen(): void {
    if (this.closed) throw new Error(`data folder ${this.root} is closed`);
  }

  private get offsetsFile(): string {
    return path.join(this.root, 'consumer-offsets.jsonl');
  }

  private get groupsFile(): string {
    return path.join(this.root, 'groups.jsonl');
  }

  private topicFolder(name: string): string {
    return path.join(this.root, 'topics', name);
  }

  private partitionFile(topic: string, partition: number): string {
    return path.join(this.topicFolder(topic), `${partition}.log`);
  }

  private loadTopics(): RestoredTopic[] {
    const topics: RestoredTopic[] = [];
    for (const name of readdirSync(path.join(this.root, 'topics'))) {
      const countFile = path.join(this.topicFolder(name), 'partitions');
      const count = existsSync(countFile) ? Number(readFileSync(countFile, 'utf8').trim()) : NaN;
      if (!isLegalTopicName(name) || !Number.isInteger(count) || count < 1) {
        // A creation cut short before its count was written: the topic never existed for any client.
        this.log(`data folder: dropping incomplete topic folder ${name}`);
        rmSync(this.topicFolder(name), { recursive: true, force: true });
        continue;
      }
      topics.push({ name, partitions: Array.from({ length: count }, (_, partition) => this.loadPartition(name, partition)) });
    }
    return topics;
  }

  /** The intact prefix of a partition's log; anything after the first bad or partial batch is cut off. */
  private loadPartition(topic: string, partition: number): Buffer[] {
    const file = this.partitionFile(topic, partition);
    if (!existsSync(file)) return [];
    const bytes = readFileSync(file);
    const batches: Buffer[] = [];
    let at = 0;
    let nextOffset = 0;
    while (at < bytes.length) {
      const size = bytes.length - at >= LOG_OVERHEAD ? LOG_OVERHEAD + bytes.readInt32BE(at + 8) : Infinity;
      const batch = at + size <= bytes.length ? bytes.subarray(at, at + size) : null;
      if (!batch || !isIntactBatch(batch) || readBatchHeader(batch).baseOffset !== nextOffset) break;
      const header = readBatchHeader(batch);
      nextOffset = header.baseOffset + header.lastOffsetDelta + 1;
      batches.push(batch);
      at += size;
    }
    if (at < bytes.length) {
      this.log(
        `data folder: ${topic}-${partition} cut at byte ${at} of ${bytes.length} (partial or corrupt batch), offsets from ${nextOffset} on are gone`,
      );
      const fd = openSync(file, 'r+');
      ftruncateSync(fd, at);
      closeSync(fd);
    }
    return batches;
  }

  /** The last line per key of an append-only JSON-lines file, which is rewritten with only those. */
  private loadJsonLines<T>(file: string, keyOf: (line: T) => string): T[] {
    if (!existsSync(file)) return [];
    const latest = new Map<string, T>();
    const lines = readFileSync(file, 'utf8').split('\n');
    for (const [index, text] of lines.entries()) {
      if (text === '') continue;
      try {
        const line = JSON.parse(text) as T;
        latest.set(keyOf(line), line);
      } catch {
        // Only the last line can be cut short by a crash mid-write; that write was never acknowledged.
        if (index !== lines.length - 1) throw new Error(`data folder: ${file} line ${index + 1} is not JSON`);
        this.log(`data folder: dropping the torn last line of ${path.basename(file)}`);
      }
    }
    writeAtomically(file, [...latest.values()].map((line) => `${JSON.stringify(line)}\n`).join(''));
    return [...latest.values()];
  }

  private loadNextProducerId(): bigint {
    const file = path.join(this.root, 'producer-ids');
    return existsSync(file) ? BigInt(readFileSync(file, 'utf8').trim()) : 0n;
  }
}

/** A group snapshot as a JSON line: buffers (protocol metadata, assignments) in base64. */
interface GroupLine extends Omit<GroupSnapshot, 'members'> {
  members: Array<
    Omit<GroupSnapshot['members'][number], 'protocols' | 'assignment'> & {
      protocols: Array<{ name: string; metadata: string }>;
      assignment: string;
    }
  >;
}

function toGroupLine(snapshot: GroupSnapshot): GroupLine {
  return {
    ...snapshot,
    members: snapshot.members.map((m) => ({
      ...m,
      protocols: m.protocols.map((p) => ({ name: p.name, metadata: p.metadata.toString('base64') })),
      assignment: m.assignment.toString('base64'),
    })),
  };
}

function fromGroupLine(line: GroupLine): GroupSnapshot {
  return {
    ...line,
    members: line.members.map((m) => ({
      ...m,
      protocols: m.protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata, 'base64') })),
      assignment: Buffer.from(m.assignment, 'base64'),
    })),
  };
}

function writeFully(fd: number, bytes: Buffer): void {
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
}
