// `node --conditions=development --import tsx tools/colour-eval.ts [--split tune|holdout] [--per-colour N] [--manifest ../shared/photos/manifest.json] [--write DIR]`
// The generated colour benchmark (tools/colour-bench/generate.ts): per sample, the item's colours
// measured in its (detector-like) box by itemColors, or, in the scenes with no box (an item only the
// classifier names), on the photo's salient object (salientObject); and, for comparison, the whole-photo
// palette the fetcher measures (dominantColors). Prints per scale and per colour, the commonest confusions, the CPU
// ms of one itemColors call (on the benchmark and on the labelled photos at full size), and one
// machine-readable line per method:
//   method=item colour_accuracy_top1=… colour_agreement=…   (boxed scenes, itemColors)
//   method=salient colour_accuracy_top1=… colour_agreement=… (unboxed scenes, salientObject)
//   method=frame_salient / frame_item …  (frame-filling cards, pages, packages; no box / a box about the frame)
//   method=frame_document_salient / frame_document_item … (the same, with the aggregator's frame-filling document
//     rule given a hint that stands in for OCR's recognition), older_item_hinted / older_salient_hinted (that rule
//     on the older scenes, each hinted a document: where it fires and what it costs)
//   method=document_accent  (white, grey, black documents filling the frame, with a small strong accent or none, under the
//     document rule: accent recall and false accents of the palette's frame accents, with and without them)
//   method=document_thin_print (the same documents with two lines of thin coloured lettering: accent recall)
//   method=same_ground_item / same_ground_salient (a phone-like slab in a hand over a wall of its own colour)
// and, last, confusion tables (true colour -> first named) for the scenes with no box and the finished ones.
// top-1: the first colour is the item's; agreement: the item's colour is among those returned (at most 3).
// Run --split holdout only to report: its photos, shapes and shades were never looked at while tuning.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { documentColors, documentFillingFrame, type DocumentEvidence } from '@media-ai/enrich';
import { cocoOutline, decodeImage, dominantColors, itemColors, salientObject } from '@media-ai/vision';
import {
  colourBenchmark,
  DOCUMENT_ACCENT_KINDS,
  FRAME_KINDS,
  SCALES,
  UNBOXED_SCALES,
  type BenchSample,
  type Split,
} from './colour-bench/generate.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => (args.includes(name) ? args[args.indexOf(name) + 1]! : fallback);
const split = arg('--split', 'tune') as Split;
const manifestPath = arg('--manifest', '../shared/photos/manifest.json');
const write = arg('--write', '');
// `--only metal` / `--only open` / `--only documents` / `--only same-ground` / `--only light` / `--only print`: those scenes alone, without the cost on the labelled photos (a quick look while tuning).
const only = arg('--only', '');

const samples = (await colourBenchmark(split, { manifestPath, perColor: Number(arg('--per-colour', '4')) })).filter((s) =>
  only === 'metal'
    ? s.metal || s.metalRim
    : only === 'open'
      ? s.open
      : only === 'documents'
        ? s.documentAccent !== undefined
        : only === 'same-ground'
          ? s.sameGround !== undefined
          : only === 'light'
            ? s.lit !== undefined
            : only === 'print'
              ? s.printed !== undefined
              : true,
);
if (write) mkdirSync(write, { recursive: true });

interface Outcome {
  sample: BenchSample;
  names: string[];
  /** The names measured without accent regions (accentColors), for comparison. */
  withoutAccents: string[];
}
const item: Outcome[] = [];
const salient: Outcome[] = [];
const accented: Outcome[] = [];
const finished: Outcome[] = [];
const framed: Outcome[] = [];
/** The achromatic documents with and without a small strong accent (tools/colour-bench, documentAccent). */
const documents: Outcome[] = [];
/** The same documents with two lines of thin coloured lettering (tools/colour-bench, thin-print), reported apart. */
const thinPrints: Outcome[] = [];
/** Metal items (silver) and the matte grey, white and fabric ones a silver rule must leave alone (tools/colour-bench, metal). */
const metals: Outcome[] = [];
/** Thin and open items, rims round a face, hands holding items (tools/colour-bench, open): where item and background must be told apart. */
const opens: Outcome[] = [];
/** Phone-like slabs held in a hand over a wall of their own colour (tools/colour-bench, sameGround). */
const sameGrounds: Outcome[] = [];
/** Dark faces with a thin metal rim or bezel, and bare ones on a light table (tools/colour-bench/metal-rims.ts); kept out of every other line. */
const metalRims: Outcome[] = [];
/** Plain items under a coloured or dim light (tools/colour-bench/light.ts). */
const lights: Outcome[] = [];
/** Pages and cards with and without print (tools/colour-bench/print-scenes.ts): the palette's print colour. */
const prints: Outcome[] = [];
const photo: Outcome[] = [];
/** Per sample, the photo's palette as the frame-filling document rule orders it (documentColors). */
const documentPalette = new Map<string, string[]>();
/** The same without the palette's frame accents (dominantColors' accents: false), for comparison. */
const documentPaletteWithoutAccents = new Map<string, string[]>();
let cpuMicros = 0;
let salientMicros = 0;
// A boxed scene's item is measured with its detector label's outline, as the detector stage measures a detection.
const outlineOf = (sample: BenchSample) => (sample.label ? (cocoOutline(sample.label) ?? undefined) : undefined);
const measure = (sample: BenchSample, accents: boolean) =>
  sample.boxGiven
    ? itemColors(sample.image, sample.box, { accents, outline: outlineOf(sample) })
    : (salientObject(sample.image, { accents })?.colors ?? []);
