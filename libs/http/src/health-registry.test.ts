import { describe, expect, it } from 'vitest';
import { HealthRegistry, overallStatus } from './index.js';

describe('HealthRegistry.checkDependencies', () => {
  it('is healthy with no checks', async () => {
    expect(await new HealthRegistry().checkDependencies()).toEqual({ status: 'healthy', checks: {} });
  });

  it('reports each check with its status, criticality, latency and details', async () => {
    const health = new HealthRegistry()
      .addCheck({ name: 'redis', critical: false, check: async () => ({ status: 'healthy', details: { mode: 'memory' } }) })
      .addCheck({ name: 'models', critical: true, check: async () => ({ status: 'healthy' }) });
    const report = await health.checkDependencies();
    expect(report.status).toBe('healthy');
    expect(report.checks.redis).toMatchObject({ status: 'healthy', critical: false, details: { mode: 'memory' } });
    expect(report.checks.models?.latency_ms).toBeGreaterThanOrEqual(0);
    expect(report.checks.models).not.toHaveProperty('details');
  });

  it('degrades when a non-critical dependency fails and fails when a critical one does', async () => {
    const health = new HealthRegistry().addCheck({
      name: 'openai',
      critical: false,
      check: () => Promise.reject(new Error('401 from API')),
    });
    expect(await health.checkDependencies()).toMatchObject({
      status: 'degraded',
      checks: { openai: { status: 'unhealthy', details: { error: '401 from API' } } },
    });
    health.addCheck({ name: 'transport', critical: true, check: async () => ({ status: 'unhealthy', details: { brokers: 0 } }) });
    expect((await health.checkDependencies()).status).toBe('unhealthy');
  });

  it('times out a hung check and reports it unhealthy', async () => {
    const health = new HealthRegistry({ timeoutMs: 50 }).addCheck({ name: 'gcs', critical: true, check: () => new Promise(() => {}) });
    const started = Date.now();
    const report = await health.checkDependencies();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(report.checks.gcs).toMatchObject({ status: 'unhealthy', details: { error: 'timed out after 50 ms' } });
    expect(report.checks.gcs!.latency_ms).toBeGreaterThanOrEqual(45);
  });

  it('honours a per-check timeout', async () => {
    const slow = () => new Promise<{ status: 'healthy' }>((resolve) => setTimeout(() => resolve({ status: 'healthy' }), 80));
    const health = new HealthRegistry({ timeoutMs: 20 }).addCheck({ name: 'kafka', critical: true, timeoutMs: 500, check: slow });
    expect((await health.checkDependencies()).status).toBe('healthy');
  });

  it('catches checks that throw synchronously or return nonsense', async () => {
    const health = new HealthRegistry()
      .addCheck({
        name: 'sync',
        critical: false,
        check: () => {
          throw new Error('sync boom');
        },
      })
      .addCheck({ name: 'odd', critical: false, check: async () => ({ status: 'fine' as 'healthy' }) });
    const report = await health.checkDependencies();
    expect(report.checks.sync).toMatchObject({ status: 'unhealthy', details: { error: 'sync boom' } });
    expect(report.checks.odd).toMatchObject({ status: 'unhealthy', details: { error: 'check returned status "fine"' } });
  });

  it('shares one run between concurrent callers', async () => {
    let calls = 0;
    const health = new HealthRegistry().addCheck({
      name: 'redis',
      critical: false,
      check: async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 20));
        return { status: 'healthy' };
      },
    });
    await Promise.all([health.checkDependencies(), health.checkDependencies(), health.checkDependencies()]);
    expect(calls).toBe(1);
    await health.checkDependencies();
    expect(calls).toBe(2);
  });

  it('refuses two checks with one name', () => {
    const health = new HealthRegistry().addCheck({ name: 'a', critical: false, check: async () => ({ status: 'healthy' }) });
    expect(() => health.addCheck({ name: 'a', critical: true, check: async () => ({ status: 'healthy' }) })).toThrow(/already registered/);
  });
});

describe('overallStatus', () => {
  it.each([
    [[], 'healthy'],
    [[{ status: 'degraded', critical: true }], 'degraded'],
    [[{ status: 'unhealthy', critical: false }], 'degraded'],
    [
      [
        { status: 'unhealthy', critical: true },
        { status: 'healthy', critical: false },
      ],
      'unhealthy',
    ],
  ] as const)('%j -> %s', (reports, expected) => {
    expect(overallStatus(reports)).toBe(expected);
  });
});

describe('HealthRegistry.checkReadiness', () => {
  it('is ready only when every condition holds, and says why not', async () => {
    const health = new HealthRegistry();
    const models = health.readinessFlag('models', 'loading yolox-nano');
    let connected = false;
    health.addReadiness({ name: 'transport', check: () => (connected ? { ready: true } : { ready: false, reason: 'not connected' }) });

    expect(await health.checkReadiness()).toEqual({
      ready: false,
      conditions: { models: { ready: false, reason: 'loading yolox-nano' }, transport: { ready: false, reason: 'not connected' } },
      reasons: ['models: loading yolox-nano', 'transport: not connected'],
    });
    models.setReady();
    connected = true;
    expect(await health.checkReadiness()).toEqual({
      ready: true,
      conditions: { models: { ready: true }, transport: { ready: true } },
      reasons: [],
    });
    expect(models.isReady).toBe(true);
    models.setNotReady('model file failed its sha256 check');
    expect((await health.checkReadiness()).reasons).toEqual(['models: model file failed its sha256 check']);
  });

  it('treats a condition that throws or hangs as not ready', async () => {
    const health = new HealthRegistry({ timeoutMs: 30 })
      .addReadiness({ name: 'broken', check: () => Promise.reject(new Error('no session')) })
      .addReadiness({ name: 'hung', check: () => new Promise(() => {}) });
    const report = await health.checkReadiness();
    expect(report.ready).toBe(false);
    expect(report.reasons).toEqual(['broken: no session', 'hung: timed out after 30 ms']);
  });
});
