// `node --conditions=development --import tsx tools/pipeline-only-steps-cost.ts [folder=../shared/photos]`:
// CPU of the work the embedded pipeline does and the bench's naive loop does not, outside the
// detector stage (tools/detector-step-cost.ts times salient object, item colours and fingerprint):
// the fetcher's face pass (BlazeFace on the stored JPEG) per photo, and the aggregator's one-off
// compile of the post-enhanced JSON schema (ajv). The
// OCR stage's redaction has its own script (tools/redaction-cpu.ts). Photos are normalized as the
// fetcher does before the clock starts. CPU is the process's (every thread); printed, never asserted.
// Both one-offs (the schema compile, and the ocr stage's fail-closed lexicon beyond the readers' word
// lists) now run in their stage's start(), so no post pays them; this prints what they cost.
//
// Where the pipeline's extra CPU over the naive loop goes (issue 16 round 13, main eb10613, 26 photos of
// ../shared/photos, 2 shared cores at load 3-12; the integrator's quiet bench: 500-531 against 405-407 ms
// a photo, ~100 more). Work the loop does not do, ~47 ms: faces 12.3 (this script), redaction 12.3
// (tools/redaction-cpu.ts; was 55-65 before the privacy rounds), item colours with the surround
// contrast 11.2, fingerprint 6.7 (its crop's embedding run included), salient object 4.8
// (tools/detector-step-cost.ts --rounds 4; at 2 rounds the stage read 111.1, its first round carrying
// the JIT warm-up). The detector stage around its steps (cache, records) ~6, within the noise (stage
// 88.5 against the steps' 82.9); the other plumbing (zod 1.7, avsc 1.3, join store, prom-client,
// OTel) under 8 ms of main-thread samples. V8's platform threads (GC helpers of both isolates) 89 against the loop's 70
// ms (tools/pipeline-cpu-by-thread.ts, load 3-6): a second isolate and more live data. The OCR
// thread's hand-offs are not a cost: its JPEG is transferred, the lexicon shared, its tesseract
// re-reads answered by main's one pool (33 against the loop's 34.5 ms of wasm samples). Not found:
// a second decode beyond the face pass's shrink-on-load, base64, Redis, per-photo one-offs.
import { readFile } from 'node:fs/promises';
import { validatePostEnhanced } from '@media-ai/contracts';
import { loadFaceDetector, normalizeOptionsOf } from '@media-ai/fetcher-service';
import { commonWordLexicon, wordLexicon } from '@media-ai/ocr';
import { createRuntime } from '@media-ai/runtime';
import { normalizePhoto } from '@media-ai/vision';
import { listPhotos } from './quality/run-bench.js';
import { loadAverage, processCpuMs } from './quality/cpu.js';

const folder = process.argv[2] ?? '../shared/photos';
const { config } = createRuntime({ logToStderr: true, env: { ...process.env, LOG_LEVEL: 'WARNING' } });
const jpegs: Buffer[] = [];
for (const file of await listPhotos(folder, undefined, false))
  jpegs.push((await normalizePhoto(await readFile(file), normalizeOptionsOf(config))).jpeg);
process.stdout.write(`pipeline-only steps: ${jpegs.length} photos from ${folder}; load ${loadAverage()}\n`);

const { faces, reason } = await loadFaceDetector(config);
if (!faces) throw new Error(reason ?? 'no face detector');
await faces.detectInJpeg(jpegs[0]!); // warm: the first run allocates ORT's arena
let t0 = processCpuMs();
for (const jpeg of jpegs) await faces.detectInJpeg(jpeg);
process.stdout.write(`  faces (fetcher)         ${((processCpuMs() - t0) / jpegs.length).toFixed(1)} ms CPU per photo\n`);
await faces.close();

t0 = processCpuMs();
validatePostEnhanced({});
process.stdout.write(
  `  post-enhanced schema    ${(processCpuMs() - t0).toFixed(0)} ms CPU once per process (ajv compile + one validation)\n`,
);
wordLexicon(); // the readers load it at their start
t0 = processCpuMs();
commonWordLexicon();
process.stdout.write(
  `  fail-closed lexicon     ${(processCpuMs() - t0).toFixed(0)} ms CPU once per process (the ocr stage's languages beyond the readers')\n`,
);
process.stdout.write(`load after ${loadAverage()}\n`);
process.exit(0);