for (const sample of samples) {
  const before = process.cpuUsage();
  const colours = measure(sample, true);
  const used = process.cpuUsage(before);
  // Light scenes keep out of every other line (the palette's and the CPU figures included): they have their own.
  if (sample.lit) {
    lights.push({ sample, names: colours.map((c) => c.name), withoutAccents: [] });
    continue;
  }
  if (sample.boxGiven) cpuMicros += used.user + used.system;
  else salientMicros += used.user + used.system;
  const outcome = { sample, names: colours.map((c) => c.name), withoutAccents: measure(sample, false).map((c) => c.name) };
  if (sample.metalRim) {
    metalRims.push(outcome);
    continue;
  }
  // Print scenes are scored on the palette below (documentPalette), not on the item's colours.
  if (sample.printed) prints.push(outcome);
  else
    (sample.open
      ? opens
      : sample.sameGround
        ? sameGrounds
        : sample.metal
          ? metals
          : sample.documentAccent
            ? sample.documentAccent.kind === 'thin-print'
              ? thinPrints
              : documents
            : sample.frame
              ? framed
              : sample.finish
                ? finished
                : sample.accent
                  ? accented
                  : sample.boxGiven
                    ? item
                    : salient
    ).push(outcome);
  const png = await sharp(sample.image.data, { raw: { width: sample.image.width, height: sample.image.height, channels: 3 } })
    .png()
    .toBuffer();
  const measured = await dominantColors(png);
  const plain = await dominantColors(png, { accents: false });
  // The open scenes keep out of the palette's lines, which stay what they were before they were added.
  if (!sample.open && !sample.sameGround && !sample.printed)
    photo.push({ sample, names: measured.map((c) => c.name), withoutAccents: plain.map((c) => c.name) });
  documentPaletteWithoutAccents.set(
    sample.id,
    documentColors(plain).map((c) => c.name),
  );
  documentPalette.set(
    sample.id,
    documentColors(measured).map((c) => c.name),
  );
  if (write) await sharp(png).toFile(path.join(write, `${sample.id}-${colours.map((c) => c.name).join('+') || 'none'}.png`));
}

// The palette's line keeps to the boxed plain scenes, as before the unboxed ones existed; the per-scale lines show it on both.
const boxedPhoto = photo.filter((o) => o.sample.boxGiven && !o.sample.accent && !o.sample.finish && !o.sample.metal);
const top1 = (o: Outcome) => o.names[0] === o.sample.color;
const agrees = (o: Outcome) => o.names.includes(o.sample.color);
const share = (outcomes: Outcome[], test: (o: Outcome) => boolean) =>
  outcomes.length === 0 ? 0 : outcomes.filter(test).length / outcomes.length;
const fixed = (n: number) => n.toFixed(3);
/** Returned names that are the item's colour, its accent's or its print's, of all returned names (pooled over the outcomes). */
const precision = (outcomes: Outcome[], names: (o: Outcome) => string[] = (o) => o.names) => {
  const all = outcomes.flatMap((o) =>
    names(o).map((n) => n === o.sample.color || n === o.sample.accent?.color || n === o.sample.frame?.print),
  );
  return all.length === 0 ? 0 : all.filter(Boolean).length / all.length;
};
const accentFound = (o: Outcome) => o.names.includes(o.sample.accent?.color ?? '');
/**
 * What the post publishes for a scene whose item got no colours (no salient object separated from the border):
 * the photo's palette, largest share first (measuredColors lists the palette after the items' colours, by share).
 * The `published_*` fields score that; the others score the item's own colours, none where nothing separated.
 */
const asPublished = (o: Outcome): Outcome => (o.names.length > 0 ? o : { ...o, names: documentPalette.get(o.sample.id) ?? [] });

