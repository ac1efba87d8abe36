import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig, maskUrlCredentials, REDACTED } from './index.js';

const SECRETS = {
  KAFKA_SASL_USERNAME: 'kafka-api-key-1',
  KAFKA_SASL_PASSWORD: 'kafka-api-secret-2',
  SCHEMA_REGISTRY_USERNAME: 'sr-user-3',
  SCHEMA_REGISTRY_PASSWORD: 'sr-secret-4',
  OPENAI_API_KEY: 'sk-live-5',
  GOOGLE_APPLICATION_CREDENTIALS_JSON: JSON.stringify({ private_key: 'pk-6', client_email: 'svc@p.iam' }),
  MEDIA_AI_API_TOKENS: `platform:${'api-token-8'.padEnd(40, '8')}`,
  MEDIA_AI_IDENTIFIER_KEY: 'identifier-key-8-0123456789abcdef0123456789',
};

describe('describeConfig', () => {
  const config = loadConfig(
    {
      ...SECRETS,
      MEDIA_AI_TRANSPORT: 'kafka',
      KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      SCHEMA_REGISTRY_URL: 'https://registry.example',
      REDIS_URL: 'redis://cache-user:redis-pw-7@redis:6379/0',
    },
    { cwd: '/srv', cpuCount: 2 },
  );
  const view = describeConfig(config);
  const text = JSON.stringify(view);

  it('contains no secret value anywhere', () => {
    for (const secret of [
      'kafka-api-key-1',
      'kafka-api-secret-2',
      'sr-user-3',
      'sr-secret-4',
      'sk-live-5',
      'pk-6',
      'svc@p.iam',
      'redis-pw-7',
      'api-token-8',
      'identifier-key-8',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('keeps everything that is not a secret', () => {
    expect(view).toMatchObject({
      app: config.app,
      server: { ...config.server, apiTokens: expect.any(Array) },
      thresholds: config.thresholds,
    });
    expect((view.server as { apiTokens: unknown }).apiTokens).toEqual([{ name: 'platform', token: REDACTED }]);
    expect((view.redis as { url: string }).url).toBe(`redis://cache-user:${REDACTED}@redis:6379/0`);
    expect((view.openai as { apiKey: string; enabled: boolean }).apiKey).toBe(REDACTED);
    expect((view.openai as { enabled: boolean }).enabled).toBe(true);
  });

  it('leaves the loaded config untouched', () => {
    expect(config.openai.apiKey).toBe('sk-live-5');
    expect(config.privacy.identifierKey).toBe(SECRETS.MEDIA_AI_IDENTIFIER_KEY);
    expect(config.kafka.sasl?.password).toBe('kafka-api-secret-2');
  });

  it('does not invent fields that were not configured', () => {
    const plain = describeConfig(loadConfig({}, { cwd: '/srv', cpuCount: 1 }));
    expect((plain.openai as Record<string, unknown>).apiKey).toBeUndefined();
    expect('sasl' in (plain.kafka as object)).toBe(false);
  });
});

describe('maskUrlCredentials', () => {
  it('masks a password, or a lone token in the user slot', () => {
    expect(maskUrlCredentials('redis://u:p@h:6379/0')).toBe(`redis://u:${REDACTED}@h:6379/0`);
    expect(maskUrlCredentials('redis://token@h:6379')).toBe(`redis://${REDACTED}@h:6379`);
    expect(maskUrlCredentials('https://registry.example/')).toBe('https://registry.example/');
    expect(maskUrlCredentials('not a url')).toBe('not a url');
  });
});
