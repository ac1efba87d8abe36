// The rec graph's CTC reductions (rec-tail.ts) against ctcDecode on the same graph's full softmax:
// the package's rec model, one session each, on a text-like batch of two crops.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { ctcDecode, ctcDecodeSteps } from './ctc-decode.js';
import { PADDLE_MODEL_FILES } from './models.js';
import { REC_TAIL_OUTPUTS, withCtcReductions } from './rec-tail.js';

const keys = readFileSync(PADDLE_MODEL_FILES.keys, 'utf8')
  .split('\n')
  .map((k) => k.replace(/\r$/, ''))
  .filter((k, i, all) => k !== '' || i < all.length - 1);

describe('withCtcReductions', () => {
  it('gives the package rec model the decoding ctcDecode finds on its softmax', async () => {
    const original = readFileSync(PADDLE_MODEL_FILES.rec);
    const options = { graphOptimizationLevel: 'all', intraOpNumThreads: 1 } as const;
    const full = await ort.InferenceSession.create(original, options);
    const reduced = await ort.InferenceSession.create(withCtcReductions(original, keys.length + 1), options);
    expect(reduced.outputNames).toEqual([REC_TAIL_OUTPUTS.best, REC_TAIL_OUTPUTS.bestProb, REC_TAIL_OUTPUTS.spaceProb]);
    // Glyph-like blocks of two widths with gaps, different in each crop, as normalised planes.
    const [n, height, width] = [2, 48, 320];
    const data = Float32Array.from({ length: n * 3 * height * width }, (_, i) => {
      const col = i % width;
      const row = Math.floor(i / width) % height;
      const crop = Math.floor(i / (3 * height * width));
      const ink = row >= 10 && row < 38 && col % (18 + 6 * crop) < 10 && col < 280;
      return ink ? -0.9 : 0.9;
    });
    const x = new ort.Tensor('float32', data, [n, 3, height, width]);
    const probs = (await full.run({ [full.inputNames[0]!]: x }))[full.outputNames[0]!]!;
    const out = await reduced.run({ [reduced.inputNames[0]!]: x });
    const [, steps = 0, classes = 0] = probs.dims;
    expect(out[REC_TAIL_OUTPUTS.best]!.dims).toEqual([n, steps]);
    const tail = {
      best: out[REC_TAIL_OUTPUTS.best]!.data as Int32Array,
      bestProb: out[REC_TAIL_OUTPUTS.bestProb]!.data as Float32Array,
      spaceProb: out[REC_TAIL_OUTPUTS.spaceProb]!.data as Float32Array,
    };
    let kept = 0;
    for (let s = 0; s < n; s++) {
      const expected = ctcDecode(probs.data as Float32Array, s * steps * classes, steps, classes, keys);
      kept += expected.steps.length;
      expect(ctcDecodeSteps(tail, s * steps, steps, keys)).toEqual(expected);
    }
    // The batch must decode to something, or the comparison above proves little.
    expect(kept).toBeGreaterThan(0);
    await Promise.all([full.release(), reduced.release()]);
  });
});