process.stdout.write(`split ${split}: ${samples.length} samples, shapes ${[...new Set(samples.map((s) => s.shape))].join(', ')}\n`);
for (const scale of SCALES) {
  const at = (o: Outcome) => o.sample.scale === scale && o.sample.boxGiven && !o.sample.accent && !o.sample.finish && !o.sample.metal;
  process.stdout.write(
    `  scale ${scale}: item top-1 ${fixed(share(item.filter(at), top1))} agreement ${fixed(share(item.filter(at), agrees))}; ` +
      `photo palette top-1 ${fixed(share(photo.filter(at), top1))} agreement ${fixed(share(photo.filter(at), agrees))}\n`,
  );
}
for (const scale of UNBOXED_SCALES) {
  const at = (o: Outcome) => o.sample.scale === scale && !o.sample.boxGiven && !o.sample.accent;
  process.stdout.write(
    `  no box, scale ${scale}: salient top-1 ${fixed(share(salient.filter(at), top1))} agreement ${fixed(share(salient.filter(at), agrees))}; ` +
      `photo palette top-1 ${fixed(share(photo.filter(at), top1))} agreement ${fixed(share(photo.filter(at), agrees))}\n`,
  );
}
for (const boxed of [true, false]) {
  const these = accented.filter((o) => o.sample.boxGiven === boxed);
  const kinds = [...new Set(these.map((o) => o.sample.accent!.kind))];
  process.stdout.write(
    `  accented, ${boxed ? 'in a box' : 'no box'}: accent found ${fixed(share(these, accentFound))} (${kinds
      .map(
        (k) =>
          `${k} ${fixed(
            share(
              these.filter((o) => o.sample.accent!.kind === k),
              accentFound,
            ),
          )}`,
      )
      .join(', ')}), item top-1 ${fixed(share(these, top1))}; without accent regions: accent found ${fixed(
      share(these, (o) => o.withoutAccents.includes(o.sample.accent!.color)),
    )}\n`,
  );
}
// Metal (silver, gold) against the matte colours it is named as (white, yellow), under exposure changes.
for (const kind of ['metallic', 'matte'] as const) {
  const these = finished.filter((o) => o.sample.finish!.kind === kind);
  const colours = [...new Set(these.map((o) => o.sample.color))];
  process.stdout.write(
    `  ${kind}: ${colours
      .map((c) => {
        const own = these.filter((o) => o.sample.color === c);
        const named = new Map<string, number>();
        for (const o of own) named.set(o.names[0] ?? 'none', (named.get(o.names[0] ?? 'none') ?? 0) + 1);
        return `${c} top-1 ${own.filter(top1).length}/${own.length} (first named: ${[...named].map(([n, k]) => `${n} x${k}`).join(', ')})`;
      })
      .join('; ')}\n`,
  );
}
const byColour = new Map<string, Outcome[]>();
for (const o of item) byColour.set(o.sample.color, [...(byColour.get(o.sample.color) ?? []), o]);
process.stdout.write(
  `  item top-1 per colour: ${[...byColour].map(([c, os]) => `${c} ${os.filter(top1).length}/${os.length}`).join(', ')}\n`,
);
// Per shape: handles, holes and irregular outlines are where a region of background or of the outline's
// blend is taken for an accent, so precision is printed per shape (all scenes, names the item's or its accent's).
const shapes = [...new Set(samples.filter((s) => !s.frame && !s.metal && !s.open && !s.printed).map((s) => s.shape))];
process.stdout.write(
  `  colour precision per shape: ${shapes
    .map((shape) => {
      const these = [...item, ...salient, ...accented].filter((o) => o.sample.shape === shape);
      return `${shape} ${fixed(precision(these))} (without accent regions ${fixed(precision(these, (o) => o.withoutAccents))})`;
    })
    .join(', ')}\n`,
);
const confusions = new Map<string, number>();
for (const o of [...item, ...salient].filter((x) => !top1(x))) {
  const key = `${o.sample.boxGiven ? '' : '(no box) '}${o.sample.color}->${o.names[0] ?? 'none'}`;
  confusions.set(key, (confusions.get(key) ?? 0) + 1);
}
process.stdout.write(
  `  item confusions: ${[...confusions]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([k, n]) => `${k} x${n}`)
    .join(', ')}\n`,
);
process.stdout.write(
  `  itemColors CPU: ${(cpuMicros / 1000 / Math.max(1, item.length)).toFixed(2)} ms per call, salientObject ${(salientMicros / 1000 / Math.max(1, salient.length)).toFixed(2)} ms (${samples[0]?.image.width}x${samples[0]?.image.height} photos)\n`,
);
// The cost on real photo sizes: the labelled photos decoded as the detector stage decodes them, one central box each.
let photoMicros = 0;
let photoSalientMicros = 0;
let photoCount = 0;
/** dominantColors' CPU with the accents looked for on the palette's own 96-pixel thumbnail, and on ACCENT_SIDE's. */
const paletteMicros = { own: 0, larger: 0 };
const manifestFolder = path.dirname(path.resolve(manifestPath));
for (const file of only ? [] : (JSON.parse(readFileSync(manifestPath, 'utf8')) as Array<{ file: string }>).map((e) => e.file)) {
  const jpeg = await sharp(readFileSync(path.join(manifestFolder, file)))
    .rotate()
    .jpeg()
    .toBuffer();
  const decoded = await decodeImage(jpeg);
  // Alternated, so neither variant always runs on a warmer cache (process CPU: sharp's threads included).
  for (const variant of photoCount % 2 === 0 ? (['own', 'larger'] as const) : (['larger', 'own'] as const)) {
    const start = process.cpuUsage();
    await dominantColors(jpeg, variant === 'own' ? { accentSide: 96 } : {});
    const spent = process.cpuUsage(start);
    paletteMicros[variant] += spent.user + spent.system;
  }
  const before = process.cpuUsage();
  itemColors(decoded, { x: 0.2, y: 0.2, width: 0.6, height: 0.6 });
  const used = process.cpuUsage(before);
  photoMicros += used.user + used.system;
  const salientBefore = process.cpuUsage();
  salientObject(decoded);
  const salientUsed = process.cpuUsage(salientBefore);
  photoSalientMicros += salientUsed.user + salientUsed.system;
  photoCount++;
}
process.stdout.write(
  `  itemColors CPU on the ${photoCount} labelled photos at full size: ${(photoMicros / 1000 / photoCount).toFixed(2)} ms per box; salientObject ${(photoSalientMicros / 1000 / photoCount).toFixed(2)} ms per photo\n` +
    `  dominantColors CPU there (decode included): ${(paletteMicros.larger / 1000 / photoCount).toFixed(2)} ms per photo; with the accents on the palette's own 96-pixel thumbnail ${(paletteMicros.own / 1000 / photoCount).toFixed(2)} ms\n`,
);
process.stdout.write(
  `split=${split} method=item colour_accuracy_top1=${fixed(share(item, top1))} colour_agreement=${fixed(share(item, agrees))} colour_precision=${fixed(precision(item))} colour_precision_without_accents=${fixed(precision(item, (o) => o.withoutAccents))}\n`,
);
process.stdout.write(
  `split=${split} method=salient colour_accuracy_top1=${fixed(share(salient, top1))} colour_agreement=${fixed(share(salient, agrees))} colour_precision=${fixed(precision(salient))} colour_precision_without_accents=${fixed(precision(salient, (o) => o.withoutAccents))} no_colours=${salient.filter((o) => o.names.length === 0).length} published_colour_accuracy_top1=${fixed(share(salient.map(asPublished), top1))}\n`,
);
for (const [method, boxed] of [
  ['accent_item', true],
  ['accent_salient', false],
] as const) {
  const these = accented.filter((o) => o.sample.boxGiven === boxed);
  process.stdout.write(
    `split=${split} method=${method} accent_recall=${fixed(share(these, accentFound))} accent_recall_without_accents=${fixed(share(these, (o) => o.withoutAccents.includes(o.sample.accent!.color)))} colour_accuracy_top1=${fixed(share(these, top1))} colour_precision=${fixed(precision(these))} colour_precision_without_accents=${fixed(precision(these, (o) => o.withoutAccents))}\n`,
  );
}
process.stdout.write(
  `split=${split} method=finished colour_accuracy_top1=${fixed(share(finished, top1))} colour_agreement=${fixed(share(finished, agrees))} colour_precision=${fixed(precision(finished))}\n`,
);
// Frame-filling cards, pages and packages: the item is the whole rectangle; the patch inside it (a portrait,
// a logo) is its accent. Top-1 is the rectangle's own colour; the patch's first (the salient part) is the failure.
for (const [method, boxed] of [
  ['frame_salient', false],
  ['frame_item', true],
] as const) {
  const these = framed.filter((o) => o.sample.boxGiven === boxed);
  const patchFirst = share(these, (o) => o.names[0] === o.sample.accent!.color);
  process.stdout.write(
    `  frame-filling, ${boxed ? 'box about the frame' : 'no box'}: ${FRAME_KINDS.map(
      (k) =>
        `${k} top-1 ${these.filter((o) => o.sample.frame!.kind === k && top1(o)).length}/${these.filter((o) => o.sample.frame!.kind === k).length}`,
    ).join(', ')}; patch named first ${fixed(patchFirst)}; cover ${fixed(Math.min(...these.map((o) => o.sample.frame!.cover)))}-${fixed(
      Math.max(...these.map((o) => o.sample.frame!.cover)),
    )}\n`,
  );
  process.stdout.write(
    `split=${split} method=${method} colour_accuracy_top1=${fixed(share(these, top1))} colour_agreement=${fixed(share(these, agrees))} colour_precision=${fixed(precision(these))} accent_recall=${fixed(share(these, accentFound))} patch_first=${fixed(patchFirst)} ` +
      `no_colours=${these.filter((o) => o.names.length === 0).length} published_colour_accuracy_top1=${fixed(share(these.map(asPublished), top1))}\n`,
  );
}
// The aggregator's frame-filling document rule (libs/enrich, frame-document.ts) on the same scenes: where it
// fires, the item's colours are the whole photo's palette (dominantColors, as the fetcher measures it), main colour first. In the
// product its facts come from the other stages; here A HINT STANDS IN FOR OCR'S RECOGNITION: the generator
// knows a card or a page is a document and where its lines of print are, and passes them as the evidence the
// ocr stage would give (a recognised document type, the lines' boxes); a box about the frame, where one is
// given, stands for a document-like detector box. A package is no document: no hint, the rule leaves it.
const withRule = (o: Outcome, evidence: DocumentEvidence): Outcome =>
  documentFillingFrame(evidence)
    ? { ...o, names: documentPalette.get(o.sample.id) ?? [], withoutAccents: documentPaletteWithoutAccents.get(o.sample.id) ?? [] }
    : o;
