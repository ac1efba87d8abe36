import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, REDACTED, toPinoLevel, withLogContext } from './index.js';

/** A destination that keeps every JSON line pino writes. */
function collector() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('writes the guide line shape', () => {
    const { lines, destination } = collector();
    const logger = createLogger({ service: 'fn-media-ai', destination });
    logger.info({ duration_ms: 3420, photo_count: 3 }, 'AI processing completed');
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toMatchObject({
      level: 'info',
      service: 'fn-media-ai',
      message: 'AI processing completed',
      duration_ms: 3420,
      photo_count: 3,
    });
    expect(line.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(line).not.toHaveProperty('msg');
    expect(line).not.toHaveProperty('time');
    expect(line).not.toHaveProperty('pid');
  });

  it('speaks the guide level words and honours the guide level names', () => {
    const { lines, destination } = collector();
    const logger = createLogger({ service: 's', level: 'WARNING', destination });
    logger.info('hidden');
    logger.warn('shown');
    logger.fatal('worst');
    expect(lines.map((l) => [l.level, l.message])).toEqual([
      ['warning', 'shown'],
      ['critical', 'worst'],
    ]);
  });

  it('maps every guide level onto pino', () => {
    expect(['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'].map((l) => toPinoLevel(l as 'DEBUG'))).toEqual([
      'debug',
      'info',
      'warn',
      'error',
      'fatal',
    ]);
    expect(toPinoLevel('warning' as 'WARNING')).toBe('warn');
    expect(toPinoLevel('trace')).toBe('trace');
  });

  it('carries correlation_id and post_id on child loggers, leaving out absent ids', () => {
    const { lines, destination } = collector();
    const logger = createLogger({ service: 's', destination });
    withLogContext(logger, { correlation_id: 'abc-123', post_id: 'post-789', photo_id: undefined }).info('done');
    expect(lines[0]).toMatchObject({ correlation_id: 'abc-123', post_id: 'post-789', service: 's' });
    expect(lines[0]).not.toHaveProperty('photo_id');
  });

  it('redacts secrets at the top level and nested', () => {
    const { lines, destination } = collector();
    const logger = createLogger({ service: 's', destination, redactPaths: ['body.card'] });
    logger.info(
      {
        apiKey: 'sk-1',
        kafka: { sasl: { password: 'pw-2' } },
        req: { headers: { authorization: 'Bearer t-3', host: 'h' } },
        body: { card: '4111' },
      },
      'connected',
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ['sk-1', 'pw-2', 't-3', '4111']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({
      apiKey: REDACTED,
      kafka: { sasl: { password: REDACTED } },
      req: { headers: { authorization: REDACTED, host: 'h' } },
    });
  });

  it('serializes errors with type, message and stack', () => {
    const { lines, destination } = collector();
    createLogger({ service: 's', destination }).error(new TypeError('boom'), 'failed');
    expect(lines[0]).toMatchObject({ level: 'error', message: 'failed', error: { type: 'TypeError', message: 'boom' } });
    expect((lines[0]!.error as { stack: string }).stack).toContain('boom');
  });
});
