import { MediaAiError } from '@media-ai/contracts';
import { describe, expect, it } from 'vitest';
import { createBatchHandler, type BatchSettings } from './process-batch.js';
import { SILENT_LOGGER } from './runner-options.js';
import type { Stage } from './stage.js';
import { json, jsonCodecs } from './test-support/json-codecs.js';
import type { BatchControl, RawBatch } from './transport.js';

// The handler against a hand-made, kafkajs-shaped eachBatch payload: what a Kafka transport would pass.
function kafkaLikeControl(calls: string[], overrides: Partial<BatchControl> = {}): BatchControl {
  return {
    resolveOffset: (offset) => void calls.push(`resolve ${offset}`),
    heartbeat: async () => void calls.push('heartbeat'),
    commitOffsetsIfNecessary: async () => void calls.push('commit'),
    isRunning: () => true,
    isStale: () => false,
    ...overrides,
  };
}

const batch: RawBatch = {
  topic: 'in',
  partition: 4,
  messages: ['10', '11'].map((offset, i) => ({ key: 'k', value: json({ n: i }), headers: {}, offset, timestamp: 0 })),
};

function settings(calls: string[], overrides: Partial<BatchSettings> = {}): BatchSettings {
  return {
    codecs: jsonCodecs,
    deadLetterTopic: 'dlq',
    retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 1 },
    transport: { send: async (records) => void calls.push(`send ${records.map((r) => r.topic).join(',')}`) },
    logger: SILENT_LOGGER,
    emit: () => {},
    signal: new AbortController().signal,
    random: () => 0.5,
    ...overrides,
  };
}

const stage: Stage<{ n: number }> = {
  name: 'echo',
  inputs: ['in'],
  async handle(record) {
    if (record.value.n === 1) throw new MediaAiError('MEDIA_AI_PHOTO_CORRUPT');
    return [{ topic: 'out', key: 'k', value: record.value }];
  },
};

describe('createBatchHandler on a kafkajs-shaped payload', () => {
  it('sends outputs and dead letters in one send, then resolves every offset, then commits', async () => {
    const calls: string[] = [];
    await createBatchHandler(stage, settings(calls))(batch, kafkaLikeControl(calls));
    const afterHandling = calls.slice(calls.indexOf('send out,dlq'));
    expect(afterHandling).toEqual(['send out,dlq', 'resolve 10', 'resolve 11', 'commit']);
    // Heartbeats happen while handling, before anything is published.
    expect(calls.indexOf('heartbeat')).toBeLessThan(calls.indexOf('send out,dlq'));
  });

  it('publishes nothing and resolves nothing when the partition went stale', async () => {
    const calls: string[] = [];
    await createBatchHandler(stage, settings(calls))(batch, kafkaLikeControl(calls, { isStale: () => true }));
    expect(calls.filter((c) => c !== 'heartbeat')).toEqual([]);
  });

  it('rethrows a failed send without resolving, so the transport redelivers', async () => {
    const calls: string[] = [];
    const failing = settings(calls, {
      transport: {
        send: async () => {
          throw new Error('not enough replicas');
        },
      },
    });
    await expect(createBatchHandler(stage, failing)(batch, kafkaLikeControl(calls))).rejects.toThrow('not enough replicas');
    expect(calls.filter((c) => c.startsWith('resolve') || c === 'commit')).toEqual([]);
  });
});