const HINT_MODEL = 'colour-bench hint (stands in for OCR)';
const card = { item: 'card', model: HINT_MODEL, confidence: 1 };
for (const [method, boxed] of [
  ['frame_document_salient', false],
  ['frame_document_item', true],
] as const) {
  const before = framed.filter((o) => o.sample.boxGiven === boxed);
  const these = before.map((o) => {
    const kind = o.sample.frame!.kind;
    const named = kind === 'package' ? [] : [{ item: kind === 'card' ? 'card' : 'document', model: HINT_MODEL, confidence: 1 }];
    return withRule(o, {
      named,
      textLines: o.sample.frame!.textLines,
      documentBoxes: boxed ? named.map((n) => ({ ...n, box: o.sample.box })) : [],
    });
  });
  const fired = these.filter((o, i) => o !== before[i]).length;
  process.stdout.write(
    `  frame-filling with the document rule, ${boxed ? 'box about the frame' : 'no box'}: fires on ${fired}/${these.length}; ${FRAME_KINDS.map(
      (k) =>
        `${k} top-1 ${these.filter((o) => o.sample.frame!.kind === k && top1(o)).length}/${these.filter((o) => o.sample.frame!.kind === k).length}`,
    ).join(', ')}\n`,
  );
  process.stdout.write(
    `split=${split} method=${method} colour_accuracy_top1=${fixed(share(these, top1))} colour_agreement=${fixed(share(these, agrees))} colour_precision=${fixed(precision(these))} accent_recall=${fixed(share(these, accentFound))} patch_first=${fixed(share(these, (o) => o.names[0] === o.sample.accent!.color))} fired=${fired} ` +
      `no_colours=${these.filter((o) => o.names.length === 0).length} published_colour_accuracy_top1=${fixed(share(these.map(asPublished), top1))} ` +
      `without_frame_accents: colour_accuracy_top1=${fixed(share(these, (o) => o.withoutAccents[0] === o.sample.color))} colour_agreement=${fixed(share(these, (o) => o.withoutAccents.includes(o.sample.color)))} colour_precision=${fixed(precision(these, (o) => o.withoutAccents))}\n`,
  );
}
// The rule on the older scenes at its worst: each hinted a document (as if OCR had recognised a card) whose print
// reaches over the whole item (its exact box). It must fire only where the item fills the frame; where it fires,
// the palette replaces the item's colours. Without the hint (the product's case for every non-document) nothing changes.
for (const [method, outcomes] of [
  ['older_item_hinted', [...item, ...accented, ...finished].filter((o) => o.sample.boxGiven)],
  ['older_salient_hinted', [...salient, ...accented].filter((o) => !o.sample.boxGiven)],
] as const) {
  const these = outcomes.map((o) =>
    withRule(o, {
      named: [card],
      textLines: [o.sample.truthBox],
      documentBoxes: o.sample.boxGiven ? [{ ...card, box: o.sample.box }] : [],
    }),
  );
  const fired = these.filter((o, i) => o !== outcomes[i]);
  const firedBefore = outcomes.filter((o, i) => o !== these[i]);
  process.stdout.write(
    `split=${split} method=${method} fired=${fired.length}/${these.length} top1_where_fired_before=${fixed(share(firedBefore, top1))} top1_where_fired_after=${fixed(share(fired, top1))} colour_accuracy_top1_before=${fixed(share(outcomes, top1))} colour_accuracy_top1_after=${fixed(share(these, top1))}\n`,
  );
}
process.stdout.write(
  `split=${split} method=photo_palette colour_accuracy_top1=${fixed(share(boxedPhoto, top1))} colour_agreement=${fixed(share(boxedPhoto, agrees))} colour_precision=${fixed(precision(boxedPhoto))} ` +
    `without_frame_accents: colour_accuracy_top1=${fixed(share(boxedPhoto, (o) => o.withoutAccents[0] === o.sample.color))} colour_precision=${fixed(precision(boxedPhoto, (o) => o.withoutAccents))} ` +
    `palettes_changed=${photo.filter((o) => !o.sample.documentAccent && !o.sample.metal && o.names.join() !== o.withoutAccents.join()).length}/${photo.filter((o) => !o.sample.documentAccent && !o.sample.metal).length}\n`,
);
// Achromatic documents filling the frame (white, grey, black cards and pages with a muted portrait or a grey
// picture), with a small strong accent (a band along the top, a seal, two lines of coloured print) or none. The
// document rule fires on them (hinted as above: a card or a page whose print spans the frame), so their colours are
// the palette's; the palette's frame accents (frameAccents) are what should name the accent. A false accent: on a
// scene without one, a name the accent pass added.
const hinted = (o: Outcome) =>
  withRule(o, {
    named: [{ item: o.sample.frame!.kind === 'card' ? 'card' : 'document', model: HINT_MODEL, confidence: 1 }],
    textLines: o.sample.frame!.textLines,
    documentBoxes: [],
  });
