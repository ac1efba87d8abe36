/**
 * KAFKA_* settings as the Kafka transport takes them: SASL_SSL + PLAIN for Confluent Cloud, the
 * session, heartbeat and request timeouts, fetch sizes and the client's reconnect backoff. Pure
 * mapping: it never connects.
 */
import type { KafkaSettings } from '@media-ai/config';
import type { StageLogger } from '@media-ai/stream';
import type { KafkaSaslOptions, KafkaTransportOptions } from '@media-ai/stream/transports';

export interface KafkaOptionsContext {
  /** Names the client in broker logs and quotas: `<APP_NAME>.<stage>`. */
  clientId: string;
  logger: StageLogger;
  onFatal?: (error: Error) => void;
  onLag?: KafkaTransportOptions['onLag'];
  /** Only for test brokers and dev clusters; production topics are created up front. */
  allowAutoTopicCreation?: boolean;
}

export function kafkaTransportOptions(kafka: KafkaSettings, context: KafkaOptionsContext): KafkaTransportOptions {
  return {
    clientId: context.clientId,
    brokers: kafka.bootstrapServers,
    ssl: kafka.securityProtocol === 'SSL' || kafka.securityProtocol === 'SASL_SSL',
    ...(kafka.sasl
      ? {
          sasl: {
            mechanism: kafka.sasl.mechanism.toLowerCase() as KafkaSaslOptions['mechanism'],
            username: kafka.sasl.username,
            password: kafka.sasl.password,
          },
        }
      : {}),
    requestTimeoutMs: kafka.requestTimeoutMs,
    reconnectBackoffMs: kafka.reconnectBackoffMs,
    reconnectBackoffMaxMs: kafka.reconnectBackoffMaxMs,
    consumer: {
      sessionTimeoutMs: kafka.sessionTimeoutMs,
      heartbeatIntervalMs: kafka.heartbeatIntervalMs,
      minBytes: kafka.fetchMinBytes,
      maxWaitTimeMs: kafka.fetchMaxWaitMs,
      maxBytesPerPartition: kafka.maxPartitionFetchBytes,
    },
    // KAFKA_AUTO_OFFSET_RESET applies to the platform's topics only: a new stage group must read
    // every record the stages before it produced.
    latestTopics: kafka.autoOffsetReset === 'latest' ? kafka.consumerTopics : [],
    allowAutoTopicCreation: context.allowAutoTopicCreation ?? false,
    logger: context.logger,
    ...(context.onFatal ? { onFatal: context.onFatal } : {}),
    ...(context.onLag ? { onLag: context.onLag } : {}),
  };
}
