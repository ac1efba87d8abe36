/**
 * The malware scan of a photo's original bytes, as the fetcher asks for it before anything decodes
 * them: clean passes, a signature found is MEDIA_AI_PHOTO_INFECTED naming it, and an unreachable
 * clamd is retried (libs/retry backoff) a few times before the outage is reported, so a clamd restart
 * costs a pause, not a photo. Also answers readiness (PING) and health (address, version).
 *
 * Must never let a photo through without clamd's verdict on it: every failure throws.
 */
import { MediaAiError, toMediaAiError } from '@media-ai/contracts';
import { backoffDelayMs, sleep, type BackoffPolicy } from '@media-ai/retry';
import type { ClamdClient, ScanVerdict } from './clamd-client.js';

/** What a scan ended in, for the latency histogram's label. */
export type ScanResult = 'clean' | 'infected' | 'error';

export interface PhotoScannerOptions {
  /** Attempts per scan while clamd is unreachable (1 = no retry). Default 3. */
  attempts?: number;
  /** Waits between those attempts. Default 250 ms doubling, at most 2 s. */
  backoff?: BackoffPolicy;
  /** Called once per scan with its outcome and seconds, retries included (malware_scan_duration_seconds). Must not throw. */
  onScan?: (result: ScanResult, seconds: number) => void;
}

export interface ScannerReadiness {
  ready: boolean;
  reason?: string;
}

export class PhotoScanner {
  private readonly attempts: number;
  private readonly backoff: BackoffPolicy;

  constructor(
    private readonly client: ClamdClient,
    private readonly options: PhotoScannerOptions = {},
  ) {
    this.attempts = Math.max(1, options.attempts ?? 3);
    this.backoff = options.backoff ?? { initialDelayMs: 250, maxDelayMs: 2_000 };
  }

  /** Where clamd is: `tcp://host:port` or `unix:/path`. */
  describe(): string {
    return this.client.describe();
  }

  /** Resolves when clamd called the bytes clean; throws MEDIA_AI_PHOTO_INFECTED or the failure otherwise. */
  async scanPhoto(bytes: Buffer, signal?: AbortSignal): Promise<void> {
    const started = performance.now();
    let verdict: ScanVerdict;
    try {
      verdict = await this.scanWithRetries(bytes, signal);
    } catch (error) {
      this.options.onScan?.('error', (performance.now() - started) / 1000);
      throw error;
    }
    this.options.onScan?.(verdict.infected ? 'infected' : 'clean', (performance.now() - started) / 1000);
    if (verdict.infected) {
      throw new MediaAiError(
        'MEDIA_AI_PHOTO_INFECTED',
        `The malware scanner found ${verdict.signature} in the photo; it was not decoded or stored`,
        {
          details: { signature: verdict.signature },
        },
      );
    }
  }

  /** Ready while clamd answers PING. */
  async readiness(signal?: AbortSignal): Promise<ScannerReadiness> {
    try {
      await this.client.ping(signal);
      return { ready: true };
    } catch (error) {
      return { ready: false, reason: toMediaAiError(error).message };
    }
  }

  /** clamd's engine and signature-database version (throws when it does not answer). */
  version(signal?: AbortSignal): Promise<string> {
    return this.client.version(signal);
  }

  private async scanWithRetries(bytes: Buffer, signal?: AbortSignal): Promise<ScanVerdict> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.client.scan(bytes, signal);
      } catch (error) {
        const failure = toMediaAiError(error);
        // Only an unreachable clamd is worth a quick retry here; an ERROR reply about this stream
        // goes to the runner's retry policy as it is.
        if (failure.code !== 'MEDIA_AI_MALWARE_SCANNER_UNAVAILABLE' || attempt >= this.attempts) throw failure;
        if (!(await sleep(backoffDelayMs(attempt, this.backoff), signal))) throw failure;
      }
    }
  }
}
