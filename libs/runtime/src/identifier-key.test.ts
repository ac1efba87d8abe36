import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEVELOPMENT_IDENTIFIER_KEY, loadConfig } from '@media-ai/config';
import { createLogger } from '@media-ai/telemetry';
import { identifierKeyAtStartup } from './identifier-key.js';

function logged() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger({ service: 'test', level: 'DEBUG', destination }) };
}

describe('identifierKeyAtStartup', () => {
  const key = 'a-real-key-from-the-chart-secret-0123456789';

  it('uses the configured key and logs nothing of it', () => {
    const { lines, logger } = logged();
    expect(identifierKeyAtStartup(loadConfig({ ENVIRONMENT: 'production', MEDIA_AI_IDENTIFIER_KEY: key }), logger)).toEqual(
      Buffer.from(key),
    );
    expect(lines).toEqual([]);
  });

  it('runs development on the public development key, saying so at warn level', () => {
    const { lines, logger } = logged();
    expect(identifierKeyAtStartup(loadConfig({}), logger)).toEqual(Buffer.from(DEVELOPMENT_IDENTIFIER_KEY));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warning', variable: 'MEDIA_AI_IDENTIFIER_KEY' });
    expect(lines[0]).not.toContain(DEVELOPMENT_IDENTIFIER_KEY);
  });

  it('refuses to start staging or production without a key', () => {
    const { logger } = logged();
    for (const ENVIRONMENT of ['staging', 'production']) {
      expect(() => identifierKeyAtStartup(loadConfig({ ENVIRONMENT }), logger)).toThrow(ConfigError);
    }
  });
});
