/**
 * Kafka's default partitioner for keyed records: murmur2 over the key's UTF-8 bytes,
 * `toPositive(hash) % partitions`, bit-for-bit as the Java client and kafkajs's DefaultPartitioner.
 * The in-process transport must place a key where Kafka would, so a co-partitioned join (the
 * aggregator) behaves the same on both transports and a replay lands on the same partition.
 * Never "improve" the hash or the sign handling: any divergence silently breaks co-partitioning
 * with producers written in other languages.
 */

// Constants of the Java client's Utils.murmur2 (Kafka 0.10.2 onwards).
const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

/** Signed 32-bit murmur2 of the bytes (a string is taken as its UTF-8 encoding). */
export function murmur2(key: string | Uint8Array): number {
  const data = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  const length = data.length;
  // Math.imul and `| 0` reproduce Java's wrapping int arithmetic; `>>>` is Java's unsigned shift.
  let h = (SEED ^ length) | 0;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = (data[i4]! & 0xff) | ((data[i4 + 1]! & 0xff) << 8) | ((data[i4 + 2]! & 0xff) << 16) | ((data[i4 + 3]! & 0xff) << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  // The Java original mixes the 1–3 trailing bytes with a fall-through switch; same order here.
  const tail = length & ~3;
  const rest = length & 3;
  if (rest >= 3) h ^= (data[tail + 2]! & 0xff) << 16;
  if (rest >= 2) h ^= (data[tail + 1]! & 0xff) << 8;
  if (rest >= 1) {
    h ^= data[tail]! & 0xff;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/**
 * Kafka's `toPositive`: masks the sign bit instead of taking the absolute value, so
 * Integer.MIN_VALUE maps to 0 and every client agrees on the result.
 */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/** The partition Kafka's default partitioner picks for a non-null key. */
export function partitionForKey(key: string | Uint8Array, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
  }
  return toPositive(murmur2(key)) % partitions;
}
