/**
 * The test broker's data folder: a broker restarted on the same folder and port (closed, or SIGKILLed
 * as a process of its own) serves the same records at the same offsets, keeps committed offsets,
 * topics, groups and producer ids, and a kafkajs consumer group carries on past the restart without
 * losing a record or replaying one it committed; log recovery cuts a torn or corrupt tail instead of
 * serving it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startKafkaTestBroker, type KafkaTestBroker, type KafkaTestBrokerOptions } from './index.js';
import { kafkajsRequest, rawConnection } from './raw-connection.fixture.js';

let dataDir: string;
let brokerLog: string[];
const cleanups: Array<() => Promise<unknown>> = [];

beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'kafka-test-broker-data-'));
  brokerLog = [];
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(options: KafkaTestBrokerOptions = {}): Promise<KafkaTestBroker> {
  const broker = await startKafkaTestBroker({ dataDir, log: (message) => brokerLog.push(message), ...options });
  cleanups.push(() => broker.close());
  return broker;
}

/** Closes the broker and starts a new one on the same port and folder, as a restarted process would. */
async function restart(broker: KafkaTestBroker, options: KafkaTestBrokerOptions = {}): Promise<KafkaTestBroker> {
  const port = Number(broker.bootstrap.split(':')[1]);
  await broker.close();
  return start({ port, ...options });
}

function kafka(bootstrap: string, clientId: string, extra: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId,
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 100, maxRetryTime: 1000, retries: 20 },
    ...extra,
  });
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const values = (broker: KafkaTestBroker, topic: string) =>
  broker.records(topic).map((r) => `${r.partition}:${r.offset}:${r.value!.toString()}`);

