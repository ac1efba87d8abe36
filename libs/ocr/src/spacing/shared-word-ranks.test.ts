import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { SharedWordRanks } from './shared-word-ranks.js';
import { loadWordLexicon } from './word-lexicon.js';

describe('SharedWordRanks', () => {
  it('answers as the Map it was packed from: every word, misses, order, size', () => {
    const map = new Map([
      ['le', 0],
      ['été', 1],
      ['ou', 2],
      ['où', 3],
      ['ete', 1],
      ['doğum', 7],
    ]);
    const ranks = SharedWordRanks.from(map);
    expect(ranks.size).toBe(map.size);
    expect([...ranks]).toEqual([...map]);
    expect([...ranks.keys()]).toEqual([...map.keys()]);
    expect([...ranks.values()]).toEqual([...map.values()]);
    for (const [word, rank] of map) expect([ranks.get(word), ranks.has(word)]).toEqual([rank, true]);
    for (const miss of ['', 'l', 'lee', 'été ', 'Le', 'dogum']) expect([ranks.get(miss), ranks.has(miss)]).toEqual([undefined, false]);
    expect(ranks.longestWordLength()).toBe(5);
  });

  it('agrees with a Map on every word of the shipped lists and on near misses', () => {
    for (const list of loadWordLexicon().lists) {
      const map = new Map(list.ranks);
      const packed = SharedWordRanks.from(map);
      let wrong = 0;
      for (const [word, rank] of map) {
        if (packed.get(word) !== rank) wrong++;
        if (packed.get(`${word}s`) !== map.get(`${word}s`) || packed.has(word.slice(1)) !== map.has(word.slice(1))) wrong++;
      }
      expect(wrong, list.language).toBe(0);
    }
  });

  it('is read by another thread over the same memory, not a copy', async () => {
    const ranks = SharedWordRanks.from(new Map([['birth', 3]]));
    // The thread writes into the shared buffers; this thread sees it, so they were shared, not cloned.
    const worker = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       new Int32Array(workerData.words)[2] = 42;
       parentPort.postMessage('done');`,
      { eval: true, workerData: ranks.data },
    );
    await new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
    await worker.terminate();
    expect(ranks.get('birth')).toBe(42);
  });
});
