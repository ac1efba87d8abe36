/**
 * A view of the configuration safe to log at start-up and to show on health/detailed: every
 * secret masked, credentials inside URLs masked, the rest as loaded.
 * Must never return a secret, even partially (no "last four characters").
 */
import type { AppConfig } from './load-config.js';

export const REDACTED = '[redacted]';

/** Values that are secrets as a whole. Keep in step with the secret fields of each concern. */
const SECRET_PATHS: readonly (readonly string[])[] = [
  ['kafka', 'sasl', 'username'],
  ['kafka', 'sasl', 'password'],
  ['kafka', 'schemaRegistry', 'username'],
  ['kafka', 'schemaRegistry', 'password'],
  ['openai', 'apiKey'],
  ['gcs', 'credentials'],
  ['otel', 'headers'],
  ['privacy', 'identifierKey'],
];

/** URLs that may carry `user:password@`. */
const URL_PATHS: readonly (readonly string[])[] = [
  ['redis', 'url'],
  ['kafka', 'schemaRegistry', 'url'],
  ['openai', 'baseUrl'],
  ['gcs', 'apiEndpoint'],
  ['otel', 'tracesUrl'],
];

export type ConfigDescription = Record<string, unknown>;

export function describeConfig(config: AppConfig): ConfigDescription {
  const view = structuredClone(config) as unknown as Record<string, unknown>;
  for (const secretPath of SECRET_PATHS) {
    update(view, secretPath, () => REDACTED);
  }
  for (const urlPath of URL_PATHS) {
    update(view, urlPath, (value) => (typeof value === 'string' ? maskUrlCredentials(value) : value));
  }
  // The names say who may call the API; the tokens are the secret.
  update(view, ['server', 'apiTokens'], (value) =>
    Array.isArray(value) ? value.map((entry: { name: string }) => ({ name: entry.name, token: REDACTED })) : value,
  );
  update(view, ['review', 'tokens'], (value) =>
    Array.isArray(value)
      ? value.map((entry: { tenant: string; name: string }) => ({ tenant: entry.tenant, name: entry.name, token: REDACTED }))
      : value,
  );
  return view;
}

/** `redis://user:pw@host/0` → `redis://user:[redacted]@host/0`; a bare token in the user part is masked too. */
export function maskUrlCredentials(value: string): string {
  if (!URL.canParse(value)) return value;
  const url = new URL(value);
  if (url.password) url.password = REDACTED;
  // redis://:token@host and redis://token@host both carry a secret in the first slot.
  else if (url.username) url.username = REDACTED;
  // The URL setter percent-encodes the brackets; show the marker as written elsewhere.
  return url.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED);
}

function update(target: Record<string, unknown>, keys: readonly string[], change: (value: unknown) => unknown): void {
  let node: unknown = target;
  for (const key of keys.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return;
    node = (node as Record<string, unknown>)[key];
  }
  const last = keys[keys.length - 1]!;
  if (node !== null && typeof node === 'object' && last in node) {
    const record = node as Record<string, unknown>;
    if (record[last] !== undefined) record[last] = change(record[last]);
  }
}
