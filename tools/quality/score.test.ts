import { describe, expect, it } from 'vitest';
import type { PostEnhancedEvent, ProcessingErrorEvent, TagGrade, TagTier } from '@media-ai/contracts';
import type { LabelledPhoto } from '@media-ai/contracts/test-support';
import { personalValuesPublished } from './personal-values.js';
import { publishableWords, scorePhoto, tokens, totals, words, type PhotoScore } from './score.js';

/** Only the fields scorePhoto reads; the rest of a post.enhanced does not matter to it. */
function enhancedEvent(parts: {
  objects?: string[];
  tags?: Array<[string, TagTier]>;
  colors?: string[];
  text?: string[];
}): PostEnhancedEvent {
  const tagGrades: TagGrade[] = (parts.tags ?? []).map(([tag, tier]) => ({
    tag,
    tier,
    category: 'object',
    confidence: 0.8,
    sources: ['detector'],
    evidence: [],
  }));
  return {
    id: 'e',
    event_type: 'post.enhanced',
    timestamp: '2026-01-01T00:00:00.000Z',
    version: 1,
    data: {
      tag_grades: tagGrades,
      enhanced_metadata: {
        tags: [],
        attributes: {
          objects: (parts.objects ?? []).map((name) => ({ name, confidence: 0.8 })),
          colors: (parts.colors ?? []).map((color_name) => ({ color_name, hex_code: '#000000', confidence: 0.8, dominant: false })),
          text_content: (parts.text ?? []).map((text) => ({ text, confidence: 0.9 })),
        },
        enhancement_summary: { changes_made: [], improvement_areas: [] },
      },
    },
  } as unknown as PostEnhancedEvent;
}

const label = (over: Partial<LabelledPhoto>): LabelledPhoto => ({
  file: 'photo.jpg',
  objects: [],
  items: [],
  text: [],
  colors: [],
  ...over,
});

describe('words', () => {
  it('compares text as lower-case letter and digit runs, ignoring punctuation and compatibility forms', () => {
    expect(words('Spark context Web UI: http://rally1.fyre.ibm.com:4040')).toEqual([
      'spark',
      'context',
      'web',
      'ui',
      'http',
      'rally1',
      'fyre',
      'ibm',
      'com',
      '4040',
    ]);
    expect(words('ＶＡＲＴＡ  High-Energy')).toEqual(['varta', 'high', 'energy']);
    expect(words('feb. 2020 — Größe')).toEqual(['feb', '2020', 'größe']);
    expect(words(' ,.;')).toEqual([]);
  });
});

describe('tokens', () => {
  it('splits on whitespace only, lower-cases and trims the punctuation at the edges', () => {
    expect(tokens('Paddington, London, W2 6BD')).toEqual(['paddington', 'london', 'w2', '6bd']);
    expect(tokens('NE Redmond,WA98052 (master')).toEqual(['ne', 'redmond,wa98052', 'master']);
    expect(tokens(' — ')).toEqual([]);
  });
});

describe('scorePhoto: words with their spaces', () => {
  it('counts a labelled word for exact word recall only as a whole published token', () => {
    const labelled = label({ text: ['Quick Start', 'HIGH ENERGY'] });
    const glued = scorePhoto(labelled, enhancedEvent({ text: ['QuickStart', 'HIGH ENERGY'] }));
    expect(glued.exactWords).toEqual({ found: 2, expected: 4 });
    expect(glued.tokens).toEqual({ published: 3, glued: ['QuickStart'] });
    // Text recall, over letter runs, misses the glued words too; punctuation glue ("Redmond,WA") only exact words see.
    expect(glued.text).toEqual({ found: 2, expected: 4 });
    const spaced = scorePhoto(labelled, enhancedEvent({ text: ['Quick Start', 'HIGH ENERGY'] }));
    expect(spaced.exactWords).toEqual({ found: 4, expected: 4 });
    expect(spaced.tokens).toEqual({ published: 4, glued: [] });
  });

  it('leaves out of exact word recall what the redaction withholds, as text recall does', () => {
    const score = scorePhoto(
      label({ text: ['avery.smith@contoso.com', 'Senior Researcher'] }),
      enhancedEvent({ text: ['[EMAIL]', 'Senior Researcher'] }),
    );
    expect(score.exactWords).toEqual({ found: 2, expected: 2 });
  });
});

