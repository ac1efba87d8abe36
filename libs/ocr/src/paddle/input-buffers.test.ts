import { describe, expect, it } from 'vitest';
import { InputBuffers } from './input-buffers.js';

describe('InputBuffers', () => {
  it('lends a view of exactly the length asked, reusing a given-back buffer that holds it', () => {
    const buffers = new InputBuffers(2);
    const first = buffers.take(100);
    expect(first.length).toBe(100);
    buffers.give(first);
    const second = buffers.take(60);
    expect(second.length).toBe(60);
    expect(second.buffer).toBe(first.buffer);
  });

  it('never lends a buffer twice while it is out', () => {
    const buffers = new InputBuffers(2);
    const a = buffers.take(10);
    const b = buffers.take(10);
    expect(b.buffer).not.toBe(a.buffer);
  });

  it('picks the smallest buffer that fits and allocates when none does', () => {
    const buffers = new InputBuffers(3);
    const small = buffers.take(10);
    const large = buffers.take(1000);
    buffers.give(large);
    buffers.give(small);
    expect(buffers.take(8).buffer).toBe(small.buffer);
    expect(buffers.take(20).buffer).toBe(large.buffer);
    expect(buffers.take(2000).length).toBe(2000);
  });

  it('keeps at most `keep` buffers, dropping the smallest', () => {
    const buffers = new InputBuffers(1);
    const small = buffers.take(10);
    const large = buffers.take(1000);
    buffers.give(small);
    buffers.give(large);
    expect(buffers.take(5).buffer).toBe(large.buffer);
    expect(buffers.take(5).buffer).not.toBe(small.buffer);
  });
});
