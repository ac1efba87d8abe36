/**
 * The photo scanner against a real clamd: verdicts, the scan-latency hook, readiness, and what an
 * outage does (retried while clamd restarts, reported as an outage when it stays down).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaAiError } from '@media-ai/contracts';
import { PhotoScanner, type ScanResult } from './photo-scanner.js';
import { EICAR, EICAR_SIGNATURE, startClamd, type ClamdProcess } from './test-support/index.js';

let clamd: ClamdProcess;

beforeAll(async () => {
  clamd = await startClamd();
});

afterAll(async () => {
  await clamd?.cleanup();
});

async function failureOf(promise: Promise<unknown>): Promise<MediaAiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MediaAiError);
  return error as MediaAiError;
}

describe('PhotoScanner', () => {
  it('passes clean bytes, refuses EICAR with MEDIA_AI_PHOTO_INFECTED naming the signature, and times each scan', async () => {
    const scans: Array<{ result: ScanResult; seconds: number }> = [];
    const scanner = new PhotoScanner(clamd.client(), { onScan: (result, seconds) => scans.push({ result, seconds }) });

    await scanner.scanPhoto(Buffer.from('a harmless text that is not a photo'));
    const infected = await failureOf(scanner.scanPhoto(EICAR));
    expect(infected.code).toBe('MEDIA_AI_PHOTO_INFECTED');
    expect(infected.retryable).toBe(false);
    expect(infected.message).toContain(EICAR_SIGNATURE);
    expect(infected.details).toEqual({ signature: EICAR_SIGNATURE });
    expect(scans.map((s) => s.result)).toEqual(['clean', 'infected']);
    expect(scans.every((s) => s.seconds > 0 && s.seconds < 5)).toBe(true);
  });

  it('is ready while clamd answers, and says why not once it is stopped; an outage outlasting the retries is reported', async () => {
    const results: ScanResult[] = [];
    const scanner = new PhotoScanner(clamd.client(1_000), {
      attempts: 2,
      backoff: { initialDelayMs: 10, maxDelayMs: 10 },
      onScan: (result) => results.push(result),
    });
    expect(await scanner.readiness()).toEqual({ ready: true });
    expect(await scanner.version()).toMatch(/^ClamAV /);

    await clamd.stop();
    try {
      const readiness = await scanner.readiness();
      expect(readiness.ready).toBe(false);
      expect(readiness.reason).toMatch(new RegExp(`clamd at tcp://127.0.0.1:${clamd.port}: ECONNREFUSED`));
      const outage = await failureOf(scanner.scanPhoto(EICAR));
      expect(outage.code).toBe('MEDIA_AI_MALWARE_SCANNER_UNAVAILABLE');
      expect(outage.outage).toBe(true);
      expect(results).toEqual(['error']);
    } finally {
      await clamd.restart();
    }
    expect(await scanner.readiness()).toEqual({ ready: true });
  });

  it('retries a scan through a clamd restart instead of failing the photo', async () => {
    const scanner = new PhotoScanner(clamd.client(2_000), { attempts: 30, backoff: { initialDelayMs: 100, maxDelayMs: 200 } });
    await clamd.stop();
    const scan = failureOf(scanner.scanPhoto(EICAR));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await clamd.restart();
    // The verdict comes from the restarted clamd: infected, not an outage.
    expect((await scan).code).toBe('MEDIA_AI_PHOTO_INFECTED');
  });
});
