import { afterEach, describe, expect, it } from 'vitest';
import { InProcessTransport } from './in-process-transport.js';
import { partitionForKey } from './partitioner.js';
import type { BatchControl, RawBatch, Subscription } from './transport.js';

const fast = { redeliveryBackoff: { initialDelayMs: 5, maxDelayMs: 20 } };
let transport: InProcessTransport;

afterEach(async () => {
  await transport?.close();
});

function record(topic: string, key: string | null, value: string, headers?: Record<string, string>) {
  return { topic, key, value: Buffer.from(value), headers };
}

/** A subscriber that resolves every message and remembers what it saw. */
async function collect(groupId: string, topics: string[], extra: { maxBatchSize?: number; fromBeginning?: boolean } = {}) {
  const seen: Array<{ topic: string; partition: number; offset: string; key: string | null; value: string }> = [];
  const batchSizes: number[] = [];
  const subscription = await transport.subscribe({
    groupId,
    topics,
    ...extra,
    async eachBatch(batch, control) {
      batchSizes.push(batch.messages.length);
      for (const m of batch.messages) {
        seen.push({ topic: batch.topic, partition: batch.partition, offset: m.offset, key: m.key, value: m.value.toString() });
        control.resolveOffset(m.offset);
      }
    },
  });
  return { seen, batchSizes, subscription };
}

