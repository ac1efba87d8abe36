/**
 * A client of clamd's socket protocol (clamd(8), "COMMANDS"): PING, VERSION and INSTREAM over TCP or
 * a unix socket, one connection per command, every command under one deadline and an abort signal.
 *
 * Own code rather than the npm `clamscan` package (2.4.0, evaluated): its `init()` shells out to
 * `clamdscan --version` even when only a socket is used and by default falls back to a local binary
 * when the socket fails (a different signature database, or none, in our images); a scan whose socket
 * times out resolves `{ isInfected: null }` instead of failing, which a caller testing `isInfected`
 * lets through unscanned; it takes no AbortSignal; and it writes socket errors to console.error. The
 * protocol itself is four lines: a `z`-prefixed command ended by NUL, INSTREAM chunks framed by a
 * 4-byte big-endian length and ended by a zero length, a NUL-ended reply.
 *
 * Failures are MediaAiErrors: a connection that cannot be made (refused, no socket file, connect or
 * reply timeout) is MEDIA_AI_MALWARE_SCANNER_UNAVAILABLE (an outage: never the photo's fault); a
 * stream over clamd's StreamMaxLength is MEDIA_AI_PHOTO_TOO_LARGE; any other ERROR reply or a
 * connection broken mid-scan is MEDIA_AI_MALWARE_SCAN_FAILED. Must never report a photo clean
 * without clamd's `OK` for it, and never log the bytes it scans.
 */
import net from 'node:net';
import { MediaAiError } from '@media-ai/contracts';

/** Where clamd listens: its LocalSocket, or its TCPAddr and TCPSocket. */
export type ClamdAddress = { socketPath: string } | { host: string; port: number };

export interface ClamdClientOptions {
  address: ClamdAddress;
  /** Deadline of one command, from connect to the end of the reply. */
  timeoutMs: number;
  /** Bytes per INSTREAM chunk. clamd refuses a chunk over its StreamMaxLength; 64 KiB is what clamdscan sends. */
  chunkBytes?: number;
}

export type ScanVerdict = { infected: false } | { infected: true; signature: string };

/** `stream: Eicar-Signature FOUND` (the signature name may hold spaces and colons). */
const FOUND = /^stream: (.+) FOUND$/;
const CLEAN = 'stream: OK';
const SIZE_LIMIT = 'INSTREAM size limit exceeded';
const DEFAULT_CHUNK_BYTES = 64 * 1024;

export class ClamdClient {
  private readonly chunkBytes: number;

  constructor(private readonly options: ClamdClientOptions) {
    this.chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  }

  /** `tcp://host:port` or `unix:/path`, for logs and health. */
  describe(): string {
    const address = this.options.address;
    return 'socketPath' in address ? `unix:${address.socketPath}` : `tcp://${address.host}:${address.port}`;
  }

  /** Resolves when clamd answers PONG. */
  async ping(signal?: AbortSignal): Promise<void> {
    const reply = await this.command('zPING\0', undefined, signal);
    if (reply !== 'PONG') throw this.failed(`clamd answered PING with ${JSON.stringify(reply.slice(0, 80))}`);
  }

  /** e.g. `ClamAV 1.4.6/27000/Tue Dec  1 09:00:00 2026` (engine/database version/database date). */
  version(signal?: AbortSignal): Promise<string> {
    return this.command('zVERSION\0', undefined, signal);
  }

  /** Streams the bytes to clamd (INSTREAM) and reads its verdict. */
  async scan(bytes: Buffer, signal?: AbortSignal): Promise<ScanVerdict> {
    const reply = await this.command('zINSTREAM\0', bytes, signal);
    if (reply === CLEAN) return { infected: false };
    const found = FOUND.exec(reply);
    if (found) return { infected: true, signature: found[1]! };
    if (reply.startsWith(SIZE_LIMIT)) {
      throw new MediaAiError(
        'MEDIA_AI_PHOTO_TOO_LARGE',
        `The photo (${bytes.length} bytes) is over clamd's StreamMaxLength, so it cannot be scanned`,
        {
          details: { bytes: bytes.length },
        },
      );
    }
    throw this.failed(`clamd answered INSTREAM with ${JSON.stringify(reply.slice(0, 200))}`);
  }

