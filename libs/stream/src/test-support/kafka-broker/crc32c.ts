/**
 * Test Kafka broker: CRC-32C (Castagnoli), the checksum of a v2 record batch. Used only to refuse
 * corrupt batches the way a real broker does (CORRUPT_MESSAGE); it must never be used to re-sign a
 * batch: the broker only rewrites fields that sit before the checksummed range.
 */

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    // 0x82F63B78 is the bit-reversed Castagnoli polynomial (the reflected form Kafka uses).
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32c(data: Buffer): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i += 1) {
    crc = TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}
