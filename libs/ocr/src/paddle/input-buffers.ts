/**
 * Float input buffers kept between a reader's ORT runs: the detector's [1,3,H,W] input (up to
 * 11 MB a photo) and the classifier's and recogniser's batches were each a fresh Float32Array,
 * and in the OCR thread's isolate those external ArrayBuffers, not its ~30 MB heap, set off its
 * full GCs. A buffer is lent for one run and given back when the run has resolved (onnxruntime-node
 * reads the input in place, without a copy), so concurrent readings never share one. It must never
 * hold more than `keep` buffers, and never lend a buffer that is still lent.
 */
export class InputBuffers {
  private readonly free: Float32Array[] = [];

  constructor(private readonly keep = 3) {}

  /** A view of exactly `length` floats with whatever a previous run left in it: fill what you read. */
  take(length: number): Float32Array {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const size = this.free[i]!.length;
      if (size >= length && (best < 0 || size < this.free[best]!.length)) best = i;
    }
    if (best < 0) return new Float32Array(length);
    const buffer = this.free.splice(best, 1)[0]!;
    return buffer.length === length ? buffer : buffer.subarray(0, length);
  }

  /** Gives a taken view's whole buffer back; the smallest goes when more than `keep` are kept. */
  give(view: Float32Array): void {
    this.free.push(new Float32Array(view.buffer, 0, view.buffer.byteLength / Float32Array.BYTES_PER_ELEMENT));
    if (this.free.length > this.keep) {
      let smallest = 0;
      for (let i = 1; i < this.free.length; i++) if (this.free[i]!.length < this.free[smallest]!.length) smallest = i;
      this.free.splice(smallest, 1);
    }
  }
}
