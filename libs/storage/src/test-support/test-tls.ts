/**
 * Test-only TLS material: a self-signed certificate for 127.0.0.1/localhost, made with the openssl
 * CLI on first use and cached in the temp folder, so tests can serve real https:// photos. The
 * vitest configs pass the certificate to test workers as NODE_EXTRA_CA_CERTS (read by Node only at
 * start-up), which makes Node's fetch trust it exactly as a deployment trusts a private CA: the
 * product code has no test switch. Never used outside tests; the key protects nothing.
 *
 * A vitest config must load even where openssl is missing (the run then stops on the requirement
 * check of tools/test/system-requirements.ts with one clear line): configs call testTlsForConfig,
 * and `npm test`'s global set-up makes the files once openssl is there, before any worker starts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestTls {
  certFile: string;
  keyFile: string;
}

const testTlsDir = () => join(tmpdir(), 'media-ai-test-tls-v1');

/** Where the certificate and key are (made or not). */
export function testTlsFiles(): TestTls {
  return { certFile: join(testTlsDir(), 'cert.pem'), keyFile: join(testTlsDir(), 'key.pem') };
}

/** For a vitest config: the files, made now when openssl is installed, else only named. */
export function testTlsForConfig(): TestTls {
  try {
    return ensureTestTls();
  } catch (error) {
    if (((error as Error).cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return testTlsFiles();
    throw error;
  }
}

export function ensureTestTls(): TestTls {
  const dir = testTlsDir();
  const result = testTlsFiles();
  if (existsSync(result.certFile) && existsSync(result.keyFile)) return result;
  // Built aside and renamed into place, so concurrent test projects never see half a folder.
  const work = mkdtempSync(join(tmpdir(), 'media-ai-test-tls-'));
  const config = join(work, 'openssl.cnf');
  writeFileSync(
    config,
    [
      '[req]',
      'distinguished_name = dn',
      'x509_extensions = ext',
      'prompt = no',
      '[dn]',
      'CN = media-ai test origin',
      '[ext]',
      'subjectAltName = IP:127.0.0.1, DNS:localhost',
      'basicConstraints = critical, CA:TRUE',
      'keyUsage = critical, digitalSignature, keyCertSign',
      'extendedKeyUsage = serverAuth',
    ].join('\n'),
  );
  runOpenssl(work, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '3650',
    '-config',
    config,
    '-keyout',
    join(work, 'key.pem'),
    '-out',
    join(work, 'cert.pem'),
  ]);
  rmSync(config);
  try {
    renameSync(work, dir);
  } catch {
    // Another project won the race: its files are as good as ours.
    rmSync(work, { recursive: true, force: true });
  }
  return result;
}

function runOpenssl(work: string, args: string[]): void {
  try {
    execFileSync('openssl', args, { stdio: 'ignore' });
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('The https:// test servers need openssl for their certificate: apt-get install openssl', { cause: error });
    }
    throw error;
  }
}
