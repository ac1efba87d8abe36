import { describe, expect, it } from 'vitest';
import { parseStageEnv } from './run-stage-bench.js';

describe('parseStageEnv (MEDIA_AI_STAGE_BENCH_ENV)', () => {
  it('reads NAME=value words, a value may hold "=", and refuses a word without a name', () => {
    expect(parseStageEnv(undefined)).toEqual({});
    expect(parseStageEnv('  OCR_THREADS=true\tOCR_WORKERS=2 EXTRA=a=b ')).toEqual({ OCR_THREADS: 'true', OCR_WORKERS: '2', EXTRA: 'a=b' });
    expect(() => parseStageEnv('OCR_THREADS')).toThrow(/"OCR_THREADS" is not NAME=value/);
    expect(() => parseStageEnv('=1')).toThrow(/is not NAME=value/);
  });
});