describe('scorePhoto', () => {
  it('matches labels and outputs through the shared vocabulary (cell phone = phone, grey = gray)', () => {
    const score = scorePhoto(
      label({ objects: ['cell phone', 'person'], items: ['phone'], colors: ['grey', 'black'] }),
      enhancedEvent({ objects: ['phone', 'person'], colors: ['gray'] }),
    );

    expect(score.objects).toEqual({ found: 2, expected: 2 });
    expect(score.items).toEqual({ found: 1, expected: 1 });
    expect(score.colors).toEqual({ found: 1, expected: 2 });
    expect([score.colorTop1, score.colorNames]).toEqual([{ found: 1, expected: 1 }, ['gray']]);
    expect(score.missed).toEqual({ objects: [], items: [], colors: ['black'], words: [] });
  });

  it('colour precision: labelled colours among the published ones, only where colours are labelled', () => {
    const labelled = scorePhoto(label({ colors: ['grey'] }), enhancedEvent({ colors: ['gray', 'brown', 'white'] }));
    expect(labelled.colorPrecision).toEqual({ found: 1, expected: 3 });
    const unlabelled = scorePhoto(label({ colors: [] }), enhancedEvent({ colors: ['gray', 'brown'] }));
    expect(unlabelled.colorPrecision).toEqual({ found: 0, expected: 0 });
  });

  it('finds items among objects and graded tags, but not among tags graded low', () => {
    const score = scorePhoto(
      label({ items: ['laptop', 'power bank', 'batteries'] }),
      enhancedEvent({
        objects: ['notebook'],
        tags: [
          ['power bank', 'human_review'],
          ['batteries', 'low'],
        ],
      }),
    );

    expect(score.items).toEqual({ found: 2, expected: 3 });
    expect(score.missed.items).toEqual(['batteries']);
    // Objects are only what the detector published, never tags.
    expect(score.objects).toEqual({ found: 0, expected: 0 });
  });

  it('counts each labelled word once; personal data the service redacts is missed only among all words', () => {
    const score = scorePhoto(
      label({ text: ['VARTA', 'HIGH ENERGY', 'varta'], items: [] }),
      enhancedEvent({ text: ['high energy', '[NAME] varta!'] }),
    );
    expect(score.text).toEqual({ found: 3, expected: 3 });
    expect(score.textAllWords).toEqual({ found: 3, expected: 3 });

    const card = ['Contoso', 'Senior Researcher', 'mob: +44 (0) 7911 123456'];
    const redacted = scorePhoto(label({ text: card }), enhancedEvent({ text: ['Contoso', 'Senior Researcher', 'mob: [PHONE]'] }));
    // The phone number is withheld on purpose: not an OCR miss, but downstream does not get it.
    expect(redacted.text).toEqual({ found: 4, expected: 4 });
    expect(redacted.textAllWords).toEqual({ found: 4, expected: 8 });
    expect(redacted.missed.words).toEqual([]);
  });

  it('scores words of two characters or more: a lone letter or digit counts only among all words', () => {
    const score = scorePhoto(label({ text: ['L M X 12', 'AT&T'] }), enhancedEvent({ text: ['12'] }));
    expect(score.text).toEqual({ found: 1, expected: 2 });
    expect(score.textAllWords).toEqual({ found: 1, expected: 6 });
    expect(score.missed.words).toEqual(['at']);
  });

  it('takes the publishable words of a label from the service’s own redaction', () => {
    expect([...publishableWords(['mob: +44 (0) 7911 123456', 'avery.smith@contoso.com', 'Contoso'])].sort()).toEqual(['contoso', 'mob']);
  });

  it('scores a missing enrichment or a processing.error as nothing found', () => {
    const labelled = label({ objects: ['cup'], items: ['cup'], text: ['menu'], colors: ['white'] });
    const error = { event_type: 'processing.error', data: { post_id: 'p' } } as unknown as ProcessingErrorEvent;

    for (const event of [null, error]) {
      const score = scorePhoto(labelled, event);
      expect([score.objects, score.items, score.text, score.colors]).toEqual([
        { found: 0, expected: 1 },
        { found: 0, expected: 1 },
        { found: 0, expected: 1 },
        { found: 0, expected: 1 },
      ]);
      expect(score.missed).toEqual({ objects: ['cup'], items: ['cup'], colors: ['white'], words: ['menu'] });
    }
  });

  it('has nothing to find where nothing is labelled, whatever the event says', () => {
    const score = scorePhoto(label({ file: 'taxis.jpg' }), enhancedEvent({ objects: ['car'], colors: ['yellow'], text: ['TAXI'] }));
    expect(score).toEqual({
      file: 'taxis.jpg',
      objects: { found: 0, expected: 0 },
      items: { found: 0, expected: 0 },
      text: { found: 0, expected: 0 },
      colors: { found: 0, expected: 0 },
      colorTop1: { found: 0, expected: 0 },
      colorPrecision: { found: 0, expected: 0 },
      colorNames: ['yellow'],
      textAllWords: { found: 0, expected: 0 },
      exactWords: { found: 0, expected: 0 },
      tokens: { published: 1, glued: [] },
      missed: { objects: [], items: [], colors: [], words: [] },
      falseObjects: ['car'],
      unmatchedLines: 1,
      garbageLines: 1,
      tags: [],
      personal: [],
    });
  });

  it('names published objects nobody labelled, once each, and lines that share no labelled word', () => {
    const score = scorePhoto(
      label({ objects: ['cell phone'], items: ['power bank'], text: ['VARTA'] }),
      enhancedEvent({ objects: ['phone', 'airplane', 'airplane', 'power bank'], text: ['VARTA high', 'xx 7'] }),
    );
    expect(score.falseObjects).toEqual(['airplane']);
    expect(score.unmatchedLines).toBe(1);
    // The photo has labelled text, so an unmatched line is a misreading, not garbage on a text-free photo.
    expect(score.garbageLines).toBe(0);
  });

  it('judges tags by category against the labels, and leaves scenes unjudged', () => {
    const event = enhancedEvent({});
    event.data.tag_grades = [
      { tag: 'phone', category: 'object', confidence: 0.9, tier: 'auto_apply', sources: ['detector'], evidence: [] },
      { tag: 'airplane', category: 'object', confidence: 0.6, tier: 'human_review', sources: ['detector'], evidence: [] },
      { tag: 'grey', category: 'color', confidence: 0.8, tier: 'suggest', sources: ['color_analysis'], evidence: [] },
      { tag: 'varta', category: 'brand', confidence: 0.9, tier: 'auto_apply', sources: ['ocr'], evidence: [] },
      { tag: 'apple', category: 'brand', confidence: 0.7, tier: 'suggest', sources: ['llm'], evidence: [] },
      { tag: 'high energy', category: 'text', confidence: 0.7, tier: 'suggest', sources: ['ocr'], evidence: [] },
      { tag: 'office', category: 'scene', confidence: 0.7, tier: 'suggest', sources: ['llm'], evidence: [] },
    ];
    const score = scorePhoto(label({ objects: ['cell phone'], colors: ['gray'], text: ['VARTA', 'HIGH ENERGY'] }), event);
    expect(score.tags.map((t) => [t.tag, t.right])).toEqual([
      ['phone', true],
      ['airplane', false],
      ['grey', true],
      ['varta', true],
      ['apple', false],
      ['high energy', true],
      ['office', null],
    ]);
  });
});

