/**
 * The test broker driven by a second Kafka client: the real kcat binary (librdkafka 2.0.2 on Debian
 * bookworm), which negotiates ApiVersions v3 (flexible) and then Metadata v4, Produce v7, Fetch v11,
 * ListOffsets v2, FindCoordinator v2, JoinGroup v5 (KIP-394 member ids), SyncGroup and Heartbeat v3,
 * LeaveGroup v1, OffsetCommit v7, OffsetFetch v7 (flexible) and InitProducerId v4 (flexible): metadata,
 * produce with keys and headers, consume by offset, consumer groups with commits and rebalances,
 * and records crossing between kcat and kafkajs in both directions. Without kcat these tests fail
 * with the line that says how to install it.
 */
import { Kafka, CompressionTypes, logLevel } from 'kafkajs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startKafkaTestBroker, type KafkaTestBroker } from './index.js';
import { kcatHeaders, parseKcatRecords, requireKcat, runKcat, startKcat, type RunningKcat } from '../kcat.js';

let broker: KafkaTestBroker;
/** Protocol trouble the broker reported: librdkafka must never cause any. */
let brokerLog: string[];
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(() => {
  expect(requireKcat()).toMatch(/librdkafka 2\./);
});

beforeEach(async () => {
  brokerLog = [];
  broker = await startKafkaTestBroker({ defaultPartitions: 3, log: (message) => brokerLog.push(message) });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  await broker.close();
  expect(brokerLog).toEqual([]);
});

const kcat = (args: string[], options?: { input?: string; timeoutMs?: number }) => runKcat(broker.bootstrap, args, options);

/** A kcat that must succeed; its stdout. */
async function kcatOk(args: string[], input?: string): Promise<string> {
  const run = await kcat(args, input === undefined ? {} : { input });
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}

function running(args: string[]): RunningKcat {
  const started = startKcat(broker.bootstrap, args);
  cleanups.push(() => started.stop());
  return started;
}