describe('InProcessTransport partitioning', () => {
  it('places each key where Kafka would, with 6 partitions by default for every topic', async () => {
    transport = new InProcessTransport();
    const keys = Array.from({ length: 50 }, (_, i) => `post-${i}`);
    await transport.send(keys.flatMap((k) => [record('a', k, k), record('b', k, k)]));
    for (const topic of ['a', 'b']) {
      const records = transport.readAll(topic);
      expect(records).toHaveLength(50);
      for (const r of records) expect(r.partition).toBe(partitionForKey(r.key!, 6));
    }
    expect(new Set(transport.readAll('a').map((r) => r.partition)).size).toBe(6);
    expect(transport.partitionOf('post-7')).toBe(partitionForKey('post-7', 6));
  });

  it('uses the configured partition count and numbers offsets per partition', async () => {
    transport = new InProcessTransport({ partitions: 3 });
    await transport.send([record('t', 'abc', '1'), record('t', 'abc', '2'), record('t', '21', '3')]);
    const records = transport.readAll('t');
    expect(records.map((r) => [r.partition, r.offset, r.value.toString()])).toEqual([
      [0, '0', '1'],
      [0, '1', '2'],
      [0, '2', '3'],
    ]);
    expect(() => new InProcessTransport({ partitions: 0 })).toThrow(RangeError);
  });

  it('spreads keyless records round-robin', async () => {
    transport = new InProcessTransport();
    await transport.send(Array.from({ length: 12 }, (_, i) => record('t', null, String(i))));
    const perPartition = new Map<number, number>();
    for (const r of transport.readAll('t')) perPartition.set(r.partition, (perPartition.get(r.partition) ?? 0) + 1);
    expect([...perPartition.values()]).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('stores copies, so a producer reusing its objects cannot rewrite history', async () => {
    transport = new InProcessTransport();
    const r = record('t', 'k', 'before', { h: '1' });
    await transport.send([r]);
    r.value.write('AFTER!');
    r.headers!.h = '2';
    const [stored] = transport.readAll('t');
    expect(stored?.value.toString()).toBe('before');
    expect(stored?.headers).toEqual({ h: '1' });
  });

  it('rejects a record without a topic or a Buffer value and appends nothing of that send', async () => {
    transport = new InProcessTransport();
    await expect(transport.send([record('t', 'k', 'ok'), { topic: '', key: 'k', value: Buffer.from('x') }])).rejects.toThrow('topic');
    await expect(transport.send([{ topic: 't', key: 'k', value: 'x' as unknown as Buffer }])).rejects.toThrow('Buffer');
    expect(transport.readAll('t')).toEqual([]);
  });
});

describe('InProcessTransport delivery', () => {
  it('delivers each key in order, in batches of at most maxBatchSize', async () => {
    transport = new InProcessTransport();
    const { seen, batchSizes } = await collect('g', ['t'], { maxBatchSize: 7 });
    const sent: Array<[string, string]> = [];
    for (let i = 0; i < 300; i++) sent.push([`post-${i % 23}`, String(i)]);
    // Several sends, interleaved with consumption.
    for (let i = 0; i < sent.length; i += 50) {
      await transport.send(sent.slice(i, i + 50).map(([k, v]) => record('t', k, v)));
    }
    await transport.whenIdle();
    expect(seen).toHaveLength(300);
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(7);
    for (let k = 0; k < 23; k++) {
      const key = `post-${k}`;
      expect(seen.filter((s) => s.key === key).map((s) => s.value)).toEqual(sent.filter(([sk]) => sk === key).map(([, v]) => v));
    }
    for (let p = 0; p < 6; p++) {
      const offsets = seen.filter((s) => s.partition === p).map((s) => Number(s.offset));
      expect(offsets).toEqual(offsets.map((_, i) => i));
      expect(transport.committedOffset('g', 't', p)).toBe(String(offsets.length));
    }
  });

  it('hands a partition one batch at a time and bounds partitions in flight', async () => {
    transport = new InProcessTransport();
    const keys = Array.from({ length: 30 }, (_, i) => `k${i}`);
    async function measure(groupId: string, partitionsConsumedConcurrently?: number): Promise<number> {
      const inFlight = new Set<number>();
      let most = 0;
      await transport.subscribe({
        groupId,
        topics: ['t'],
        maxBatchSize: 2,
        partitionsConsumedConcurrently,
        async eachBatch(batch, control) {
          expect(inFlight.has(batch.partition)).toBe(false);
          inFlight.add(batch.partition);
          most = Math.max(most, inFlight.size);
          await new Promise((r) => setTimeout(r, 2));
          inFlight.delete(batch.partition);
          for (const m of batch.messages) control.resolveOffset(m.offset);
        },
      });
      await transport.whenIdle();
      return most;
    }
    await transport.send(keys.map((k) => record('t', k, k)));
    expect(await measure('one')).toBe(1);
    expect(await measure('three', 3)).toBe(3);
  });

  it('lets several groups read the same topic independently', async () => {
    transport = new InProcessTransport();
    await transport.send([record('t', 'a', '1'), record('t', 'b', '2')]);
    const early = await collect('early', ['t']);
    const late = await collect('late', ['t'], { fromBeginning: false });
    await transport.send([record('t', 'c', '3')]);
    await transport.whenIdle();
    expect(early.seen.map((s) => s.value).sort()).toEqual(['1', '2', '3']);
    expect(late.seen.map((s) => s.value)).toEqual(['3']);
  });

  it('resumes a group from its committed offsets after it stops', async () => {
    transport = new InProcessTransport();
    await transport.send([record('t', 'k', '1'), record('t', 'k', '2')]);
    const first = await collect('g', ['t']);
    await transport.whenIdle();
    await first.subscription.stop();
    await transport.send([record('t', 'k', '3')]);
    const second = await collect('g', ['t']);
    await transport.whenIdle();
    expect(first.seen.map((s) => s.value)).toEqual(['1', '2']);
    expect(second.seen.map((s) => s.value)).toEqual(['3']);
  });

  it('refuses a second member in an active group', async () => {
    transport = new InProcessTransport();
    await collect('g', ['t']);
    await expect(collect('g', ['t'])).rejects.toThrow('one per group');
  });
});

describe('InProcessTransport commits', () => {
  it('commits only resolved offsets and redelivers the rest', async () => {
    transport = new InProcessTransport(fast);
    await transport.send(['1', '2', '3', '4'].map((v) => record('t', 'k', v)));
    const deliveries: string[][] = [];
    await transport.subscribe({
      groupId: 'g',
      topics: ['t'],
      async eachBatch(batch, control) {
        deliveries.push(batch.messages.map((m) => m.value.toString()));
        // First delivery: only the first two are done.
        const done = deliveries.length === 1 ? batch.messages.slice(0, 2) : batch.messages;
        for (const m of done) control.resolveOffset(m.offset);
      },
    });
    await transport.whenIdle();
    expect(deliveries).toEqual([
      ['1', '2', '3', '4'],
      ['3', '4'],
    ]);
  });

  it('redelivers after a failed batch, keeping what was resolved before the failure', async () => {
    transport = new InProcessTransport(fast);
    const p = transport.partitionOf('k');
    await transport.send(['1', '2', '3'].map((v) => record('t', 'k', v)));
    const deliveries: string[][] = [];
    const committedAtFailure: Array<string | undefined> = [];
    await transport.subscribe({
      groupId: 'g',
      topics: ['t'],
      async eachBatch(batch, control) {
        deliveries.push(batch.messages.map((m) => m.value.toString()));
        control.resolveOffset(batch.messages[0]!.offset);
        if (deliveries.length < 3) {
          committedAtFailure.push(transport.committedOffset('g', 't', p));
          throw new Error('downstream unavailable');
        }
        for (const m of batch.messages) control.resolveOffset(m.offset);
      },
    });
    await transport.whenIdle();
    expect(deliveries).toEqual([['1', '2', '3'], ['2', '3'], ['3']]);
    // Nothing is committed while the handler still runs: the commit follows the handler.
    expect(committedAtFailure).toEqual(['0', '1']);
    expect(transport.committedOffset('g', 't', p)).toBe('3');
  });

  it('commits mid-batch on commitOffsetsIfNecessary and refuses offsets outside the batch', async () => {
    transport = new InProcessTransport();
    const p = transport.partitionOf('k');
    await transport.send(['1', '2'].map((v) => record('t', 'k', v)));
    const observed: Array<string | undefined> = [];
    await transport.subscribe({
      groupId: 'g',
      topics: ['t'],
      async eachBatch(batch: RawBatch, control: BatchControl) {
        expect(() => control.resolveOffset('99')).toThrow(RangeError);
        control.resolveOffset(batch.messages[0]!.offset);
        observed.push(transport.committedOffset('g', 't', p));
        await control.commitOffsetsIfNecessary();
        observed.push(transport.committedOffset('g', 't', p));
        control.resolveOffset(batch.messages[1]!.offset);
        expect(control.isRunning()).toBe(true);
        expect(control.isStale()).toBe(false);
        await control.heartbeat();
      },
    });
    await transport.whenIdle();
    expect(observed).toEqual(['0', '1']);
    expect(transport.committedOffset('g', 't', p)).toBe('2');
  });

  it('drops what every group has committed when retention is by committed offsets', async () => {
    transport = new InProcessTransport({ retention: 'committed' });
    const a = await collect('a', ['t']);
    let releaseB!: () => void;
    const bGate = new Promise<void>((r) => (releaseB = r));
    await transport.subscribe({
      groupId: 'b',
      topics: ['t'],
      async eachBatch(batch, control) {
        await bGate;
        for (const m of batch.messages) control.resolveOffset(m.offset);
      },
    });
    await transport.send([record('t', 'k', '1'), record('t', 'k', '2'), record('out', 'k', 'kept')]);
    await new Promise((r) => setTimeout(r, 10));
    expect(a.seen).toHaveLength(2);
    // Group b has not committed yet: nothing may go.
    expect(transport.readAll('t')).toHaveLength(2);
    releaseB();
    await transport.whenIdle();
    expect(transport.readAll('t')).toEqual([]);
    // A topic nobody reads keeps everything (offsets still count from where they were).
    expect(transport.readAll('out')).toHaveLength(1);
    await transport.send([record('t', 'k', '3')]);
    await transport.whenIdle();
    expect(transport.committedOffset('a', 't', transport.partitionOf('k'))).toBe('3');
  });
});

describe('InProcessTransport whenIdle', () => {
  it('waits for a chain of consumers, including records produced inside a batch', async () => {
    transport = new InProcessTransport();
    const finalSeen: string[] = [];
    await transport.subscribe({
      groupId: 'first',
      topics: ['in'],
      async eachBatch(batch, control) {
        for (const m of batch.messages) {
          // Slow work before producing downstream: whenIdle must not resolve in this gap.
          await new Promise((r) => setTimeout(r, 15));
          await transport.send([record('mid', m.key, `${m.value.toString()}!`)]);
          control.resolveOffset(m.offset);
        }
      },
    });
    await transport.subscribe({
      groupId: 'second',
      topics: ['mid'],
      async eachBatch(batch, control) {
        await new Promise((r) => setTimeout(r, 15));
        for (const m of batch.messages) {
          finalSeen.push(m.value.toString());
          control.resolveOffset(m.offset);
        }
      },
    });
    await transport.send([record('in', 'a', 'x'), record('in', 'b', 'y')]);
    await transport.whenIdle();
    expect(finalSeen.sort()).toEqual(['x!', 'y!']);
  });

  it('stays pending while a failed batch waits for redelivery', async () => {
    transport = new InProcessTransport({ redeliveryBackoff: { initialDelayMs: 40, maxDelayMs: 40 } });
    let attempts = 0;
    await transport.subscribe({
      groupId: 'g',
      topics: ['t'],
      async eachBatch(batch, control) {
        attempts++;
        if (attempts === 1) throw new Error('transient');
        for (const m of batch.messages) control.resolveOffset(m.offset);
      },
    });
    await transport.send([record('t', 'k', '1')]);
    await transport.whenIdle();
    expect(attempts).toBe(2);
  });

  it('resolves at once when nothing is subscribed or everything is consumed', async () => {
    transport = new InProcessTransport();
    await transport.send([record('nobody-reads', 'k', '1')]);
    await transport.whenIdle();
    const c = await collect('g', ['t']);
    await transport.whenIdle();
    expect(c.seen).toEqual([]);
  });
});

describe('InProcessTransport re-entrancy', () => {
  it('never runs a handler on the stack of the send that woke it', async () => {
    transport = new InProcessTransport();
    let sending = false;
    let ranDuringSend = false;
    await transport.subscribe({
      groupId: 'g',
      topics: ['t'],
      async eachBatch(batch, control) {
        ranDuringSend ||= sending;
        for (const m of batch.messages) control.resolveOffset(m.offset);
      },
    });
    sending = true;
    const sent = transport.send([record('t', 'k', '1')]);
    sending = false;
    await sent;
    await transport.whenIdle();
    expect(ranDuringSend).toBe(false);
    expect(transport.committedOffset('g', 't', transport.partitionOf('k'))).toBe('1');
  });
});

describe('InProcessTransport stop and close', () => {
  it('waits for the batch in hand, which sees isRunning() turn false, and is idempotent', async () => {
    transport = new InProcessTransport();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => (entered = r));
    const runningAfterStop: boolean[] = [];
    const subscription: Subscription = await transport.subscribe({
      groupId: 'g',
      topics: ['t'],
      async eachBatch(batch, control) {
        entered();
        await gate;
        runningAfterStop.push(control.isRunning());
        for (const m of batch.messages) control.resolveOffset(m.offset);
      },
    });
    await transport.send([record('t', 'k', '1')]);
    await inHandler;
    let stopped = false;
    const stopping = subscription.stop().then(() => (stopped = true));
    expect(subscription.stop()).toBe(subscription.stop());
    await new Promise((r) => setTimeout(r, 5));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(runningAfterStop).toEqual([false]);
    expect(transport.committedOffset('g', 't', transport.partitionOf('k'))).toBe('1');
    // The group is free again, and a stopped member gets nothing more.
    await transport.send([record('t', 'k', '2')]);
    await collect('g', ['t']);
  });

  it('lets the batch in hand publish while closing', async () => {
    transport = new InProcessTransport();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => (entered = r));
    await transport.subscribe({
      groupId: 'g',
      topics: ['t'],
      async eachBatch(batch, control) {
        entered();
        await gate;
        await transport.send(batch.messages.map((m) => record('out', m.key, m.value.toString())));
        for (const m of batch.messages) control.resolveOffset(m.offset);
      },
    });
    await transport.send([record('t', 'k', '1')]);
    await inHandler;
    const closing = transport.close();
    release();
    await closing;
    expect(transport.readAll('out').map((r) => r.value.toString())).toEqual(['1']);
    expect(transport.committedOffset('g', 't', transport.partitionOf('k'))).toBe('1');
  });

  it('refuses a batch size or partition concurrency below 1', async () => {
    transport = new InProcessTransport();
    await expect(collect('g', ['t'], { maxBatchSize: 0 })).rejects.toThrow(RangeError);
    await expect(
      transport.subscribe({ groupId: 'h', topics: ['t'], partitionsConsumedConcurrently: 0, eachBatch: async () => {} }),
    ).rejects.toThrow(RangeError);
  });

  it('closes idempotently and refuses work afterwards', async () => {
    transport = new InProcessTransport();
    await collect('g', ['t']);
    const closing = transport.close();
    expect(transport.close()).toBe(closing);
    await closing;
    await expect(transport.send([record('t', 'k', '1')])).rejects.toThrow('closed');
    await expect(collect('h', ['t'])).rejects.toThrow('closed');
  });
});
