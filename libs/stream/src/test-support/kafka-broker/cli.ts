/**
 * Test Kafka broker launcher for manual runs of the services against it:
 *   node --import tsx libs/stream/src/test-support/kafka-broker/cli.ts [--port 9092] [--partitions 3] [--host 127.0.0.1]
 *     [--sasl-username USER --sasl-password PASS] [--data-dir DIR]
 * Prints the bootstrap address, then serves until SIGTERM or SIGINT. Loopback only, like the broker
 * itself. Without --data-dir every run starts with no topics; with it, a run resumes the logs and
 * committed offsets the previous run left in DIR (even one ended by SIGKILL).
 */
import { parseArgs } from 'node:util';
import { startKafkaTestBroker } from './index.js';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '9092' },
    partitions: { type: 'string', default: '3' },
    'sasl-username': { type: 'string' },
    'sasl-password': { type: 'string' },
    'data-dir': { type: 'string' },
  },
});
const username = values['sasl-username'];
const password = values['sasl-password'];

const broker = await startKafkaTestBroker({
  host: values.host,
  port: Number(values.port),
  defaultPartitions: Number(values.partitions),
  ...(username !== undefined && password !== undefined ? { sasl: { username, password } } : {}),
  ...(values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {}),
  log: (message) => console.error(`[kafka-test-broker] ${message}`),
});
console.log(broker.bootstrap);

const stop = () => {
  void broker.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