function kafka(clientId: string): Kafka {
  return new Kafka({ clientId, brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const lines = (n: number, line: (i: number) => string) => Array.from({ length: n }, (_, i) => `${line(i)}\n`).join('');

describe('kafka test broker with kcat (librdkafka)', () => {
  it('lists the broker and its topics (kcat -L)', async () => {
    broker.createTopic('listed', 4);
    const metadata = JSON.parse(await kcatOk(['-L', '-J'])) as {
      controllerid: number;
      brokers: Array<{ id: number; name: string }>;
      topics: Array<{
        topic: string;
        partitions: Array<{ partition: number; leader: number; replicas: Array<{ id: number }>; isrs: Array<{ id: number }> }>;
      }>;
    };
    expect(metadata.controllerid).toBe(0);
    expect(metadata.brokers).toEqual([{ id: 0, name: broker.bootstrap }]);
    expect(metadata.topics).toEqual([
      {
        topic: 'listed',
        partitions: [0, 1, 2, 3].map((partition) => ({ partition, leader: 0, replicas: [{ id: 0 }], isrs: [{ id: 0 }] })),
      },
    ]);
  });

  it('produces keyed records with headers (kcat -P), each key on one partition', async () => {
    broker.createTopic('produced', 3);
    await kcatOk(
      ['-P', '-t', 'produced', '-K', ':', '-H', 'trace-id=t-1', '-H', 'source=kcat'],
      lines(12, (i) => `customer-${i % 4}:order-${i}`),
    );
    const stored = broker.records('produced');
    expect(stored.map((r) => r.value!.toString()).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `order-${i}`).sort());
    const partitionOfKey = new Map<string, number>();
    for (const record of stored) {
      const key = record.key!.toString();
      expect(partitionOfKey.get(key) ?? record.partition).toBe(record.partition);
      partitionOfKey.set(key, record.partition);
      expect(record.headers).toEqual({ 'trace-id': 't-1', source: 'kcat' });
    }
    // Offsets are dense per partition, in the order kcat sent them.
    for (const partition of [0, 1, 2]) {
      const inPartition = stored.filter((r) => r.partition === partition);
      expect(inPartition.map((r) => r.offset)).toEqual(inPartition.map((_, i) => String(i)));
      const orders = inPartition.map((r) => Number(r.value!.toString().slice(6)));
      expect(orders).toEqual([...orders].sort((a, b) => a - b));
    }
  });

  it('consumes from the beginning, from an offset and from the end (kcat -C)', async () => {
    broker.createTopic('read', 2);
    await kcatOk(
      ['-P', '-t', 'read', '-p', '0'],
      lines(3, (i) => `p0-${i}`),
    );
    await new Promise((resolve) => setTimeout(resolve, 50)); // later timestamps for the next two
    await kcatOk(
      ['-P', '-t', 'read', '-p', '0'],
      lines(2, (i) => `p0-${i + 3}`),
    );
    await kcatOk(
      ['-P', '-t', 'read', '-p', '1'],
      lines(3, (i) => `p1-${i}`),
    );

    const all = parseKcatRecords(await kcatOk(['-C', '-t', 'read', '-o', 'beginning', '-e', '-J', '-q']));
    expect(all.map((r) => `${r.partition}:${r.offset}:${r.payload}`).sort()).toEqual(
      [...Array.from({ length: 5 }, (_, i) => `0:${i}:p0-${i}`), ...Array.from({ length: 3 }, (_, i) => `1:${i}:p1-${i}`)].sort(),
    );
    const fromOffset = parseKcatRecords(await kcatOk(['-C', '-t', 'read', '-p', '0', '-o', '3', '-e', '-J', '-q']));
    expect(fromOffset.map((r) => r.payload)).toEqual(['p0-3', 'p0-4']);
    // A negative offset counts back from the end (ListOffsets latest), -c stops after that many.
    const lastTwo = parseKcatRecords(await kcatOk(['-C', '-t', 'read', '-p', '0', '-o', '-2', '-e', '-J', '-q']));
    expect(lastTwo.map((r) => r.payload)).toEqual(['p0-3', 'p0-4']);
    const firstOne = parseKcatRecords(await kcatOk(['-C', '-t', 'read', '-p', '1', '-o', 'beginning', '-c', '1', '-J', '-q']));
    expect(firstOne.map((r) => r.payload)).toEqual(['p1-0']);
    // By time: the first offset whose timestamp is at or after the one given (ListOffsets by timestamp).
    const sentAt = broker.records('read').find((r) => r.partition === 0 && r.offset === '3')!.timestamp;
    const fromTime = parseKcatRecords(await kcatOk(['-C', '-t', 'read', '-p', '0', '-o', `s@${sentAt}`, '-e', '-J', '-q']));
    expect(fromTime.map((r) => r.payload)).toEqual(['p0-3', 'p0-4']);
  });

  it('consumes as a group, commits, and a second run resumes after the commit (kcat -G)', async () => {
    broker.createTopic('grouped', 3);
    await kcatOk(
      ['-P', '-t', 'grouped', '-K', ':'],
      lines(9, (i) => `k${i}:first-${i}`),
    );
    const group = ['-G', 'kcat-readers', 'grouped', '-X', 'auto.offset.reset=earliest', '-e', '-J', '-q'];
    const first = parseKcatRecords(await kcatOk(group));
    expect(first.map((r) => r.payload).sort()).toEqual(Array.from({ length: 9 }, (_, i) => `first-${i}`).sort());
    for (const partition of [0, 1, 2]) {
      const end = broker.records('grouped').filter((r) => r.partition === partition).length;
      expect(broker.committedOffset('kcat-readers', 'grouped', partition)).toBe(String(end));
    }

    await kcatOk(
      ['-P', '-t', 'grouped', '-K', ':'],
      lines(4, (i) => `k${i}:second-${i}`),
    );
    const second = parseKcatRecords(await kcatOk(group));
    expect(second.map((r) => r.payload).sort()).toEqual(Array.from({ length: 4 }, (_, i) => `second-${i}`).sort());
    expect(broker.groupMembers('kcat-readers')).toEqual([]); // each run left the group on exit
  });

  it('splits a topic between two kcat group members and rebalances when one leaves', async () => {
    broker.createTopic('shared', 4);
    // -u: unbuffered, so each record shows up on the pipe as kcat prints it.
    const group = ['-G', 'kcat-sharers', 'shared', '-X', 'auto.offset.reset=earliest', '-J', '-u'];
    const assigned = (member: RunningKcat) => {
      const rebalances = member.stderr().match(/assigned: [^\n]*/g) ?? [];
      const last = rebalances.at(-1) ?? '';
      return [...last.matchAll(/shared \[(\d+)\]/g)].map((m) => Number(m[1])).sort();
    };
    const first = running(group);
    await waitFor('the first member owning every partition', () => assigned(first).length === 4);
    const second = running(group);
    await waitFor('two members sharing four partitions', () => {
      const [a, b] = [assigned(first), assigned(second)];
      return a.length === 2 && b.length === 2 && new Set([...a, ...b]).size === 4;
    });
    expect(broker.groupMembers('kcat-sharers')).toHaveLength(2);

    const producer = kafka('producer').producer();
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    await producer.send({ topic: 'shared', messages: Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) });
    await waitFor('every record consumed once', () => first.records().length + second.records().length === 40);
    for (const member of [first, second]) {
      expect(new Set(member.records().map((r) => r.partition))).toEqual(new Set(assigned(member)));
    }
    expect(new Set([...first.records(), ...second.records()].map((r) => r.payload)).size).toBe(40);

    // The second leaves (SIGTERM: commit, LeaveGroup); the first takes every partition over at once.
    expect(await second.stop()).toBe(0);
    await waitFor('the first member owning every partition again', () => assigned(first).length === 4);
    expect(broker.groupMembers('kcat-sharers')).toHaveLength(1);
  });

  it('produces idempotently (InitProducerId v4, flexible) and refuses a compression it cannot read', async () => {
    await kcatOk(
      ['-P', '-t', 'exactly', '-X', 'enable.idempotence=true', '-K', ':'],
      lines(6, (i) => `k:${i}`),
    );
    expect(broker.records('exactly').map((r) => r.value!.toString())).toEqual(['0', '1', '2', '3', '4', '5']);

    await kcatOk(['-P', '-t', 'zipped', '-z', 'gzip'], `${'compressible '.repeat(200)}\n`);
    expect(broker.records('zipped')[0]!.value!.toString()).toBe('compressible '.repeat(200));
    // zstd batches are refused with UNSUPPORTED_COMPRESSION_TYPE: kcat reports the delivery failure.
    const zstd = await kcat(['-P', '-t', 'zstd', '-z', 'zstd'], { input: `${'compressible '.repeat(200)}\n` });
    expect(zstd.code).not.toBe(0);
    expect(zstd.stderr).toMatch(/Unsupported compression type/);
    expect(broker.records('zstd')).toEqual([]);
  });

  it('hands records from kcat to kafkajs and from kafkajs to kcat, keys and headers intact', async () => {
    broker.createTopic('to-kafkajs', 2);
    await kcatOk(
      ['-P', '-t', 'to-kafkajs', '-K', ':', '-H', 'origin=kcat'],
      lines(6, (i) => `key-${i}:from-kcat-${i}`),
    );
    const consumer = kafka('kafkajs-reader').consumer({ groupId: 'kafkajs-readers', maxWaitTimeInMs: 100 });
    const received: Array<{ key: string; value: string; origin: string }> = [];
    await consumer.connect();
    cleanups.push(() => consumer.disconnect());
    await consumer.subscribe({ topic: 'to-kafkajs', fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) =>
        void received.push({ key: message.key!.toString(), value: message.value!.toString(), origin: String(message.headers!['origin']) }),
    });
    await waitFor('kafkajs reading what kcat wrote', () => received.length === 6);
    expect(received.sort((a, b) => a.key.localeCompare(b.key))).toEqual(
      Array.from({ length: 6 }, (_, i) => ({ key: `key-${i}`, value: `from-kcat-${i}`, origin: 'kcat' })),
    );

    const producer = kafka('kafkajs-writer').producer();
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    await producer.send({
      topic: 'to-kcat',
      compression: CompressionTypes.GZIP,
      messages: [
        { key: 'k1', value: 'from-kafkajs-1', headers: { origin: 'kafkajs', n: '1' } },
        { key: null, value: 'from-kafkajs-2', headers: { origin: 'kafkajs', n: '2' } },
      ],
    });
    const read = parseKcatRecords(await kcatOk(['-C', '-t', 'to-kcat', '-o', 'beginning', '-e', '-J', '-q']));
    expect(
      read.map((r) => ({ key: r.key, payload: r.payload, headers: kcatHeaders(r) })).sort((a, b) => a.payload!.localeCompare(b.payload!)),
    ).toEqual([
      { key: 'k1', payload: 'from-kafkajs-1', headers: { origin: 'kafkajs', n: '1' } },
      { key: null, payload: 'from-kafkajs-2', headers: { origin: 'kafkajs', n: '2' } },
    ]);
  });
});
