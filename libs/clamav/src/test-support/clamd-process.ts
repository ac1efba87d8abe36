/**
 * Test-only: a real clamd (Debian's clamav-daemon, /usr/sbin/clamd) started in a temp folder with a
 * signature database written here: the EICAR test file by md5 (.hdb) and a marker string that
 * `withSignedPayload` embeds in a JPEG comment (.ndb). No freshclam, no system service: its own
 * config, TCP port on 127.0.0.1 and unix socket, stopped (SIGTERM) by the test. Never imported by
 * product code.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@media-ai/contracts/test-support';
import { ClamdClient } from '../clamd-client.js';

/** The EICAR anti-virus test file (68 bytes): harmless, and every scanner's agreed test signature. */
export const EICAR = Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*', 'latin1');
/** The marker `withSignedPayload` embeds and the .ndb signature matches. */
export const TEST_PAYLOAD = 'MEDIA-AI-TEST-PAYLOAD:do-not-decode-this-photo';
/** What clamd reports for each (a local database's names get `.UNOFFICIAL`). */
export const EICAR_SIGNATURE = 'MediaAiTest.Eicar.UNOFFICIAL';
export const PAYLOAD_SIGNATURE = 'MediaAiTest.JpegPayload.UNOFFICIAL';

export const CLAMD_BINARY = process.env.MEDIA_AI_CLAMD ?? '/usr/sbin/clamd';

export interface ClamdProcess {
  host: string;
  port: number;
  socketPath: string;
  /** Milliseconds from spawn to the first PONG (signature loading included). */
  startMs: number;
  /** A client on its TCP port. */
  client(timeoutMs?: number): ClamdClient;
  /** SIGTERM, and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
  /** Starts it again on the same port and socket after stop(). */
  restart(): Promise<void>;
  /** Stops it and removes its folder. */
  cleanup(): Promise<void>;
}

/** A JPEG with the test payload in a COM segment right after SOI: still a valid JPEG that sharp decodes. */
export function withSignedPayload(jpeg: Buffer): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG (no SOI marker)');
  const text = Buffer.from(TEST_PAYLOAD, 'latin1');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(text.length + 2, 0);
  return Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xfe]), length, text, jpeg.subarray(2)]);
}

export async function startClamd(options: { streamMaxLength?: string; startTimeoutMs?: number } = {}): Promise<ClamdProcess> {
  if (!existsSync(CLAMD_BINARY)) throw new Error(`${CLAMD_BINARY} is missing: apt-get install clamav-daemon`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'media-ai-clamd-'));
  const db = path.join(dir, 'db');
  mkdirSync(db);
  // What `sigtool --md5 eicar.com` writes: md5:size:name.
  writeFileSync(path.join(db, 'test.hdb'), `${createHash('md5').update(EICAR).digest('hex')}:${EICAR.length}:MediaAiTest.Eicar\n`);
  // Extended signature: name:target type (0 = any file):offset (* = anywhere):hex bytes.
  writeFileSync(path.join(db, 'test.ndb'), `MediaAiTest.JpegPayload:0:*:${Buffer.from(TEST_PAYLOAD, 'latin1').toString('hex')}\n`);
  const port = await freePort();
  const socketPath = path.join(dir, 'clamd.sock');
  const conf = path.join(dir, 'clamd.conf');
  writeFileSync(
    conf,
    [
      'Foreground yes',
      `DatabaseDirectory ${db}`,
      'TCPAddr 127.0.0.1',
      `TCPSocket ${port}`,
      `LocalSocket ${socketPath}`,
      `LogFile ${path.join(dir, 'clamd.log')}`,
      `StreamMaxLength ${options.streamMaxLength ?? '20M'}`,
      '',
    ].join('\n'),
  );

  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const client = (timeoutMs = 5_000) => new ClamdClient({ address: { host: '127.0.0.1', port }, timeoutMs });

  async function launch(): Promise<number> {
    const started = performance.now();
    const proc = spawn(CLAMD_BINARY, ['--config-file', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    const deadline = started + (options.startTimeoutMs ?? 60_000);
    const probe = client(1_000);
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`clamd exited with ${proc.exitCode}: ${stderr.trim()} ${readLog(dir)}`);
      try {
        await probe.ping();
        return performance.now() - started;
      } catch {
        if (performance.now() > deadline)
          throw new Error(`clamd did not answer PING within ${options.startTimeoutMs ?? 60_000} ms: ${readLog(dir)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  async function stop(): Promise<void> {
    const proc = child;
    child = null;
    if (proc && proc.exitCode === null) {
      proc.kill('SIGTERM');
      await exited;
    }
  }

  const startMs = await launch();
  return {
    host: '127.0.0.1',
    port,
    socketPath,
    startMs,
    client,
    stop,
    restart: async () => {
      await stop();
      await launch();
    },
    cleanup: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readLog(dir: string): string {
  try {
    return readFileSync(path.join(dir, 'clamd.log'), 'utf8').split('\n').slice(-5).join(' | ');
  } catch {
    return '';
  }
}
