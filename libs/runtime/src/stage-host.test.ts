/**
 * StageHost on the real in-process transport, real codecs and a real Redis: the runner options come
 * from configuration (consumer group, retry policy, dead-letter topic), every event reaches metrics
 * and the host's hook, and close() keeps the one shutdown order, also after a failed start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InProcessSchemaRegistry, MediaAiError, registerSchemas } from '@media-ai/contracts';
import type { Codecs, InboundRecord, OutboundRecord, Stage, StageEvent } from '@media-ai/stream';
import { InProcessTransport } from '@media-ai/stream/transports';
import { createRuntime, type Runtime } from './process-runtime.js';
import { StageHost, stageCodecs } from './stage-host.js';

const REDIS_URL = process.env['MEDIA_AI_TEST_REDIS_URL'] || process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';
const IN = 'test.in';
const MID = 'test.mid';

/** The real transport, noting when it is closed. */
class NotedTransport extends InProcessTransport {
  constructor(private readonly noted: string[]) {
    super({ partitions: 2 });
  }
  override close(): Promise<void> {
    this.noted.push('transport closed');
    return super.close();
  }
}

let dir: string;
let runtime: Runtime;
let noted: string[];
let transport: NotedTransport;
let host: StageHost;
let codecs: Codecs;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'stage-host-'));
  runtime = createRuntime({
    env: {
      LOG_LEVEL: 'CRITICAL',
      MEDIA_AI_BLOB_DIR: dir,
      REDIS_URL,
      KAFKA_CONSUMER_GROUP_ID: 'host-test',
      KAFKA_CONSUMER_TOPICS: `${IN},${MID}`,
      MEDIA_AI_STAGE_MAX_ATTEMPTS: '2',
      KAFKA_RETRY_BACKOFF_MS: '1',
      KAFKA_RETRY_BACKOFF_MAX_MS: '2',
    },
  });
  noted = [];
  transport = new NotedTransport(noted);
  host = StageHost.open(runtime, transport);
  const registry = new InProcessSchemaRegistry();
  codecs = stageCodecs(runtime.config, { registry, schemaIds: await registerSchemas(registry) });
});

afterEach(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A stage that notes its stop, with what it could still reach at that moment. */
function stage(name: string, input: string, handle: (record: InboundRecord) => OutboundRecord[]): Stage {
  return {
    name,
    inputs: [input],
    async stop() {
      noted.push(`${name} stopped (redis ${host.stores.connections?.state.status})`);
    },
    handle: async (record) => handle(record),
  };
}

const upstream = () => stage('upstream', IN, (r) => [{ topic: MID, key: r.key!, value: r.value }]);
const downstream = (seen: unknown[]) =>
  stage('downstream', MID, (r) => {
    if ((r.value as { poison?: boolean }).poison) throw new MediaAiError('MEDIA_AI_INFERENCE_FAILED', 'cannot read it');
    seen.push(r.value);
    return [];
  });

/**
 * The stores connect in the background while stages start; on a loaded machine the handshake may
 * still be running when close() begins (status 'connect'), which says nothing of the shutdown order.
 */
async function connectionsReady(): Promise<void> {
  await vi.waitFor(() => expect(host.stores.connections?.state.status).toBe('ready'), { timeout: 10_000 });
}

/** QUIT is answered before the socket closes: the connections end soon after close() resolves. */
async function connectionsEnded(): Promise<void> {
  await vi.waitFor(() => {
    expect(host.stores.connections?.state.status).toBe('end');
    expect(host.stores.connections?.cache.status).toBe('end');
  });
}

async function send(key: string, value: unknown): Promise<void> {
  await transport.send([{ topic: IN, key, value: await codecs.forTopic(IN).encode(value) }]);
}

describe('StageHost', () => {
  it('runs stages with the configured group, retry policy and dead-letter topic, and reports every event', async () => {
    const events: StageEvent[] = [];
    const seen: unknown[] = [];
    await host.run([downstream(seen), upstream()], { codecs, onStageEvent: (event) => events.push(event) });
    expect(host.stageNames).toEqual(['downstream', 'upstream']);

    await send('post-1', { n: 1 });
    await send('post-2', { poison: true });
    await transport.whenIdle();

    expect(seen).toEqual([{ n: 1 }]);
    // MEDIA_AI_STAGE_MAX_ATTEMPTS=2: the poison record is tried twice, then dead-lettered.
    const failed = events.filter((e) => e.type === 'failed' && e.stage === 'downstream');
    expect(failed.map((e) => (e as { attempt: number }).attempt)).toEqual([1, 2]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'dead-lettered', stage: 'downstream', attempts: 2 }));
    expect(transport.readAll(runtime.config.pipeline.deadLetterTopic)).toHaveLength(1);
    // One consumer group per stage, named <KAFKA_CONSUMER_GROUP_ID>.<stage>.
    const partition = transport.partitionOf('post-1');
    expect(transport.committedOffset('host-test.downstream', MID, partition)).toBeDefined();
    expect(transport.committedOffset('host-test.upstream', IN, partition)).toBeDefined();
    // The metrics hook saw the same events.
    const metrics = await runtime.metrics.registry.metrics();
    expect(metrics).toMatch(/records_dead_lettered_total\{[^}]*stage="downstream"/);
  });

  it('closes stages newest first, then the transport, then the state stores; once', async () => {
    await host.run([downstream([]), upstream()], { codecs });
    await connectionsReady();
    await Promise.all([host.close(), host.close()]);
    expect(noted).toEqual(['upstream stopped (redis ready)', 'downstream stopped (redis ready)', 'transport closed']);
    await connectionsEnded();
  });

  it('after a stage fails to start, close() stops those started and closes the rest', async () => {
    const broken: Stage = {
      ...upstream(),
      name: 'broken',
      start: () => Promise.reject(new Error('no model')),
    };
    await expect(host.run([downstream([]), broken, upstream()], { codecs })).rejects.toThrow('no model');
    expect(host.stageNames).toEqual(['downstream']);
    await connectionsReady();
    await host.close();
    expect(noted).toEqual(['downstream stopped (redis ready)', 'transport closed']);
    await connectionsEnded();
    await expect(host.run([upstream()], { codecs })).rejects.toThrow(/closing: upstream not started/);
  });
});
