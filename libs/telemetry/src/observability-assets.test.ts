// deploy/observability against the code: every metric the Grafana dashboard and the Prometheus rules
// query is one createMetrics registers (a renamed metric would leave a panel empty and an alert
// silent), the guide's panels are there, and the alerts carry the guide's thresholds.
import { readFileSync } from 'node:fs';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createMetrics } from './index.js';
import { GUIDE_METRICS } from './test-support/guide-metrics.js';

const DIR = new URL('../../../deploy/observability/', import.meta.url);

interface Panel {
  title: string;
  type: string;
  targets?: Array<{ expr: string }>;
  fieldConfig?: { defaults?: { thresholds?: { steps: Array<{ value: number | null }> } } };
}
interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const dashboard = JSON.parse(readFileSync(new URL('grafana-dashboard.json', DIR), 'utf8')) as { panels: Panel[] };
const rules = (
  parse(readFileSync(new URL('prometheus-rules.yaml', DIR), 'utf8')) as { groups: Array<{ name: string; rules: Rule[] }> }
).groups.flatMap((g) => g.rules);

/** PromQL keywords and Prometheus' own series that are not ours to register. */
const NOT_OURS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'inf',
  'nan',
  'up',
]);

/** The metric names a PromQL expression reads: identifiers outside label matchers, ranges and grouping lists that are not functions. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\w+/g, ' ');
  const names = bare.match(/(?<![\w.])[a-zA-Z_:][\w:]*(?![\w:]|\s*\()/g) ?? [];
  return [...new Set(names.filter((n) => !NOT_OURS.has(n.toLowerCase())))];
}

async function registeredSeries(): Promise<Set<string>> {
  const metrics = createMetrics(new Registry());
  const series = new Set<string>();
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    series.add(metric.name);
    // prom-client types `type` as an enum but reports the exposition word ('histogram').
    if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) series.add(`${metric.name}${suffix}`);
  }
  return series;
}

const exprs = [
  ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `panel "${p.title}"`, expr: t.expr }))),
  ...rules.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })),
];

describe('deploy/observability', () => {
  it('queries only metrics the services register', async () => {
    const known = await registeredSeries();
    const unknown = exprs.flatMap(({ where, expr }) =>
      metricNames(expr)
        .filter((name) => !known.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(unknown).toEqual([]);
    // The extraction itself finds what it should.
    expect(
      metricNames('histogram_quantile(0.95, sum by (le, stage) (rate(ai_processing_duration_seconds_bucket{stage!="x"}[5m]))) > 5'),
    ).toEqual(['ai_processing_duration_seconds_bucket']);
    expect(metricNames('up{service=~".*media-ai.*"} == 0')).toEqual([]);
  });

  it('uses every metric name of the deployment guide somewhere', () => {
    const used = new Set(exprs.flatMap(({ expr }) => metricNames(expr)).map((n) => n.replace(/_(bucket|sum|count)$/, '')));
    for (const name of [
      ...GUIDE_METRICS,
      'media_ai_records_processed_total',
      'media_ai_records_failed_total',
      'media_ai_records_dead_lettered_total',
    ]) {
      expect(used, name).toContain(name);
    }
  });

  it('has the guide panels: latency p50/p95, confidence distribution, consumer lag at 10/50, per-model inference', () => {
    const byTitle = new Map(dashboard.panels.map((p) => [p.title, p]));
    const latency = byTitle.get('AI Processing Latency')!;
    expect(latency.targets!.map((t) => t.expr.match(/histogram_quantile\((0\.\d+)/)?.[1])).toEqual(['0.95', '0.50']);
    expect(byTitle.get('Confidence Score Distribution')!.targets![0]!.expr).toContain('ai_confidence_score_distribution_bucket');
    const lag = byTitle.get('Kafka Consumer Lag')!;
    expect(lag.fieldConfig!.defaults!.thresholds!.steps.map((s) => s.value)).toEqual([null, 10, 50]);
    expect(
      byTitle
        .get('Model Inference Performance')!
        .targets!.every((t) => t.expr.includes('by (model_name)') || t.expr.includes('model_name)')),
    ).toBe(true);
    expect([...byTitle.keys()]).toEqual(
      expect.arrayContaining(['Error rate', 'Dead letters (last hour)', 'Consumer lag by topic and partition']),
    );
  });

  it('alerts at the documented thresholds', () => {
    const byName = new Map(rules.map((r) => [r.alert, r]));
    const latency = byName.get('MediaAiProcessingLatencyHigh')!;
    expect(latency.expr).toMatch(/histogram_quantile\(0\.95, .*ai_processing_duration_seconds_bucket.*\) > 5$/);
    expect(byName.get('MediaAiErrorRateHigh')!.expr.trim()).toMatch(/media_ai_records_failed_total[\s\S]*> 0\.05$/);
    expect(byName.get('MediaAiConsumerLagHigh')!.expr).toMatch(/kafka_consumer_lag.*> 50$/);
    expect(byName.get('MediaAiStageDown')!.expr).toMatch(/^up\{.*\} == 0$/);
    for (const rule of rules) {
      expect(['warning', 'critical'], rule.alert).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
    }
  });
});
