import { describe, expect, it } from 'vitest';
import { loadConfig } from '@media-ai/config';
import { readerThreads } from './from-config.js';

const ocrOf = (env: Record<string, string>) => loadConfig({ LOG_LEVEL: 'WARNING', ...env }).ai.ocr;

describe('readerThreads', () => {
  it('reads on one thread of its own, sessions on half the cores, when the stage shares the main thread and OCR_THREADS is unset', () => {
    expect(readerThreads(ocrOf({ OCR_WORKERS: '2' }), true)).toEqual({ threads: 1, intraOpNumThreads: 1 });
    expect(readerThreads(ocrOf({ OCR_WORKERS: '8' }), true)).toEqual({ threads: 1, intraOpNumThreads: 4 });
  });

  it('reads in the stage thread of a stage service, or whenever OCR_THREADS=false says so', () => {
    expect(readerThreads(ocrOf({ OCR_WORKERS: '2' }), false)).toEqual({ threads: 0, intraOpNumThreads: undefined });
    expect(readerThreads(ocrOf({ OCR_WORKERS: '2', OCR_THREADS: 'false' }), true)).toEqual({ threads: 0, intraOpNumThreads: undefined });
  });

  it('reads on one thread per OCR_WORKERS core with OCR_THREADS=true, wherever it runs', () => {
    for (const shares of [true, false])
      expect(readerThreads(ocrOf({ OCR_WORKERS: '3', OCR_THREADS: 'true' }), shares)).toEqual({ threads: 3, intraOpNumThreads: undefined });
  });
});
