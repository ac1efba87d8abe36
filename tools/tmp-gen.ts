import { generateImages } from './privacy-bench/generate.js';
const t = performance.now();
const imgs = await generateImages({ seed: 1, indices: Array.from({ length: 24 }, (_, i) => i + 36), photosDir: '/work/shared/photos', cacheDir: '/tmp/pb/gen' });
console.log('ms', Math.round(performance.now() - t));
for (const i of imgs) console.log(i.truth.id, i.truth.split, i.truth.template, i.truth.locale, i.truth.font, i.truth.personal.length, i.truth.words.length, i.truth.faces.length, i.truth.render.rotation);
