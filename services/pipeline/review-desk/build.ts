// `npm run build:desk`: writes the review desk's bundle (desk.js, desk.css) to dist/review-desk.
import { fileURLToPath } from 'node:url';
import { bundleDeskAssets } from '../src/review/desk-assets.js';

const outdir = fileURLToPath(new URL('../dist/review-desk', import.meta.url));
const { js, css } = await bundleDeskAssets(outdir);
process.stdout.write(`review desk: ${outdir}/desk.js (${js.length} bytes), desk.css (${css.length} bytes)\n`);
