/**
 * The Kafka transport with the real kafkajs client over TCP against the wire-protocol test broker:
 * partitioning, headers, commit-after-resolve, redelivery, chunked batches, graceful stop, where a
 * new group starts, lag, and the runner on top of it (dead letters included).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HEADERS, MediaAiError } from '@media-ai/contracts';
import { KafkaTransport, type KafkaTransportOptions } from './kafka-transport.js';
import { partitionForKey } from './partitioner.js';
import { runStage } from './runner.js';
import type { Stage } from './stage.js';
import { startKafkaTestBroker, type KafkaTestBroker } from './test-support/kafka-broker/index.js';
import { json, jsonCodecs, parse } from './test-support/json-codecs.js';
import type { RawBatch } from './transport.js';

const PARTITIONS = 3;

let broker: KafkaTestBroker;
let transports: KafkaTransport[];
let topic: string;

function transport(overrides: Partial<KafkaTransportOptions> = {}): KafkaTransport {
  const created = new KafkaTransport({
    clientId: `test-${randomUUID().slice(0, 8)}`,
    brokers: [broker.bootstrap],
    consumer: { sessionTimeoutMs: 3_000, heartbeatIntervalMs: 300, minBytes: 1, maxWaitTimeMs: 100, maxBytesPerPartition: 1_048_576 },
    allowAutoTopicCreation: true,
    shutdownTimeoutMs: 5_000,
    ...overrides,
  });
  transports.push(created);
  return created;
}

async function until(what: string, probe: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeEach(async () => {
  broker = await startKafkaTestBroker({ defaultPartitions: PARTITIONS, log: () => undefined });
  transports = [];
  topic = `t-${randomUUID().slice(0, 8)}`;
  broker.createTopic(topic, PARTITIONS);
});

afterEach(async () => {
  for (const t of transports) await t.close();
  await broker.close();
});

describe('KafkaTransport', () => {
  it('places keys as Kafka does and delivers values, keys and headers as sent', async () => {
    const kafka = transport();
    const keys = Array.from({ length: 12 }, (_, i) => `post-${i}`);
    await kafka.send(keys.map((key, i) => ({ topic, key, value: json({ i }), headers: { [HEADERS.correlationId]: `c-${i}` } })));

    const stored = broker.records(topic);
    expect(stored).toHaveLength(12);
    for (const record of stored) {
      const key = record.key!.toString('utf8');
      // The same murmur2 placement as the in-process transport: joins stay co-partitioned either way.
      expect(record.partition).toBe(partitionForKey(key, PARTITIONS));
    }

    const seen: Array<{ key: string | null; value: unknown; headers: Record<string, string>; partition: number }> = [];
    await kafka.subscribe({
      groupId: 'g',
      topics: [topic],
      eachBatch: async (batch, control) => {
        for (const m of batch.messages) {
          seen.push({ key: m.key, value: parse(m.value), headers: m.headers, partition: batch.partition });
          control.resolveOffset(m.offset);
        }
        await control.commitOffsetsIfNecessary();
      },
    });
    await until('every record', () => seen.length === 12);
    for (const s of seen) {
      const i = (s.value as { i: number }).i;
      expect(s.key).toBe(`post-${i}`);
      expect(s.headers[HEADERS.correlationId]).toBe(`c-${i}`);
      expect(s.partition).toBe(partitionForKey(s.key!, PARTITIONS));
    }
  });

  it('commits only resolved offsets: a failed batch is delivered again, a restart resumes after the last commit', async () => {
    const kafka = transport();
    await kafka.send(Array.from({ length: 4 }, (_, i) => ({ topic, key: 'one-key', value: json(i) })));
    const partition = partitionForKey('one-key', PARTITIONS);
    let failures = 0;
    const handled: number[] = [];
    const subscription = await kafka.subscribe({
      groupId: 'g',
      topics: [topic],
      eachBatch: async (batch, control) => {
        for (const m of batch.messages) {
          const value = parse(m.value) as number;
          if (value === 2 && failures === 0) {
            failures += 1;
            // Records 0 and 1 were resolved before the failure; 2 and 3 must come again.
            await control.commitOffsetsIfNecessary();
            throw new Error('handler failed');
          }
          handled.push(value);
          control.resolveOffset(m.offset);
        }
        await control.commitOffsetsIfNecessary();
      },
    });
    await until('all four handled', () => handled.length === 4);
    expect(handled).toEqual([0, 1, 2, 3]);
    await until('the commit', () => broker.committedOffset('g', topic, partition) === '4');
    await subscription.stop();

    await kafka.send([{ topic, key: 'one-key', value: json(4) }]);
    const afterRestart: number[] = [];
    await transport().subscribe({
      groupId: 'g',
      topics: [topic],
      eachBatch: async (batch, control) => {
        for (const m of batch.messages) {
          afterRestart.push(parse(m.value) as number);
          control.resolveOffset(m.offset);
        }
        await control.commitOffsetsIfNecessary();
      },
    });
    await until('the new record', () => afterRestart.length > 0);
    expect(afterRestart).toEqual([4]);
  });

  it('hands the runner batches of at most maxBatchSize, in offset order', async () => {
    const kafka = transport();
    await kafka.send(Array.from({ length: 10 }, (_, i) => ({ topic, key: 'k', value: json(i) })));
    const batches: number[][] = [];
    await kafka.subscribe({
      groupId: 'g',
      topics: [topic],
      maxBatchSize: 3,
      eachBatch: async (batch: RawBatch, control) => {
        batches.push(batch.messages.map((m) => parse(m.value) as number));
        for (const m of batch.messages) control.resolveOffset(m.offset);
        await control.commitOffsetsIfNecessary();
      },
    });
    await until('ten records', () => batches.flat().length === 10);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(3);
    expect(batches.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('starts a new group at the end of a latest topic and at the beginning of every other one', async () => {
    const edge = `edge-${randomUUID().slice(0, 8)}`;
    broker.createTopic(edge, PARTITIONS);
    const kafka = transport({ latestTopics: [edge] });
    await kafka.send([
      { topic: edge, key: 'k', value: json('old edge') },
      { topic, key: 'k', value: json('old internal') },
    ]);
    const seen: unknown[] = [];
    await kafka.subscribe({
      groupId: 'g',
      topics: [edge, topic],
      eachBatch: async (batch, control) => {
        for (const m of batch.messages) {
          seen.push(parse(m.value));
          control.resolveOffset(m.offset);
        }
        await control.commitOffsetsIfNecessary();
      },
    });
    await until('the internal record', () => seen.includes('old internal'));
    await until('the group to join', () => kafka.connected);
    await kafka.send([{ topic: edge, key: 'k', value: json('new edge') }]);
    await until('the new edge record', () => seen.includes('new edge'));
    expect(seen).not.toContain('old edge');
  });

  it('reports the lag left after each batch', async () => {
    const lags: Array<number | null> = [];
    const kafka = transport({ onLag: ({ lag }) => lags.push(lag) });
    await kafka.send(Array.from({ length: 6 }, (_, i) => ({ topic, key: 'k', value: json(i) })));
    await kafka.subscribe({
      groupId: 'g',
      topics: [topic],
      maxBatchSize: 2,
      eachBatch: async (batch, control) => {
        for (const m of batch.messages) control.resolveOffset(m.offset);
        await control.commitOffsetsIfNecessary();
      },
    });
    await until('the last batch', () => lags.includes(0));
    expect(lags).toContain(4);
    expect(lags.at(-1)).toBe(0);
  });

  it('stops reporting the lag of partitions a rebalance took away', async () => {
    const reported = new Map<number, number | null>();
    const first = transport({ onLag: ({ partition, lag }) => reported.set(partition, lag) });
    const consume = (kafka: KafkaTransport) =>
      kafka.subscribe({
        groupId: 'g',
        topics: [topic],
        eachBatch: async (batch, control) => {
          for (const m of batch.messages) control.resolveOffset(m.offset);
          await control.commitOffsetsIfNecessary();
        },
      });
    await consume(first);
    // One key per partition, so the first member reports a lag for all three.
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    await first.send(keys.map((key) => ({ topic, key, value: json(key) })));
    await until('a lag for every partition', () => reported.size === PARTITIONS);

    await consume(transport());
    // The second member takes some partitions: the first one forgets their lag (null), keeps the rest.
    await until('a revoked partition', () => [...reported.values()].includes(null));
    expect([...reported.values()].filter((lag) => lag !== null).length).toBeGreaterThan(0);
  });

  it('stops gracefully: the batch in hand finishes and commits, the member leaves the group at once', async () => {
    const kafka = transport();
    await kafka.send([{ topic, key: 'k', value: json('slow') }]);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    const subscription = await kafka.subscribe({
      groupId: 'g',
      topics: [topic],
      eachBatch: async (batch, control) => {
        started = true;
        await gate;
        for (const m of batch.messages) control.resolveOffset(m.offset);
        await control.commitOffsetsIfNecessary();
      },
    });
    await until('the batch to start', () => started);
    const stopping = subscription.stop();
    setTimeout(release, 200);
    await stopping;
    expect(broker.committedOffset('g', topic, partitionForKey('k', PARTITIONS))).toBe('1');
    expect(broker.groupMembers('g')).toEqual([]);
  });

  it('runs a stage: outputs published before the commit, a poison record dead-lettered with its origin, the rest processed', async () => {
    const kafka = transport();
    const out = `${topic}.out`;
    const dlq = `${topic}.dlq`;
    broker.createTopic(out, PARTITIONS);
    broker.createTopic(dlq, PARTITIONS);
    const stage: Stage<{ n: number }> = {
      name: 'doubler',
      inputs: [topic],
      async handle(record) {
        if (record.value.n < 0) throw new MediaAiError('MEDIA_AI_BAD_EVENT', 'negative');
        return [{ topic: out, key: record.key!, value: { n: record.value.n * 2 } }];
      },
    };
    const running = await runStage(stage, {
      transport: kafka,
      codecs: jsonCodecs,
      groupId: 'stage',
      deadLetterTopic: dlq,
      retry: { maxAttempts: 1, initialDelayMs: 10, maxDelayMs: 10 },
    });
    await kafka.send([
      {
        topic,
        key: 'p',
        value: json({ n: 1 }),
        headers: { [HEADERS.traceparent]: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      },
      { topic, key: 'p', value: json({ n: -1 }) },
      { topic, key: 'p', value: json({ n: 3 }) },
    ]);
    await until('both outputs', () => broker.records(out).length === 2);
    expect(broker.records(out).map((r) => parse(r.value!))).toEqual([{ n: 2 }, { n: 6 }]);
    // Trace context travels from input to output.
    expect(broker.records(out)[0]!.headers[HEADERS.traceparent]).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    await until('the dead letter', () => broker.records(dlq).length === 1);
    const letter = broker.records(dlq)[0]!;
    expect(letter.headers).toMatchObject({
      [HEADERS.dlqSourceTopic]: topic,
      [HEADERS.dlqSourcePartition]: String(partitionForKey('p', PARTITIONS)),
      [HEADERS.dlqSourceOffset]: '1',
      [HEADERS.dlqStage]: 'doubler',
      [HEADERS.dlqErrorCode]: 'MEDIA_AI_BAD_EVENT',
    });
    await until('the commit', () => broker.committedOffset('stage', topic, partitionForKey('p', PARTITIONS)) === '3');
    await running.stop();
  });
});
