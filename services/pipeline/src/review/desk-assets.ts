/**
 * The review desk page's script and style: one ES module bundled by esbuild from
 * services/pipeline/review-desk (Preact, JSX) and one stylesheet. `npm run build:desk` (part of the
 * pipeline's build) writes them to dist/review-desk, where the built service reads them; run from
 * source (a checkout: bin/media-ai.js, tests) it bundles them in memory at start-up with esbuild (a
 * dev dependency), so a stale build never answers for what is on disk. Everything the page loads
 * comes from the service: no CDN.
 * Must never read from the network, and never serve a half-written bundle.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export interface DeskAssets {
  js: Buffer;
  css: Buffer;
}

/** From src/review and from dist/review alike: the package's dist/review-desk and review-desk folders. */
const BUILT = new URL('../../dist/review-desk/', import.meta.url);
const ENTRY = fileURLToPath(new URL('../../review-desk/main.tsx', import.meta.url));

/** Bundles the page with esbuild (minified, for current browsers); `outdir` set: also writes the files there. */
export async function bundleDeskAssets(outdir?: string): Promise<DeskAssets> {
  // A build-time tool: imported only when the bundle is made, never in a production image.
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: { desk: ENTRY },
    bundle: true,
    format: 'esm',
    minify: true,
    target: ['chrome120', 'firefox120', 'safari17'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: outdir ?? fileURLToPath(BUILT),
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  const css = result.outputFiles.find((f) => f.path.endsWith('.css'));
  if (!js || !css) throw new Error('the desk bundle lacks its script or style');
  const assets = { js: Buffer.from(js.contents), css: Buffer.from(css.contents) };
  if (outdir) {
    await mkdir(outdir, { recursive: true });
    await writeFile(`${outdir}/desk.js`, assets.js);
    await writeFile(`${outdir}/desk.css`, assets.css);
  }
  return assets;
}

/** Running the TypeScript sources (tsx, vitest) rather than the build. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** The built files when this is the build, a bundle of the sources when this runs from source. */
export async function loadDeskAssets(): Promise<DeskAssets> {
  if (FROM_SOURCE) return bundleDeskAssets();
  const [js, css] = await Promise.all([readFile(new URL('desk.js', BUILT)), readFile(new URL('desk.css', BUILT))]);
  return { js, css };
}
