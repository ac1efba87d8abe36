/**
 * The test Kafka broker driven by the real kafkajs 2.2.4 client over TCP: round trips with keys and
 * headers, long-poll fetches, group rebalances (join, leave, session expiry, a SIGKILLed consumer
 * process), committed offsets across restarts, idempotent producers and the admin API.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { CompressionTypes, Kafka, logLevel, type Consumer, type ConsumerConfig, type EachMessagePayload } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startKafkaTestBroker, type KafkaTestBroker } from './index.js';
import { kafkajsProtocol, rawConnection as openRawConnection } from './raw-connection.fixture.js';

let broker: KafkaTestBroker;
/** What the broker reported as protocol trouble: kafkajs must never cause any. */
let brokerLog: string[];
const cleanups: Array<() => Promise<unknown>> = [];

beforeEach(async () => {
  brokerLog = [];
  broker = await startKafkaTestBroker({ defaultPartitions: 3, log: (message) => brokerLog.push(message) });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  await broker.close();
  expect(brokerLog).toEqual([]);
});

function kafka(clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: [broker.bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 50, maxRetryTime: 500, retries: 10 },
  });
}

async function waitFor<T>(what: string, check: () => T | undefined | null | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function producer(clientId = 'producer', options: Parameters<Kafka['producer']>[0] = {}) {
  const p = kafka(clientId).producer(options);
  await p.connect();
  cleanups.push(() => p.disconnect());
  return p;
}

/** Short sessions keep rebalance tests fast; kafkajs requires heartbeatInterval < sessionTimeout. */
const FAST_GROUP: Omit<ConsumerConfig, 'groupId'> = {
  sessionTimeout: 3000,
  rebalanceTimeout: 3000,
  heartbeatInterval: 200,
  maxWaitTimeInMs: 200,
};

interface TrackedConsumer {
  consumer: Consumer;
  messages: EachMessagePayload[];
  /** Latest assignment from the consumer's GROUP_JOIN event: topic → partitions. */
  assignment: Record<string, number[]>;
}

async function consume(
  clientId: string,
  config: ConsumerConfig,
  topic: string,
  run: Partial<Parameters<Consumer['run']>[0]> = {},
): Promise<TrackedConsumer> {
  const consumer = kafka(clientId).consumer(config);
  const tracked: TrackedConsumer = { consumer, messages: [], assignment: {} };
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    tracked.assignment = event.payload.memberAssignment;
  });
  await consumer.connect();
  cleanups.push(() => consumer.disconnect());
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async (payload) => {
      tracked.messages.push(payload);
    },
    ...run,
  });
  return tracked;
}

const partitionsOf = (c: { assignment: Record<string, number[]> }, topic: string) => [...(c.assignment[topic] ?? [])].sort((a, b) => a - b);