describe('totals', () => {
  const score = (
    file: string,
    objects: [number, number],
    items: [number, number],
    text: [number, number],
    colors: [number, number],
  ): PhotoScore => ({
    file,
    objects: { found: objects[0], expected: objects[1] },
    items: { found: items[0], expected: items[1] },
    text: { found: text[0], expected: text[1] },
    colors: { found: colors[0], expected: colors[1] },
    colorTop1: { found: colors[0] > 0 ? 1 : 0, expected: colors[1] > 0 ? 1 : 0 },
    colorPrecision: { found: colors[0], expected: colors[1] > 0 ? colors[0] + 1 : 0 },
    colorNames: [],
    textAllWords: { found: text[0], expected: text[1] + 1 },
    exactWords: { found: text[0], expected: text[1] + 2 },
    tokens: { published: 10, glued: file === 'a' ? ['driverlicense'] : [] },
    missed: { objects: [], items: [], colors: [], words: [] },
    falseObjects: file === 'b' ? ['airplane'] : [],
    unmatchedLines: 2,
    garbageLines: file === 'b' ? 2 : 0,
    tags: [],
    personal: file === 'b' ? ['TALBOT'] : [],
  });

  it('micro-averages: a photo with more labels weighs more', () => {
    const t = totals([score('a', [1, 1], [0, 1], [9, 10], [1, 2]), score('b', [0, 3], [1, 1], [0, 0], [0, 2])]);
    expect(t.object_recall).toBeCloseTo(1 / 4);
    expect(t.item_recall).toBeCloseTo(1 / 2);
    expect(t.text_recall).toBeCloseTo(9 / 10);
    expect(t.text_recall_all_words).toBeCloseTo(9 / 12);
    expect(t.exact_word_recall).toBeCloseTo(9 / 14);
    expect(t.glued_token_share).toBeCloseTo(1 / 20);
    expect(t.color_agreement).toBeCloseTo(1 / 4);
    expect(t.colour_accuracy_top1).toBeCloseTo(1 / 2);
    expect(t.colour_precision).toBeCloseTo(1 / 3);
    expect([t.false_objects, t.garbage_lines, t.personal_values_published]).toEqual([1, 2, 1]);
  });

  it('is 1 where nothing was expected (no photos, or no labels of that kind)', () => {
    expect(totals([])).toEqual({
      object_recall: 1,
      item_recall: 1,
      text_recall: 1,
      text_recall_all_words: 1,
      exact_word_recall: 1,
      glued_token_share: 0,
      color_agreement: 1,
      colour_accuracy_top1: 1,
      colour_precision: 1,
      false_objects: 0,
      garbage_lines: 0,
      personal_values_published: 0,
    });
    expect(totals([score('a', [0, 0], [0, 2], [0, 0], [0, 0])])).toMatchObject({
      object_recall: 1,
      item_recall: 0,
      text_recall: 1,
      color_agreement: 1,
    });
  });
});

describe('personalValuesPublished', () => {
  it("finds a document's personal values in any string of what was published, case-insensitively", () => {
    const published = { data: { original_post: { title: 'found licence' }, tags: [{ tag: 'talbot' }], text: ['DL WDLABCD456DG'] } };
    expect(personalValuesPublished('id_driver_license_specimen_wa.jpg', published)).toEqual(['WDLABCD456DG', 'TALBOT']);
    expect(personalValuesPublished('id_driver_license_specimen_wa.jpg', { data: { text: ['FEDERAL LIMITS APPLY', '[NAME]'] } })).toEqual(
      [],
    );
  });

  it('skips ids, hashes and timestamps, which hold digits by chance, and photos without known values', () => {
    const published = {
      id: '1958a3c2-7911-4e57-9a0c-5d2e7b4f1a36',
      hash: '1958'.repeat(16),
      timestamp: '2026-01-06T19:58:00.000Z',
    };
    expect(personalValuesPublished('id_driver_license_specimen_wa.jpg', published)).toEqual([]);
    expect(personalValuesPublished('coffee_cup_saucer.jpg', { text: ['BROWN'] })).toEqual([]);
  });
});
