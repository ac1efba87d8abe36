import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@media-ai/config';
import { SILENT_LOGGER } from '@media-ai/stream';
import { KafkaTransport } from '@media-ai/stream/transports';
import { startKafkaTestBroker, type KafkaTestBroker } from '@media-ai/stream/test-support';
import { kafkaTransportOptions } from './kafka-options.js';

const REGISTRY = { SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081' };

function optionsFor(env: Record<string, string>) {
  const config = loadConfig({ MEDIA_AI_TRANSPORT: 'kafka', ...REGISTRY, ...env }, { cwd: '/srv', cpuCount: 2 });
  return kafkaTransportOptions(config.kafka, { clientId: 'media-ai.test', logger: SILENT_LOGGER });
}

describe('kafkaTransportOptions', () => {
  it('maps the deployment guide’s Confluent Cloud settings: SASL_SSL with PLAIN, timeouts, fetch sizes, backoff', () => {
    const options = optionsFor({
      KAFKA_BOOTSTRAP_SERVERS: 'pkc-1.confluent.cloud:9092,pkc-2.confluent.cloud:9092',
      KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      KAFKA_SASL_MECHANISM: 'PLAIN',
      KAFKA_SASL_USERNAME: 'key',
      KAFKA_SASL_PASSWORD: 'secret',
      KAFKA_SESSION_TIMEOUT_MS: '30000',
      KAFKA_HEARTBEAT_INTERVAL_MS: '10000',
      KAFKA_FETCH_MIN_BYTES: '16384',
      KAFKA_FETCH_MAX_WAIT_MS: '500',
      KAFKA_MAX_PARTITION_FETCH_BYTES: '1048576',
      KAFKA_REQUEST_TIMEOUT_MS: '30000',
      KAFKA_RECONNECT_BACKOFF_MS: '50',
      KAFKA_RECONNECT_BACKOFF_MAX_MS: '1000',
    });
    expect(options).toMatchObject({
      brokers: ['pkc-1.confluent.cloud:9092', 'pkc-2.confluent.cloud:9092'],
      ssl: true,
      sasl: { mechanism: 'plain', username: 'key', password: 'secret' },
      requestTimeoutMs: 30_000,
      reconnectBackoffMs: 50,
      reconnectBackoffMaxMs: 1_000,
      consumer: {
        sessionTimeoutMs: 30_000,
        heartbeatIntervalMs: 10_000,
        minBytes: 16_384,
        maxWaitTimeMs: 500,
        maxBytesPerPartition: 1_048_576,
      },
      allowAutoTopicCreation: false,
    });
  });

  it('starts new groups at the end of the platform topics only with KAFKA_AUTO_OFFSET_RESET=latest', () => {
    expect(optionsFor({ KAFKA_AUTO_OFFSET_RESET: 'latest', KAFKA_CONSUMER_TOPICS: 'posts.events' }).latestTopics).toEqual(['posts.events']);
    expect(optionsFor({ KAFKA_AUTO_OFFSET_RESET: 'earliest' }).latestTopics).toEqual([]);
  });

  it('uses no TLS and no SASL with PLAINTEXT', () => {
    const options = optionsFor({});
    expect(options.ssl).toBe(false);
    expect(options.sasl).toBeUndefined();
  });

  describe('against a broker that requires SASL/PLAIN', () => {
    let broker: KafkaTestBroker;
    beforeAll(async () => {
      broker = await startKafkaTestBroker({ sasl: { username: 'key', password: 'secret' }, log: () => undefined });
    });
    afterAll(() => broker.close());

    async function sendWith(password: string): Promise<void> {
      const transport = new KafkaTransport({
        ...optionsFor({
          KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap,
          // SASL without TLS: the test broker has no TLS listener; SASL_SSL adds TLS to the same exchange.
          KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
          KAFKA_SASL_USERNAME: 'key',
          KAFKA_SASL_PASSWORD: password,
          KAFKA_RECONNECT_BACKOFF_MS: '10',
          KAFKA_RECONNECT_BACKOFF_MAX_MS: '20',
        }),
        allowAutoTopicCreation: true,
      });
      try {
        await transport.send([{ topic: 'sasl-test', key: randomUUID(), value: Buffer.from('{}') }]);
      } finally {
        await transport.close();
      }
    }

    it('authenticates with the configured credentials', async () => {
      await sendWith('secret');
      expect(broker.records('sasl-test')).toHaveLength(1);
    });

    it('fails to connect with wrong credentials', async () => {
      await expect(sendWith('wrong')).rejects.toThrow(/SASL|authentication/i);
    });
  });
});