describe('kafka test broker with kafkajs', () => {
  it('round-trips keyed messages with headers across partitions, partitioned by key', async () => {
    broker.createTopic('orders', 3);
    const p = await producer();
    const sent = await p.send({
      topic: 'orders',
      messages: Array.from({ length: 30 }, (_, i) => ({
        key: `customer-${i % 10}`,
        value: `order-${i}`,
        headers: { 'trace-id': `t-${i}`, source: 'test' },
      })),
    });
    expect(sent.every((r) => r.errorCode === 0)).toBe(true);

    const stored = broker.records('orders');
    expect(stored).toHaveLength(30);
    const partitionByKey = new Map<string, number>();
    for (const record of stored) {
      const key = record.key!.toString();
      expect(partitionByKey.get(key) ?? record.partition).toBe(record.partition);
      partitionByKey.set(key, record.partition);
      expect(record.headers).toEqual({ 'trace-id': `t-${record.value!.toString().slice(6)}`, source: 'test' });
    }
    expect(new Set(stored.map((r) => r.partition)).size).toBeGreaterThan(1);

    const c = await consume('reader', { groupId: 'orders-readers', ...FAST_GROUP }, 'orders');
    await waitFor('all orders consumed', () => c.messages.length === 30);
    for (const { partition, message } of c.messages) {
      const key = message.key!.toString();
      expect(partition).toBe(partitionByKey.get(key));
      expect(message.headers).toEqual({ 'trace-id': Buffer.from(`t-${message.value!.toString().slice(6)}`), source: Buffer.from('test') });
    }
    // Offsets are dense and per partition, in produce order.
    for (const partition of [0, 1, 2]) {
      const offsets = c.messages.filter((m) => m.partition === partition).map((m) => Number(m.message.offset));
      expect(offsets).toEqual(offsets.map((_, i) => i));
    }
  });

  it('auto-creates a topic with the default partition count on first use', async () => {
    const p = await producer();
    await p.send({ topic: 'auto-created', messages: [{ key: 'a', value: '1' }] });
    const admin = kafka('admin').admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    const { topics } = await admin.fetchTopicMetadata({ topics: ['auto-created'] });
    expect(topics[0]!.partitions).toHaveLength(3);
  });

  it('answers a long-poll fetch as soon as data arrives, and after maxWaitTime when none does', async () => {
    broker.createTopic('quiet', 1);
    const maxWaitTimeInMs = 2000;
    const consumer = kafka('poller').consumer({ groupId: 'pollers', ...FAST_GROUP, maxWaitTimeInMs });
    const fetchStarts: number[] = [];
    const fetchDurations: number[] = [];
    consumer.on(consumer.events.FETCH_START, () => fetchStarts.push(Date.now()));
    consumer.on(consumer.events.FETCH, (e) => fetchDurations.push(e.payload.duration));
    let received = 0;
    await consumer.connect();
    cleanups.push(() => consumer.disconnect());
    await consumer.subscribe({ topic: 'quiet', fromBeginning: true });
    await consumer.run({ eachMessage: async () => void (received += 1) });

    // With nothing to read, the broker holds the fetch for the whole maxWaitTime.
    await waitFor('an empty fetch', () => fetchDurations.length >= 1);
    expect(fetchDurations[0]).toBeGreaterThanOrEqual(maxWaitTimeInMs - 100);

    // A fetch that is already waiting when a message arrives returns with it, long before maxWaitTime.
    const p = await producer();
    const started = fetchStarts.length;
    await waitFor('the next fetch to start', () => fetchStarts.length > started);
    const completed = fetchDurations.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    await p.send({ topic: 'quiet', messages: [{ value: 'wake up' }] });
    await waitFor('the message', () => received === 1);
    expect(fetchDurations[completed]).toBeGreaterThanOrEqual(300);
    expect(fetchDurations[completed]).toBeLessThan(maxWaitTimeInMs - 300);
  });

  it('splits partitions between two consumers and rebalances when a third joins', async () => {
    broker.createTopic('split', 6);
    const config = { groupId: 'splitters', ...FAST_GROUP };
    const first = await consume('first', config, 'split');
    const second = await consume('second', config, 'split');
    await waitFor('two members sharing six partitions', () => {
      const [a, b] = [partitionsOf(first, 'split'), partitionsOf(second, 'split')];
      return a.length === 3 && b.length === 3 && new Set([...a, ...b]).size === 6;
    });
    expect(broker.groupMembers('splitters')).toHaveLength(2);

    const third = await consume('third', config, 'split');
    const members = [first, second, third];
    await waitFor('three members with two partitions each', () => {
      const all = members.map((m) => partitionsOf(m, 'split'));
      return all.every((a) => a.length === 2) && new Set(all.flat()).size === 6;
    });
    expect(broker.groupMembers('splitters')).toHaveLength(3);

    const p = await producer();
    await p.send({ topic: 'split', messages: Array.from({ length: 60 }, (_, i) => ({ key: `k${i}`, value: `${i}` })) });
    await waitFor('every message consumed', () => {
      const seen = new Set(members.flatMap((m) => m.messages.map((x) => x.message.value!.toString())));
      return seen.size === 60;
    });
    // Each member only ever received partitions it was assigned last.
    for (const member of members) {
      const partitions = new Set(member.messages.map((m) => m.partition));
      expect([...partitions].every((p) => partitionsOf(member, 'split').includes(p))).toBe(true);
    }

    // A member leaving (disconnect sends LeaveGroup) hands its partitions over without waiting for expiry.
    await third.consumer.disconnect();
    await waitFor('two members again', () => {
      const [a, b] = [partitionsOf(first, 'split'), partitionsOf(second, 'split')];
      return a.length === 3 && b.length === 3 && new Set([...a, ...b]).size === 6;
    });
    expect(broker.groupMembers('splitters')).toHaveLength(2);
  });

  it('expires a consumer that stops heartbeating and moves its partitions to the survivor', async () => {
    broker.createTopic('expiry', 4);
    const config = { groupId: 'expiring', ...FAST_GROUP };
    const survivor = await consume('survivor', config, 'expiry');
    const doomed = await consume('doomed', config, 'expiry');
    await waitFor('two members', () => partitionsOf(survivor, 'expiry').length === 2 && partitionsOf(doomed, 'expiry').length === 2);

    // The doomed client's connections die and it can never reach the broker again, as after a crash.
    broker.isolateClient('doomed');
    // Losing its connections does not remove a member (Kafka does not either): only its session expiry does.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(broker.groupMembers('expiring')).toHaveLength(2);
    await waitFor('the survivor owning all partitions', () => partitionsOf(survivor, 'expiry').length === 4);
    expect(broker.groupMembers('expiring')).toHaveLength(1);

    const p = await producer();
    await p.send({ topic: 'expiry', messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `${i}` })) });
    await waitFor('the survivor consuming everything', () => survivor.messages.length === 20);
    expect(doomed.messages).toHaveLength(0);
  });

  it('survives a SIGKILLed consumer process and lets its restarted successor rejoin', async () => {
    broker.createTopic('killed', 4);
    const survivor = await consume('survivor', { groupId: 'killable', ...FAST_GROUP }, 'killed');
    const child = startChildConsumer('killable', 'killed');
    await waitFor('child sharing the partitions', () => child.assignment.length === 2 && partitionsOf(survivor, 'killed').length === 2);

    child.process.kill('SIGKILL');
    await waitFor('the survivor owning all partitions', () => partitionsOf(survivor, 'killed').length === 4);
    expect(broker.groupMembers('killable')).toHaveLength(1);

    const restarted = startChildConsumer('killable', 'killed');
    await waitFor(
      'the restarted child sharing again',
      () => restarted.assignment.length === 2 && partitionsOf(survivor, 'killed').length === 2,
    );
    expect(broker.groupMembers('killable')).toHaveLength(2);

    const p = await producer();
    await p.send({ topic: 'killed', messages: Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: `${i}` })) });
    await waitFor('both consuming their share', () => survivor.messages.length + restarted.consumed === 40);
    expect(restarted.consumed).toBeGreaterThan(0);
  });

  it('resumes a restarted group after its committed offsets', async () => {
    broker.createTopic('resume', 3);
    const p = await producer();
    await p.send({ topic: 'resume', messages: Array.from({ length: 12 }, (_, i) => ({ key: `k${i}`, value: `first-${i}` })) });

    const before = await consume('reader-1', { groupId: 'resumers', ...FAST_GROUP }, 'resume');
    await waitFor('first round consumed', () => before.messages.length === 12);
    await before.consumer.disconnect(); // commits what it consumed, then leaves
    const committed = [0, 1, 2].map((partition) => Number(broker.committedOffset('resumers', 'resume', partition) ?? 0));
    expect(committed.reduce((a, b) => a + b, 0)).toBe(12);

    await p.send({ topic: 'resume', messages: Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, value: `second-${i}` })) });
    const after = await consume('reader-2', { groupId: 'resumers', ...FAST_GROUP }, 'resume');
    await waitFor('second round consumed', () => after.messages.length === 6);
    await new Promise((resolve) => setTimeout(resolve, 500)); // nothing older may trickle in
    expect(after.messages.map((m) => m.message.value!.toString()).sort()).toEqual(
      Array.from({ length: 6 }, (_, i) => `second-${i}`).sort(),
    );
  });

  it('consumes with eachBatch, heartbeat and manual resolveOffset/commitOffsetsIfNecessary', async () => {
    broker.createTopic('batches', 2);
    const p = await producer();
    await p.send({ topic: 'batches', messages: Array.from({ length: 50 }, (_, i) => ({ key: `k${i % 7}`, value: `${i}` })) });
    const seen: string[] = [];
    await consume('batcher', { groupId: 'batchers', ...FAST_GROUP }, 'batches', {
      eachMessage: undefined,
      eachBatchAutoResolve: false,
      // No commit after each batch: only commitOffsetsIfNecessary commits, as soon as one offset is resolved.
      autoCommit: false,
      autoCommitThreshold: 1,
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary }) => {
        for (const message of batch.messages) {
          seen.push(message.value!.toString());
          resolveOffset(message.offset);
          await heartbeat();
        }
        await commitOffsetsIfNecessary();
      },
    });
    await waitFor('all batches consumed', () => seen.length === 50);
    const high = [0, 1].map((partition) => broker.records('batches').filter((r) => r.partition === partition).length);
    await waitFor('offsets committed up to the end', () =>
      [0, 1].every((partition) => broker.committedOffset('batchers', 'batches', partition) === String(high[partition])),
    );
  });

  it('stores each message of an idempotent producer exactly once, in order', async () => {
    broker.createTopic('exactly-once', 1);
    const p = await producer('idempotent', { idempotent: true, maxInFlightRequests: 1 });
    for (let round = 0; round < 5; round += 1) {
      await p.send({
        topic: 'exactly-once',
        acks: -1,
        messages: Array.from({ length: 4 }, (_, i) => ({ key: 'same', value: `${round}-${i}` })),
      });
    }
    expect(broker.records('exactly-once').map((r) => r.value!.toString())).toEqual(
      Array.from({ length: 20 }, (_, i) => `${Math.floor(i / 4)}-${i % 4}`),
    );
  });

  it('answers a retried idempotent batch with its first offset instead of appending it again', async () => {
    broker.createTopic('retried', 1);
    const produceV3 = kafkajsProtocol<(args: object) => object>('requests/produce/v3/request.js');
    const { decode } = kafkajsProtocol<ResponseDecoder>('requests/produce/v3/response.js');
    const raw = await rawConnection();
    const produce = async (correlationId: number, firstSequence: number, values: string[]) => {
      const request = produceV3({
        acks: -1,
        timeout: 1000,
        producerId: 7,
        producerEpoch: 0,
        topicData: [{ topic: 'retried', partitions: [{ partition: 0, firstSequence, messages: values.map((value) => ({ value })) }] }],
      });
      const response = (await decode(await raw.exchange(correlationId, request))) as {
        topics: Array<{ partitions: Array<{ errorCode: number; baseOffset: string }> }>;
      };
      return response.topics[0]!.partitions[0]!;
    };
    expect(await produce(1, 0, ['a', 'b'])).toMatchObject({ errorCode: 0, baseOffset: '0' });
    // The same batch again, as after a lost response: acknowledged with its offset, not appended.
    expect(await produce(2, 0, ['a', 'b'])).toMatchObject({ errorCode: 0, baseOffset: '0' });
    expect(await produce(3, 2, ['c'])).toMatchObject({ errorCode: 0, baseOffset: '2' });
    expect(await produce(4, 5, ['d'])).toMatchObject({ errorCode: 45 }); // a gap: OUT_OF_ORDER_SEQUENCE_NUMBER
    expect(broker.records('retried').map((r) => r.value!.toString())).toEqual(['a', 'b', 'c']);
  });

  it('advertises exactly the API versions it implements, and closes connections it cannot understand', async () => {
    const { decode } = kafkajsProtocol<ResponseDecoder>('requests/apiVersions/v2/response.js');
    const apiVersionsV2 = kafkajsProtocol<() => object>('requests/apiVersions/v2/request.js');
    const raw = await rawConnection();
    const { apiVersions } = (await decode(await raw.exchange(1, apiVersionsV2()))) as {
      apiVersions: Array<{ apiKey: number; minVersion: number; maxVersion: number }>;
    };
    // Each range reaches what librdkafka 2.0.2 asks for and starts where its feature checks need it
    // (v0 for the group APIs, ListOffsets v1); protocol-versions.test.ts speaks every version listed.
    expect(Object.fromEntries(apiVersions.map((v) => [v.apiKey, `${v.minVersion}-${v.maxVersion}`]))).toEqual({
      0: '3-7', // Produce
      1: '4-11', // Fetch
      2: '1-2', // ListOffsets
      3: '4-5', // Metadata
      8: '2-7', // OffsetCommit
      9: '1-7', // OffsetFetch (v6+ flexible)
      10: '0-2', // FindCoordinator
      11: '0-5', // JoinGroup
      12: '0-3', // Heartbeat
      13: '0-1', // LeaveGroup
      14: '0-3', // SyncGroup
      15: '1-1', // DescribeGroups
      16: '1-1', // ListGroups
      17: '1-1', // SaslHandshake
      18: '0-3', // ApiVersions (v3 flexible)
      19: '2-2', // CreateTopics
      20: '1-1', // DeleteTopics
      22: '0-4', // InitProducerId (v2+ flexible)
      36: '1-1', // SaslAuthenticate
    });

    // A newer ApiVersions gets a v0 answer with UNSUPPORTED_VERSION, so the client can retry lower.
    const tooNew = await raw.exchange(2, { ...apiVersionsV2(), apiVersion: 4 });
    expect(tooNew.readInt16BE(0)).toBe(35);

    // An API this broker lacks closes the connection (Kafka does the same), as does a garbage frame.
    await raw.send(3, { apiKey: 4, apiVersion: 0, encode: async () => new (kafkajsProtocol<new () => object>('encoder.js'))() });
    await raw.closed;
    const garbage = await rawConnection();
    garbage.socket.write(Buffer.from([0xff, 0xff, 0xff, 0x00]));
    await garbage.closed;
    expect(brokerLog.splice(0)).toEqual([
      expect.stringContaining('unsupported API 4 v0'),
      expect.stringContaining('invalid frame size -256'),
    ]);
  });

  it('serves the admin API: createTopics, fetchTopicOffsets, fetchOffsets, listGroups, describeGroups', async () => {
    const admin = kafka('admin').admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    expect(await admin.createTopics({ topics: [{ topic: 'admin-made', numPartitions: 4 }] })).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic: 'admin-made', numPartitions: 4 }] })).toBe(false);
    await expect(admin.createTopics({ topics: [{ topic: 'too-replicated', replicationFactor: 3 }] })).rejects.toThrow();

    const p = await producer();
    await p.send({ topic: 'admin-made', messages: [0, 1, 2].map((i) => ({ value: `${i}`, partition: 1 })) });
    const offsets = await admin.fetchTopicOffsets('admin-made');
    expect(offsets.map((o) => [o.partition, o.low, o.high]).sort()).toEqual([
      [0, '0', '0'],
      [1, '0', '3'],
      [2, '0', '0'],
      [3, '0', '0'],
    ]);

    const c = await consume('admin-reader', { groupId: 'admin-group', ...FAST_GROUP }, 'admin-made');
    await waitFor('three messages', () => c.messages.length === 3);
    await waitFor('committed', () => broker.committedOffset('admin-group', 'admin-made', 1) === '3');
    const fetched = await admin.fetchOffsets({ groupId: 'admin-group', topics: ['admin-made'] });
    expect(fetched[0]!.partitions.find((p) => p.partition === 1)!.offset).toBe('3');
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).toContain('admin-group');
    const described = await admin.describeGroups(['admin-group']);
    expect(described.groups[0]).toMatchObject({ groupId: 'admin-group', state: 'Stable', protocol: 'RoundRobinAssigner' });
    expect(described.groups[0]!.members).toHaveLength(1);

    await c.consumer.disconnect();
    await admin.deleteTopics({ topics: ['admin-made'] });
    expect(await admin.listTopics()).not.toContain('admin-made');
    expect(broker.records('admin-made')).toEqual([]);
  });

  it('stores acks=0 and gzip-compressed sends, and serves them back', async () => {
    broker.createTopic('compact', 1);
    const p = await producer();
    await p.send({ topic: 'compact', acks: 0, messages: [{ value: 'fire-and-forget' }] });
    await p.send({
      topic: 'compact',
      compression: CompressionTypes.GZIP,
      messages: Array.from({ length: 20 }, (_, i) => ({ value: `zipped-${i}`.repeat(20), headers: { n: `${i}` } })),
    });
    await waitFor('all stored', () => broker.records('compact').length === 21);
    expect(broker.records('compact')[0]!.value!.toString()).toBe('fire-and-forget');
    expect(broker.records('compact')[21 - 1]!.headers).toEqual({ n: '19' });
    const c = await consume('unzipper', { groupId: 'unzippers', ...FAST_GROUP }, 'compact');
    await waitFor('all consumed', () => c.messages.length === 21);
    expect(c.messages.map((m) => m.message.offset)).toEqual(Array.from({ length: 21 }, (_, i) => String(i)));
  });

  it('delivers batches larger than the fetch limits, one oversized batch per fetch', async () => {
    broker.createTopic('big', 1);
    const p = await producer();
    const big = (fill: string) => ({ value: Buffer.alloc(1_500_000, fill) });
    await p.send({ topic: 'big', messages: [big('a')] });
    await p.send({ topic: 'big', messages: [big('b')] });
    await p.send({ topic: 'big', messages: [{ value: 'small' }] });
    // maxBytesPerPartition defaults to 1 MB: the first batch of a fetch is served even when larger.
    const c = await consume('big-reader', { groupId: 'big-readers', ...FAST_GROUP, maxBytes: 2_000_000 }, 'big');
    await waitFor('the big messages', () => c.messages.length === 3);
    expect(c.messages.map((m) => m.message.value!.subarray(0, 5).toString())).toEqual(['aaaaa', 'bbbbb', 'small']);
  });

  it('refuses unknown topics when auto-creation is off', async () => {
    const strict = await startKafkaTestBroker({ autoCreateTopics: false });
    cleanups.push(() => strict.close());
    const admin = new Kafka({ clientId: 'strict', brokers: [strict.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    await expect(admin.fetchTopicMetadata({ topics: ['missing'] })).rejects.toThrow(/does not host this topic-partition/);
    strict.createTopic('present', 2);
    expect((await admin.fetchTopicMetadata({ topics: ['present'] })).topics[0]!.partitions).toHaveLength(2);
  });

  it('requires SASL/PLAIN when started with credentials', async () => {
    const log: string[] = [];
    const secured = await startKafkaTestBroker({ sasl: { username: 'svc', password: 's3cret' }, log: (m) => log.push(m) });
    cleanups.push(() => secured.close());
    const client = (sasl?: { mechanism: 'plain'; username: string; password: string }) =>
      new Kafka({
        clientId: 'sasl',
        brokers: [secured.bootstrap],
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
        ...(sasl ? { sasl } : {}),
      });

    const good = client({ mechanism: 'plain', username: 'svc', password: 's3cret' }).producer();
    await good.connect();
    cleanups.push(() => good.disconnect());
    await good.send({ topic: 'secured', messages: [{ value: 'authenticated' }] });
    expect(secured.records('secured').map((r) => r.value!.toString())).toEqual(['authenticated']);

    const wrong = client({ mechanism: 'plain', username: 'svc', password: 'guess' }).producer();
    cleanups.push(() => wrong.disconnect());
    await expect(wrong.connect()).rejects.toThrow(/SASL PLAIN authentication failed: Authentication failed/);

    const anonymous = client().producer();
    cleanups.push(() => anonymous.disconnect());
    await anonymous.connect(); // ApiVersions is allowed before authentication
    await expect(anonymous.send({ topic: 'secured', messages: [{ value: 'anonymous' }] })).rejects.toThrow();
    expect(secured.records('secured')).toHaveLength(1);
    expect(log).toEqual([expect.stringContaining('Metadata before SASL authentication')]);
  });

  it('listens on loopback only', async () => {
    await expect(startKafkaTestBroker({ host: '0.0.0.0' })).rejects.toThrow(/loopback only/);
  });

  it('recovers from an out-of-range seek by resetting to the earliest offset', async () => {
    broker.createTopic('seekable', 1);
    const p = await producer();
    await p.send({ topic: 'seekable', messages: [{ value: 'x' }, { value: 'y' }] });
    const c = await consume('seeker', { groupId: 'seekers', ...FAST_GROUP }, 'seekable');
    await waitFor('both messages', () => c.messages.length === 2);
    c.consumer.seek({ topic: 'seekable', partition: 0, offset: '1000' });
    // OFFSET_OUT_OF_RANGE makes kafkajs reset to the earliest offset (fromBeginning) and read again.
    await waitFor('messages read again', () => c.messages.length === 4);
  });
});

type ResponseDecoder = { decode: (body: Buffer) => Promise<unknown> };

/** A raw connection closed after the test. */
async function rawConnection() {
  const raw = await openRawConnection(broker.bootstrap);
  cleanups.push(async () => raw.close());
  return raw;
}

interface ChildConsumer {
  process: ChildProcessWithoutNullStreams;
  assignment: number[];
  consumed: number;
}

/** A kafkajs consumer in a process of its own, as in the multi-process end-to-end suite. */
function startChildConsumer(groupId: string, topic: string): ChildConsumer {
  const script = fileURLToPath(new URL('./child-consumer.fixture.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, broker.bootstrap, groupId, topic]);
  const state: ChildConsumer = { process: child, assignment: [], consumed: 0 };
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const event = JSON.parse(line) as { assignment?: number[]; consumed?: number };
      if (event.assignment) state.assignment = event.assignment;
      if (event.consumed) state.consumed += event.consumed;
    }
  });
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  });
  return state;
}
