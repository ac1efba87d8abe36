/**
 * Test helper: the real in-process transport with a hook on send or on the batch control, to make
 * a send fail or to observe heartbeats, while keeping its test readers (whenIdle, readAll…).
 * Never used by product code.
 */
import type { InProcessTransport } from '../in-process-transport.js';
import type { BatchControl, ProducerRecord, Transport } from '../transport.js';

export type TestTransport = Transport & Pick<InProcessTransport, 'whenIdle' | 'readAll' | 'committedOffset' | 'partitionOf'>;

export interface TransportHooks {
  send?(records: ProducerRecord[], next: (records: ProducerRecord[]) => Promise<void>): Promise<void>;
  control?(control: BatchControl): BatchControl;
}

export function decorate(inner: InProcessTransport, hooks: TransportHooks): TestTransport {
  return {
    send: (records) => (hooks.send ? hooks.send(records, (r) => inner.send(r)) : inner.send(records)),
    subscribe: (options) =>
      inner.subscribe({
        ...options,
        eachBatch: (batch, control) => options.eachBatch(batch, hooks.control ? hooks.control(control) : control),
      }),
    close: () => inner.close(),
    whenIdle: () => inner.whenIdle(),
    readAll: (topic) => inner.readAll(topic),
    committedOffset: (groupId, topic, partition) => inner.committedOffset(groupId, topic, partition),
    partitionOf: (key) => inner.partitionOf(key),
  };
}