describe('kafka test broker data folder', () => {
  it('serves the same records, offsets, topics and commits after a restart', async () => {
    const before = await start({ defaultPartitions: 2 });
    const producer = kafka(before.bootstrap, 'producer').producer();
    await producer.connect();
    await producer.send({
      topic: 'kept',
      messages: Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, headers: { n: `${i}` } })),
    });
    await producer.disconnect();
    before.createTopic('dropped', 1);
    const admin = kafka(before.bootstrap, 'admin').admin();
    await admin.connect();
    await admin.deleteTopics({ topics: ['dropped'] });
    await admin.setOffsets({ groupId: 'readers', topic: 'kept', partitions: [{ partition: 1, offset: '3' }] });
    await admin.disconnect();
    const stored = before.records('kept');

    const after = await restart(before);
    expect(after.records('kept')).toEqual(stored);
    expect(after.committedOffset('readers', 'kept', 1)).toBe('3');
    const adminAfter = kafka(after.bootstrap, 'admin').admin();
    await adminAfter.connect();
    cleanups.push(() => adminAfter.disconnect());
    expect((await adminAfter.listTopics()).sort()).toEqual(['kept']);
    // New records continue the offsets instead of starting over.
    const producerAfter = kafka(after.bootstrap, 'producer').producer();
    await producerAfter.connect();
    cleanups.push(() => producerAfter.disconnect());
    await producerAfter.send({ topic: 'kept', messages: [{ value: 'later', partition: 1 }] });
    const partition1 = after.records('kept').filter((r) => r.partition === 1);
    expect(partition1.at(-1)).toMatchObject({ offset: String(partition1.length - 1) });
    expect(brokerLog).toEqual([]);
  });

  it('lets a kafkajs consumer group carry on across a broker restart mid-stream: nothing lost, nothing committed replayed', async () => {
    let broker = await start({ defaultPartitions: 3 });
    broker.createTopic('stream', 3);
    const producer = kafka(broker.bootstrap, 'producer').producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    const send = (from: number) =>
      producer.send({
        topic: 'stream',
        acks: -1,
        messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${(from + i) % 7}`, value: `m${from + i}` })),
      });
    await send(0);

    let restarted = false;
    const deliveries: Array<{ partition: number; offset: number; value: string; afterRestart: boolean }> = [];
    const consumer = kafka(broker.bootstrap, 'reader').consumer({
      groupId: 'resumers',
      sessionTimeout: 6000,
      heartbeatInterval: 300,
      maxWaitTimeInMs: 100,
    });
    let joins = 0;
    consumer.on(consumer.events.GROUP_JOIN, () => void (joins += 1));
    await consumer.connect();
    cleanups.push(() => consumer.disconnect());
    await consumer.subscribe({ topic: 'stream', fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        deliveries.push({ partition, offset: Number(message.offset), value: message.value!.toString(), afterRestart: restarted });
        await new Promise((resolve) => setTimeout(resolve, 40)); // slow enough to be mid-stream at the restart
        // Committed before the next message: what the broker holds is always what was processed.
        await consumer.commitOffsets([{ topic: 'stream', partition, offset: String(Number(message.offset) + 1) }]);
      },
    });
    await waitFor('a few records consumed', () => deliveries.length >= 6);

    const port = Number(broker.bootstrap.split(':')[1]);
    await broker.close();
    restarted = true;
    const committedAtRestart = [0, 1, 2].map((p) => Number(broker.committedOffset('resumers', 'stream', p) ?? 0));
    expect(committedAtRestart.reduce((a, b) => a + b, 0)).toBeLessThan(20);
    broker = await start({ port });
    await send(20);

    await waitFor('every record consumed', () => new Set(deliveries.map((d) => d.value)).size === 40, 60_000);
    await waitFor('everything committed', () =>
      [0, 1, 2].every(
        (p) => broker.committedOffset('resumers', 'stream', p) === String(broker.records('stream').filter((r) => r.partition === p).length),
      ),
    );
    for (const partition of [0, 1, 2]) {
      const end = broker.records('stream').filter((r) => r.partition === partition).length;
      const delivered = deliveries.filter((d) => d.partition === partition);
      // Every offset delivered; after the restart, nothing below what the group had committed.
      expect(new Set(delivered.map((d) => d.offset))).toEqual(new Set(Array.from({ length: end }, (_, i) => i)));
      expect(delivered.filter((d) => d.afterRestart && d.offset < committedAtRestart[partition]!)).toEqual([]);
    }
    // The group was kept with its generation (as Kafka reloads it): the member carried on instead of rejoining.
    expect(broker.groupMembers('resumers')).toHaveLength(1);
    expect(joins).toBe(1);
    // The idempotent producer's first 20 records were not written twice by its retries across the restart.
    expect(
      broker
        .records('stream')
        .map((r) => r.value!.toString())
        .sort(),
    ).toEqual(Array.from({ length: 40 }, (_, i) => `m${i}`).sort());
  });

  it('keeps what it acknowledged when its process is SIGKILLed, and resumes on the same port', async () => {
    const first = await startBrokerProcess();
    const producer = kafka(first.bootstrap, 'producer').producer();
    await producer.connect();
    await producer.send({
      topic: 'survivor',
      acks: -1,
      messages: Array.from({ length: 12 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    });
    const admin = kafka(first.bootstrap, 'admin').admin();
    await admin.connect();
    await admin.setOffsets({ groupId: 'g', topic: 'survivor', partitions: [{ partition: 0, offset: '2' }] });
    const offsetsBefore = await admin.fetchTopicOffsets('survivor');
    await producer.disconnect();
    await admin.disconnect();

    first.process.kill('SIGKILL');
    await once(first.process, 'exit');
    const second = await startBrokerProcess(first.port);
    const reader = kafka(second.bootstrap, 'admin').admin();
    await reader.connect();
    cleanups.push(() => reader.disconnect());
    expect(await reader.fetchTopicOffsets('survivor')).toEqual(offsetsBefore);
    expect((await reader.fetchOffsets({ groupId: 'g', topics: ['survivor'] }))[0]!.partitions.find((p) => p.partition === 0)!.offset).toBe(
      '2',
    );
    const consumer = kafka(second.bootstrap, 'reader').consumer({ groupId: 'fresh', maxWaitTimeInMs: 100 });
    const seen: string[] = [];
    await consumer.connect();
    cleanups.push(() => consumer.disconnect());
    await consumer.subscribe({ topic: 'survivor', fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) });
    await waitFor('all twelve records', () => seen.length === 12);
    expect(seen.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `v${i}`).sort());
  });

  it('cuts a torn or corrupt tail of a log on start, reports it, and appends after the intact part', async () => {
    const before = await start({ defaultPartitions: 1 });
    const producer = kafka(before.bootstrap, 'producer').producer();
    await producer.connect();
    for (const value of ['a', 'b', 'c']) await producer.send({ topic: 'torn', messages: [{ value }] });
    await producer.disconnect();
    const port = Number(before.bootstrap.split(':')[1]);
    await before.close();

    // Corrupt the last batch (one byte of its value) and append half a batch, as a crash mid-write would.
    const file = path.join(dataDir, 'topics', 'torn', '0.log');
    const bytes = readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 3) ^ 0xff, bytes.length - 3);
    writeFileSync(file, bytes);
    appendFileSync(file, bytes.subarray(0, 30));

    const after = await start({ port });
    expect(after.records('torn').map((r) => r.value!.toString())).toEqual(['a', 'b']);
    expect(brokerLog).toEqual([expect.stringMatching(/torn-0 cut at byte \d+ .*offsets from 2 on are gone/)]);
    const producerAfter = kafka(after.bootstrap, 'producer').producer();
    await producerAfter.connect();
    cleanups.push(() => producerAfter.disconnect());
    await producerAfter.send({ topic: 'torn', messages: [{ value: 'd' }] });
    expect(values(after, 'torn')).toEqual(['0:0:a', '0:1:b', '0:2:d']);
    brokerLog.splice(0);
    // The cut is on disk too: a third start reads the same three records without complaint.
    const third = await restart(after);
    expect(values(third, 'torn')).toEqual(['0:0:a', '0:1:b', '0:2:d']);
    expect(brokerLog).toEqual([]);
  });

  it('never reissues a producer id, and still recognises an idempotent retry after a restart', async () => {
    const before = await start({ defaultPartitions: 1 });
    before.createTopic('once', 1);
    const produce = async (bootstrap: string, producerId: number, firstSequence: number, value: string) => {
      const raw = await rawConnection(bootstrap);
      const { request, response } = kafkajsRequest(
        'produce',
        7,
      )({
        acks: -1,
        timeout: 1000,
        producerId,
        producerEpoch: 0,
        topicData: [{ topic: 'once', partitions: [{ partition: 0, firstSequence, messages: [{ value }] }] }],
      });
      const answer = (await response.decode(await raw.exchange(1, request))) as {
        topics: Array<{ partitions: Array<{ errorCode: number; baseOffset: string }> }>;
      };
      raw.close();
      return answer.topics[0]!.partitions[0]!;
    };
    const initProducerId = async (bootstrap: string) => {
      const raw = await rawConnection(bootstrap);
      const { request, response } = kafkajsRequest('initProducerId', 1)({ transactionalId: null });
      const answer = (await response.decode(await raw.exchange(1, request))) as { producerId: string };
      raw.close();
      return answer.producerId;
    };
    expect([await initProducerId(before.bootstrap), await initProducerId(before.bootstrap)]).toEqual(['0', '1']);
    expect(await produce(before.bootstrap, 1, 0, 'first')).toMatchObject({ errorCode: 0, baseOffset: '0' });

    const after = await restart(before);
    expect(await initProducerId(after.bootstrap)).toBe('2');
    // The same batch again (its answer was lost, say): recognised from the log, not appended twice.
    expect(await produce(after.bootstrap, 1, 0, 'first')).toMatchObject({ errorCode: 0, baseOffset: '0' });
    expect(await produce(after.bootstrap, 1, 5, 'gap')).toMatchObject({ errorCode: 45 }); // OUT_OF_ORDER_SEQUENCE_NUMBER
    expect(await produce(after.bootstrap, 1, 1, 'second')).toMatchObject({ errorCode: 0, baseOffset: '1' });
    expect(values(after, 'once')).toEqual(['0:0:first', '0:1:second']);
  });
});

interface BrokerProcess {
  process: ChildProcess;
  bootstrap: string;
  port: number;
}

/** The broker as its own process (cli.ts) on this test's data folder; port 0 picks a free one. */
async function startBrokerProcess(port = 0): Promise<BrokerProcess> {
  const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', String(port), '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const bootstrap = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => /^127\.0\.0\.1:\d+$/.test(l));
      if (line) resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`broker process exited (${code}) before listening:\n${output}`)));
  });
  return { process: child, bootstrap, port: Number(bootstrap.split(':')[1]) };
}
