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
// Where the pipeline's extra CPU over the naive loop went (issue 16, 2026-12-06, 2 shared cores, load
// 2-8, ../shared/photos, 26 photos; bench on main: 808 vs 698 ms per photo, +110): redaction of the
// read text 55-65 ms (tools/redaction-cpu.ts), fingerprint 16.4, faces 15-19, salient object 13.4,
// item colours 11.9 (tools/detector-step-cost.ts), the schema compile ~230 ms once (~9 ms per photo
// over 26 photos), and the plumbing (avsc, zod, join store, codecs, transport, prom-client, OTel: under
// 8 ms of main-thread samples per photo in a --cpu-prof of tools/pipeline-cpu-by-thread.ts). No
// second decode of a photo beyond the face pass's own shrink-on-load, no base64, no Redis in the window.
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
