import { describe, expect, it } from 'vitest';
import { Counter, Registry } from 'prom-client';
import { counterTotal } from './prometheus-counters.js';

describe('counterTotal', () => {
  it('sums a counter over its label sets, from what prom-client exposes, and nothing that only shares its prefix', async () => {
    const registry = new Registry();
    const processed = new Counter({ name: 'records_total', help: 'h', labelNames: ['stage'], registers: [registry] });
    const other = new Counter({ name: 'records_total_bytes', help: 'h', registers: [registry] });
    processed.inc({ stage: 'ocr' }, 3);
    processed.inc({ stage: 'llm' }, 2);
    other.inc(100);
    const exposition = await registry.metrics();
    expect(counterTotal(exposition, 'records_total')).toBe(5);
    expect(counterTotal(exposition, 'records_total_bytes')).toBe(100);
    expect(counterTotal(exposition, 'absent_total')).toBe(0);
  });
});
