/**
 * Test fixture for kafka-broker.test.ts: a kafkajs group consumer in a process of its own, so a test
 * can SIGKILL it the way the end-to-end suite kills a service. Usage: node child-consumer.fixture.mjs
 * BOOTSTRAP GROUP TOPIC. Reports one JSON line per event on stdout ({assignment} after each join,
 * {consumed} per message); it never commits anything a test did not ask for beyond kafkajs' autocommit.
 */
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;
const [bootstrap, groupId, topic] = process.argv.slice(2);
const report = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);

const consumer = new Kafka({ clientId: 'child', brokers: [bootstrap], logLevel: logLevel.NOTHING }).consumer({
  groupId,
  sessionTimeout: 3000,
  rebalanceTimeout: 3000,
  heartbeatInterval: 200,
  maxWaitTimeInMs: 200,
});
consumer.on(consumer.events.GROUP_JOIN, (event) => report({ assignment: event.payload.memberAssignment[topic] ?? [] }));
await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: true });
await consumer.run({ eachMessage: async () => report({ consumed: 1 }) });