  private failed(message: string, cause?: unknown): MediaAiError {
    return new MediaAiError('MEDIA_AI_MALWARE_SCAN_FAILED', message, { cause, details: { scanner: this.describe() } });
  }

  private unavailable(message: string, cause?: unknown): MediaAiError {
    return new MediaAiError('MEDIA_AI_MALWARE_SCANNER_UNAVAILABLE', `clamd at ${this.describe()}: ${message}`, {
      cause,
      details: { scanner: this.describe() },
    });
  }

  /**
   * One command on its own connection: sends it (and the INSTREAM body), then reads up to the NUL
   * that ends clamd's reply. clamd may answer before the body is complete (a stream over its limit)
   * and close: the reply read so far wins over the write error that follows.
   */
  private command(command: string, body: Buffer | undefined, signal?: AbortSignal): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      if (signal?.aborted) {
        reject(this.unavailable('the scan was cancelled before it started'));
        return;
      }
      const address = this.options.address;
      const socket = net.createConnection('socketPath' in address ? { path: address.socketPath } : address);
      const chunks: Buffer[] = [];
      let connected = false;
      let settled = false;

      const finish = (outcome: { reply: string } | { error: MediaAiError }) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        signal?.removeEventListener('abort', onAbort);
        socket.destroy();
        if ('reply' in outcome) resolve(outcome.reply);
        else reject(outcome.error);
      };
      /** The reply up to its NUL, once there is one (or the connection ended after some text). */
      const replyIn = (ended: boolean): string | null => {
        const text = Buffer.concat(chunks).toString('utf8');
        const end = text.indexOf('\0');
        if (end >= 0) return text.slice(0, end).trim();
        return ended && text.trim() !== '' ? text.trim() : null;
      };
      const onAbort = () => finish({ error: this.unavailable('the scan was cancelled') });
      const deadline = setTimeout(
        () => finish({ error: this.unavailable(`no ${connected ? 'reply' : 'connection'} within ${this.options.timeoutMs} ms`) }),
        this.options.timeoutMs,
      );
      signal?.addEventListener('abort', onAbort, { once: true });

      socket.on('data', (data: Buffer) => {
        chunks.push(data);
        const reply = replyIn(false);
        if (reply !== null) finish({ reply });
      });
      socket.on('end', () => {
        const reply = replyIn(true);
        if (reply !== null) finish({ reply });
        else finish({ error: connected ? this.failed('clamd closed the connection without a reply') : this.unavailable('closed') });
      });
      socket.on('error', (error: NodeJS.ErrnoException) => {
        const reply = replyIn(true);
        if (reply !== null) finish({ reply });
        else if (!connected) finish({ error: this.unavailable(error.code ?? error.message, error) });
        else finish({ error: this.failed(`the connection broke during the command (${error.code ?? error.message})`, error) });
      });
      socket.on('connect', () => {
        connected = true;
        socket.write(command);
        if (body) void this.writeStream(socket, body, () => chunks.length > 0).catch(() => undefined);
      });
    });
  }

  /**
   * INSTREAM body: `<length:uint32be><bytes>` per chunk, then a zero length; waits for drain so memory
   * stays flat, and stops once clamd has answered (it answers early only to refuse the stream).
   */
  private async writeStream(socket: net.Socket, bytes: Buffer, answered: () => boolean): Promise<void> {
    for (let offset = 0; offset < bytes.length; offset += this.chunkBytes) {
      const chunk = bytes.subarray(offset, offset + this.chunkBytes);
      const header = Buffer.alloc(4);
      header.writeUInt32BE(chunk.length, 0);
      socket.write(header);
      if (!socket.write(chunk)) await waitForDrain(socket);
      if (socket.destroyed || answered()) return;
    }
    socket.write(Buffer.alloc(4));
  }
}

function waitForDrain(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.once('drain', done);
    socket.once('close', done);
  });
}
