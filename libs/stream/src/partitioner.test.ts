import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey, toPositive } from './partitioner.js';

// Vectors from Apache Kafka's UtilsTest.testMurmur2 (the Java client's reference values).
const JAVA_VECTORS: Array<[string, number]> = [
  ['21', -973932308],
  ['foobar', -790332482],
  ['a-little-bit-long-string', -985981536],
  ['a-little-bit-longer-string', -1486304829],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
  ['abc', 479470107],
];

describe('murmur2', () => {
  it.each(JAVA_VECTORS)('hashes %j like the Java client', (key, expected) => {
    expect(murmur2(key)).toBe(expected);
    expect(murmur2(Buffer.from(key, 'utf8'))).toBe(expected);
  });

  it('hashes the UTF-8 bytes of non-ASCII keys', () => {
    const key = 'pöst-😀';
    expect(murmur2(key)).toBe(murmur2(Buffer.from(key, 'utf8')));
    expect(murmur2(key)).not.toBe(murmur2(Buffer.from(key, 'latin1')));
  });

  it('agrees with kafkajs DefaultPartitioner on random keys of every tail length', () => {
    // kafkajs ships no types for its internals; it is the oracle here, not a dependency of the code.
    const require = createRequire(import.meta.url);
    const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (key: Buffer | string) => number;
    for (let i = 0; i < 500; i++) {
      const bytes = randomBytes(i % 37);
      expect(murmur2(bytes)).toBe(kafkajsMurmur2(bytes));
    }
    for (const key of ['', 'post-1', '018f3c1e-7a2b-7cde-8f00-123456789abc', 'ünïcödé 😀']) {
      expect(murmur2(key)).toBe(kafkajsMurmur2(key));
    }
  });
});

describe('partitionForKey', () => {
  it('masks the sign bit rather than taking the absolute value', () => {
    expect(toPositive(-1)).toBe(0x7fffffff);
    expect(toPositive(-2147483648)).toBe(0);
    // -973932308 & 0x7fffffff = 1173551340; % 6 = 0 (Math.abs would give 973932308 % 6 = 2).
    expect(partitionForKey('21', 6)).toBe(0);
    expect(partitionForKey('a-little-bit-longer-string', 6)).toBe(5);
    expect(partitionForKey('abc', 6)).toBe(3);
    expect(partitionForKey('abc', 1)).toBe(0);
  });

  it('rejects a partition count that is not a positive integer', () => {
    expect(() => partitionForKey('k', 0)).toThrow(RangeError);
    expect(() => partitionForKey('k', 1.5)).toThrow(RangeError);
  });
});
