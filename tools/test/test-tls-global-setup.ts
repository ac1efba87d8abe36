/**
 * Vitest global set-up: makes the https:// test servers' certificate before any test worker starts,
 * because workers read NODE_EXTRA_CA_CERTS once, at start-up. The storage and fetcher configs only
 * name the files when openssl was missing as they loaded and system-requirements-setup.ts has
 * installed it since. Without openssl (no selected project needs it) it does nothing.
 */
import { ensureTestTls } from '../../libs/storage/src/test-support/test-tls.js';
import { onPath } from './system-requirements.js';

export default function setup(): void {
  if (onPath('openssl')) ensureTestTls();
}