const documentOutcomes = documents.map(hinted);
const thinPrintOutcomes = thinPrints.map(hinted);
const withAccent = documentOutcomes.filter((o) => o.sample.accent);
const withoutAccent = documentOutcomes.filter((o) => !o.sample.accent);
const falseAccent = (o: Outcome) => o.names.some((n) => !o.withoutAccents.includes(n));
process.stdout.write(
  `  documents with an accent, per kind: ${DOCUMENT_ACCENT_KINDS.filter((k) => k !== 'none')
    .map((k) => {
      const these = withAccent.filter((o) => o.sample.documentAccent!.kind === k);
      return `${k} ${these.filter(accentFound).length}/${these.length} (before ${these.filter((o) => o.withoutAccents.includes(o.sample.accent!.color)).length})`;
    })
    .join(', ')}; per accent colour: ${[...new Set(withAccent.map((o) => o.sample.accent!.color))]
    .map(
      (c) =>
        `${c} ${withAccent.filter((o) => o.sample.accent!.color === c && accentFound(o)).length}/${withAccent.filter((o) => o.sample.accent!.color === c).length}`,
    )
    .join(', ')}; false accents on: ${withoutAccent
    .filter(falseAccent)
    .map((o) => `${o.sample.id} (${o.names.filter((n) => !o.withoutAccents.includes(n)).join('+')})`)
    .join(', ')}\n`,
);
process.stdout.write(
  `split=${split} method=document_accent accent_recall=${fixed(share(withAccent, accentFound))} accent_recall_without_frame_accents=${fixed(share(withAccent, (o) => o.withoutAccents.includes(o.sample.accent!.color)))} ` +
    `false_accent_rate=${fixed(share(withoutAccent, falseAccent))} false_accent_rate_where_accented=${fixed(share(withAccent, (o) => o.names.some((n) => !o.withoutAccents.includes(n) && n !== o.sample.accent!.color)))} ` +
    `colour_accuracy_top1=${fixed(share(documentOutcomes, top1))} colour_agreement=${fixed(share(documentOutcomes, agrees))} colour_precision=${fixed(precision(documentOutcomes))} ` +
    `without_frame_accents: colour_accuracy_top1=${fixed(share(documentOutcomes, (o) => o.withoutAccents[0] === o.sample.color))} colour_precision=${fixed(precision(documentOutcomes, (o) => o.withoutAccents))}\n`,
);
// The same documents with two lines of thin coloured lettering instead (tools/colour-bench, thin-print): strokes the
// palette's 96-pixel thumbnail averages into the page, as a licence's or a card's coloured print in a phone photo.
process.stdout.write(
  `split=${split} method=document_thin_print accent_recall=${fixed(share(thinPrintOutcomes, accentFound))} ` +
    `accent_recall_without_frame_accents=${fixed(share(thinPrintOutcomes, (o) => o.withoutAccents.includes(o.sample.accent!.color)))} ` +
    `false_accent_rate_where_accented=${fixed(share(thinPrintOutcomes, (o) => o.names.some((n) => !o.withoutAccents.includes(n) && n !== o.sample.accent!.color)))} ` +
    `colour_accuracy_top1=${fixed(share(thinPrintOutcomes, top1))} scenes=${thinPrintOutcomes.length}\n`,
);
// Pages and cards with print and without (print-scenes.ts), scored on the palette as the document rule publishes it
// (documentColors): the print's colour among the names (recall), paper first (top-1), names that are the paper's or the
// print's (precision), and on paper with no print (plain, a picture only) a name the accent and print passes added.
{
  const these = prints.map((o) => ({
    ...o,
    names: documentPalette.get(o.sample.id) ?? [],
    withoutAccents: documentPaletteWithoutAccents.get(o.sample.id) ?? [],
  }));
  const inked = these.filter((o) => o.sample.printed!.ink);
  const printFound = (o: Outcome) => o.names.includes(o.sample.printed!.ink ?? '');
  const recallOf = (test: (o: Outcome) => boolean) =>
    `${inked.filter((o) => test(o) && printFound(o)).length}/${inked.filter(test).length}`;
  const blank = these.filter((o) => !o.sample.printed!.ink);
  const cards = these.filter((o) => o.sample.printed!.kind === 'card' || o.sample.printed!.kind === 'logo');
  const names = these.flatMap((o) => o.names.map((n) => n === o.sample.color || n === o.sample.printed!.ink));
  process.stdout.write(
    `  print: pages ${recallOf((o) => o.sample.printed!.kind === 'page')} (${[...new Set(inked.map((o) => o.sample.printed!.letter))]
      .filter((l) => inked.some((o) => o.sample.printed!.kind === 'page' && o.sample.printed!.letter === l))
      .map((l) => `letter ${l}px ${recallOf((o) => o.sample.printed!.kind === 'page' && o.sample.printed!.letter === l)}`)
      .join(', ')}), ${(['card', 'logo'] as const)
      .map(
        (kind) =>
          `${kind}s ${['blue', 'green', 'red']
            .map((ink) => `${ink} ${recallOf((o) => o.sample.printed!.kind === kind && o.sample.printed!.ink === ink)}`)
            .join(', ')}`,
      )
      .join('; ')}; black named on cards ${cards.filter((o) => o.names.includes('black')).length}/${cards.length}; palettes: ${these
      .map((o) => `${o.sample.id}=${o.names.join('+')}`)
      .join(' ')}\n`,
  );
  process.stdout.write(
    `split=${split} method=document_print print_recall=${fixed(share(inked, printFound))} ` +
      `false_print_rate=${fixed(share(blank, (o) => o.names.some((n) => !o.withoutAccents.includes(n))))} ` +
      `colour_accuracy_top1=${fixed(share(these, top1))} colour_precision=${fixed(names.length === 0 ? 0 : names.filter(Boolean).length / names.length)} ` +
      `scenes=${these.length}\n`,
  );
}
// Confusion tables (true colour -> first colour named) for the scenes with no box and the finished ones: where
// the misses gather (a name boundary, shading read as another name, background leaking in).
for (const [label, outcomes] of [
  ['salient (no box)', salient],
  ['finished', finished],
  ['metal, in a box', metals.filter((o) => o.sample.boxGiven)],
  ['metal, no box', metals.filter((o) => !o.sample.boxGiven)],
] as const) {
  const rows = new Map<string, Map<string, number>>();
  for (const o of outcomes) {
    const row = rows.get(o.sample.color) ?? new Map<string, number>();
    row.set(o.names[0] ?? 'none', (row.get(o.names[0] ?? 'none') ?? 0) + 1);
    rows.set(o.sample.color, row);
  }
  process.stdout.write(`  confusion, ${label} (true -> first named, misses marked *):\n`);
  for (const [colour, row] of [...rows].sort((a, b) => a[0].localeCompare(b[0]))) {
    process.stdout.write(
      `    ${colour}: ${[...row]
        .sort((a, b) => b[1] - a[1])
        .map(([n, k]) => `${n === colour ? '' : '*'}${n} x${k}`)
        .join(', ')}\n`,
    );
  }
}
// Metal (brushed, anodised: silver) against matte grey plastic, white enamel and grey fabric, boxed and not: silver
// recall (metal named silver first) and precision (of the scenes named silver first, the share that are metal).
for (const [method, boxed] of [
  ['metal_item', true],
  ['metal_salient', false],
] as const) {
  const these = metals.filter((o) => o.sample.boxGiven === boxed);
  const silverFirst = these.filter((o) => o.names[0] === 'silver');
  const metal = these.filter((o) => o.sample.color === 'silver');
  process.stdout.write(
    `  metal, ${boxed ? 'in a box' : 'no box'}: ${[...new Set(these.map((o) => o.sample.metal!.material))]
      .map(
        (m) =>
          `${m} top-1 ${these.filter((o) => o.sample.metal!.material === m && top1(o)).length}/${these.filter((o) => o.sample.metal!.material === m).length}`,
      )
      .join(', ')}\n`,
  );
  process.stdout.write(
    `split=${split} method=${method} colour_accuracy_top1=${fixed(share(these, top1))} colour_agreement=${fixed(share(these, agrees))} ` +
      `silver_recall=${fixed(share(metal, top1))} silver_precision=${fixed(share(silverFirst, (o) => o.sample.color === 'silver'))} ` +
      `counter_class_top1=${fixed(
        share(
          these.filter((o) => o.sample.color !== 'silver'),
          top1,
        ),
      )} no_colours=${these.filter((o) => o.names.length === 0).length}\n`,
  );
}
// Open items (frames, rods, rings, wire outlines, rims round a black or white face; on photos and plain walls; some
// held by a hand), boxed and not: the item's colour first (top-1) and among those returned (agreement); precision
// counts the item's colour and its face's as right.
for (const [method, boxed] of [
  ['open_item', true],
  ['open_salient', false],
] as const) {
  const these = opens.filter((o) => o.sample.boxGiven === boxed);
  const right = (o: Outcome) => o.names.filter((n) => n === o.sample.color || n === o.sample.open?.face);
  const returned = these.reduce((n, o) => n + o.names.length, 0);
  process.stdout.write(
    `  open, ${boxed ? 'in a box' : 'no box'}: ${[...new Set(these.map((o) => o.sample.shape))]
      .map(
        (shape) =>
          `${shape} ${these.filter((o) => o.sample.shape === shape && agrees(o)).length}/${these.filter((o) => o.sample.shape === shape).length}`,
      )
      .join(
        ', ',
      )}; hand ${these.filter((o) => o.sample.open!.hand && agrees(o)).length}/${these.filter((o) => o.sample.open!.hand).length}, plain wall ${
      these.filter((o) => o.sample.open!.ground === 'plain' && agrees(o)).length
    }/${these.filter((o) => o.sample.open!.ground === 'plain').length} (agreement)\n`,
  );
  process.stdout.write(
    `split=${split} method=${method} colour_accuracy_top1=${fixed(share(these, top1))} colour_agreement=${fixed(share(these, agrees))} ` +
      `colour_precision=${fixed(returned === 0 ? 0 : these.reduce((n, o) => n + right(o).length, 0) / returned)} no_colours=${these.filter((o) => o.names.length === 0).length} scenes=${these.length}\n`,
  );
}
// Same-ground items (a phone-like slab with a thin contrasting rim, held in a hand over a wall of its own colour),
// boxed and not: the face's colour first (top-1) and among those returned (agreement); what is named first instead.
for (const [method, boxed] of [
  ['same_ground_item', true],
  ['same_ground_salient', false],
] as const) {
  const these = sameGrounds.filter((o) => o.sample.boxGiven === boxed);
  const instead = new Map<string, number>();
  for (const o of these.filter((x) => !top1(x))) {
    const first = o.names[0] ?? 'none';
    const why = first === o.sample.sameGround!.rim ? `${first} (rim)` : first;
    instead.set(why, (instead.get(why) ?? 0) + 1);
  }
  process.stdout.write(
    `split=${split} method=${method} colour_accuracy_top1=${fixed(share(these, top1))} colour_agreement=${fixed(share(these, agrees))} ` +
      `no_colours=${these.filter((o) => o.names.length === 0).length} scenes=${these.length} first_named_instead=${
        [...instead].map(([n, k]) => `${n}x${k}`).join(',') || '-'
      }\n`,
  );
}
// Metal rims (a dark face with a thin metal rim or a bezel touching the box; tools/colour-bench/metal-rims.ts): the face's
// colour first (top-1), the rim's silver among the colours where there is one (rim_recall), and silver named where
// there is none (a bare dark slab on a light table: false_silver).
{
  const rimmed = metalRims.filter((o) => o.sample.metalRim!.rim);
  const bare = metalRims.filter((o) => !o.sample.metalRim!.rim);
  const silver = (o: Outcome) => o.names.includes('silver');
  process.stdout.write(
    `split=${split} method=metal_rim colour_accuracy_top1=${fixed(share(metalRims, top1))} rim_recall=${fixed(share(rimmed, silver))} ` +
      `false_silver=${fixed(share(bare, silver))} per_kind=${[...new Set(rimmed.map((o) => o.sample.shape))]
        .map(
          (k) =>
            `${k}:${rimmed.filter((o) => o.sample.shape === k && silver(o)).length}/${rimmed.filter((o) => o.sample.shape === k).length}`,
        )
        .join(',')} scenes=${metalRims.length}\n`,
  );
}
// Plain items under a coloured or dim light (tools/colour-bench/light.ts), boxed and not: top-1 per light, on white items
// (the failure: a white read blue, grey or navy) and on the others (light blue, beige, silver, grey: what a correction
// must not turn white), and on the darkened ground where nothing in the frame is white.
for (const [method, boxed] of [
  ['light_item', true],
  ['light_salient', false],
] as const) {
  const these = lights.filter((o) => o.sample.boxGiven === boxed);
  const white = these.filter((o) => o.sample.color === 'white');
  const others = these.filter((o) => o.sample.color !== 'white');
  const instead = new Map<string, number>();
  for (const o of these.filter((x) => !top1(x))) {
    const key = `${o.sample.id
      .replace(/^.*?-light-/, '')
      .replace(/-\d+$/, '')
      .replace(/^(\S+?)-(photo|dim)-(unboxed-)?/, '$1:')}->${o.names[0] ?? 'none'}`;
    instead.set(key, (instead.get(key) ?? 0) + 1);
  }
  process.stdout.write(
    `  light, ${boxed ? 'in a box' : 'no box'}: ${[...new Set(these.map((o) => o.sample.lit!.light.name))]
      .map((name) => {
        const lit = these.filter((o) => o.sample.lit!.light.name === name);
        return `${name} ${lit.filter(top1).length}/${lit.length}`;
      })
      .join(', ')}; misses: ${[...instead].map(([k, n]) => `${k} x${n}`).join(', ') || '-'}\n`,
  );
  process.stdout.write(
    `split=${split} method=${method} colour_accuracy_top1=${fixed(share(these, top1))} colour_agreement=${fixed(share(these, agrees))} ` +
      `white_top1=${fixed(share(white, top1))} others_top1=${fixed(share(others, top1))} ` +
      `neutral_light_top1=${fixed(
        share(
          these.filter((o) => o.sample.lit!.light.name === 'neutral'),
          top1,
        ),
      )} ` +
      `dim_ground_top1=${fixed(
        share(
          these.filter((o) => o.sample.lit!.ground === 'dim'),
          top1,
        ),
      )} no_colours=${these.filter((o) => o.names.length === 0).length} scenes=${these.length}\n`,
  );
}
