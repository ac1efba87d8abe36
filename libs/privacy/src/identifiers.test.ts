import { describe, expect, it } from 'vitest';
import { hashIdentifier, identifierKeyId } from './hash-identifier.js';
import { extractIdentifiers, maskIdentifiers, maskIdentifierValues, normaliseIdentifier } from './identifiers.js';
import { redactPersonalData } from './redact.js';

const KEY = Buffer.alloc(32, 1);

describe('extractIdentifiers (a post title and description)', () => {
  it('finds IMEIs, serials and document numbers people write', () => {
    expect(extractIdentifiers('lost my iPhone, IMEI 35 209900 176148 1')).toEqual([{ kind: 'imei', value: '352099001761481' }]);
    expect(extractIdentifiers('MacBook Pro, serial C02XK0ABJGH5, silver')).toEqual([{ kind: 'serial_number', value: 'C02XK0ABJGH5' }]);
    expect(extractIdentifiers('lost my passport no. X1234567 near the station')).toEqual([{ kind: 'document_number', value: 'X1234567' }]);
    expect(extractIdentifiers('Numéro de série : 4CE0460D0G')).toEqual([{ kind: 'serial_number', value: '4CE0460D0G' }]);
    expect(extractIdentifiers('Seriennummer ist AB-1234-CD')).toEqual([{ kind: 'serial_number', value: 'AB1234CD' }]);
    expect(extractIdentifiers('found a phone, 490154203237518 on the tray')).toEqual([{ kind: 'imei', value: '490154203237518' }]);
  });

  it('finds nothing in ordinary text', () => {
    for (const text of [
      'Black wallet lost near Central Park',
      'The serial killer film',
      'iPhone 12 Pro Max 256GB',
      'app id = local-1531752157593',
      '',
    ]) {
      expect(extractIdentifiers(text)).toEqual([]);
    }
  });
});

describe('maskIdentifiers (a post title or description echoed)', () => {
  it('writes the placeholder of each kind where an identifier was, keeps the label and everything else', () => {
    const masked = maskIdentifiers('Lost iPhone 12, IMEI 35 209900 176148 1, serial C02XK0ABJGH5. Passport no. X1234567 inside.');
    expect(masked.text).toBe('Lost iPhone 12, IMEI [IMEI], serial [SERIAL]. Passport no. [ID] inside.');
    expect(masked.identifiers).toEqual([
      { kind: 'imei', value: '352099001761481' },
      { kind: 'serial_number', value: 'C02XK0ABJGH5' },
      { kind: 'document_number', value: 'X1234567' },
    ]);
  });

  it('masks bare Luhn numbers (an IMEI, a card) and finds the same identifiers as extractIdentifiers', () => {
    const text = 'found a phone, 490154203237518 on the tray, and a card 4111 1111 1111 1111';
    expect(maskIdentifiers(text)).toEqual({
      text: 'found a phone, [IMEI] on the tray, and a card [CARD]',
      identifiers: extractIdentifiers(text),
    });
  });

  it('leaves text without identifiers as it is, and never throws', () => {
    expect(maskIdentifiers('The serial killer film, iPhone 12 Pro Max 256GB')).toEqual({
      text: 'The serial killer film, iPhone 12 Pro Max 256GB',
      identifiers: [],
    });
    expect(maskIdentifiers(undefined as unknown as string)).toEqual({ text: '', identifiers: [] });
  });
});

describe('maskIdentifierValues (a value found in one place, written again elsewhere)', () => {
  const serial = { kind: 'serial_number' as const, value: 'C02XK0ABJGH5' };
  const imei = { kind: 'imei' as const, value: '352099001761481' };

  it('masks the value however it is written: separators, case, O for 0 and I or l for 1', () => {
    expect(maskIdentifierValues('C02XK0ABJGH5', [serial])).toBe('[SERIAL]');
    expect(maskIdentifierValues('back: CO2X-KOAB-JGH5 (engraved)', [serial])).toBe('back: [SERIAL] (engraved)');
    expect(maskIdentifierValues('c02xk0abjgh5', [serial])).toBe('[SERIAL]');
    expect(maskIdentifierValues('35 209900 176148 1 and 35-209900-176148-9', [imei])).toBe('[IMEI] and [IMEI]');
    expect(maskIdentifierValues('passport ZE OOO5O9', [{ kind: 'document_number', value: 'ZE000509' }])).toBe('passport [ID]');
    expect(maskIdentifierValues('4111 1111 1111 1111', [{ kind: 'card_number', value: '4111111111111111' }])).toBe('[CARD]');
  });

  it('touches nothing else: other values, a value inside a longer token, ordinary text', () => {
    expect(maskIdentifierValues('C02XK0ABJGH6', [serial])).toBe('C02XK0ABJGH6');
    expect(maskIdentifierValues('XC02XK0ABJGH5', [serial])).toBe('XC02XK0ABJGH5');
    expect(maskIdentifierValues('Model KX-200, made in Japan', [serial, imei])).toBe('Model KX-200, made in Japan');
    expect(maskIdentifierValues('anything', [])).toBe('anything');
  });
});

describe('normalisation', () => {
  it('folds O to 0 and I or l to 1 in serials and document numbers, and nothing else', () => {
    expect(normaliseIdentifier('serial_number', 'c02xkoabjgh5')).toBe('C02XK0ABJGH5');
    expect(normaliseIdentifier('serial_number', 'C02XK0ABJGH5')).toBe('C02XK0ABJGH5');
    expect(normaliseIdentifier('document_number', 'ZE OOO5O9')).toBe('ZE000509');
    expect(normaliseIdentifier('serial_number', 'SN5B8Z2')).toBe('SN5B8Z2');
    expect(normaliseIdentifier('serial_number', 'ABCD')).toBeNull();
  });

  it('gives an IMEI written without, with or with a misread check digit, or as IMEISV, one value', () => {
    for (const raw of ['35209900176148', '352099001761481', '352099001761489', '35-209900-176148-1', '3520990017614801']) {
      expect(normaliseIdentifier('imei', raw)).toBe('352099001761481');
    }
  });
});

describe('hashIdentifier', () => {
  it('is HMAC-SHA256 over kind:value with the key, with the last four characters', () => {
    // Reference values from `openssl dgst -sha256 -mac HMAC -macopt hexkey:0101...01` (32 bytes).
    expect(hashIdentifier({ kind: 'imei', value: '352099001761481' }, KEY)).toEqual({
      kind: 'imei',
      hash: '3916a2b207829eb99824d7fad94a942a677d0e4c57542220756ca46544b4496c',
      last4: '1481',
    });
    expect(hashIdentifier({ kind: 'serial_number', value: 'C02XK0ABJGH5' }, KEY).hash).toBe(
      '50d13b74616766d0b7428d33a4e2077c52a551c0b6e631df92b61e20afe08c4f',
    );
  });

  it('gives a lost post and a found photo of the same identifier the same hash', () => {
    const post = extractIdentifiers('Lost: black iPhone 12, IMEI 35 209900 176148 1, serial c02xkoabjgh5');
    const photo = redactPersonalData('Model: iPhone 12\nS/N: C02XK0ABJGH5\nIMEI: 35-209900-176148-1').identifiers;
    const hashes = (ids: typeof post): string[] => ids.map((id) => hashIdentifier(id, KEY).hash).sort();
    expect(hashes(photo)).toEqual(hashes(post));
    expect(hashes(post)).toHaveLength(2);
  });

  it('depends on the key, and refuses a missing or short key', () => {
    const id = { kind: 'document_number' as const, value: 'ZE000509' };
    expect(hashIdentifier(id, KEY).hash).not.toBe(hashIdentifier(id, Buffer.alloc(32, 2)).hash);
    expect(() => hashIdentifier(id, Buffer.alloc(8))).toThrow(RangeError);
    expect(() => hashIdentifier(id, undefined as unknown as Buffer)).toThrow(RangeError);
  });

  it('names a key by 8 hex characters that differ between keys and say nothing of the key', () => {
    expect(identifierKeyId(KEY)).toMatch(/^[0-9a-f]{8}$/);
    expect(identifierKeyId(KEY)).toBe(identifierKeyId(Buffer.alloc(32, 1)));
    expect(identifierKeyId(KEY)).not.toBe(identifierKeyId(Buffer.alloc(32, 2)));
    expect(() => identifierKeyId(Buffer.alloc(8))).toThrow(RangeError);
  });

  it('never returns more of the value than its last four characters', () => {
    const hashed = hashIdentifier({ kind: 'card_number', value: '4111111111111111' }, KEY);
    expect(JSON.stringify(hashed)).not.toContain('41111111');
    expect(hashed.last4).toBe('1111');
  });
});
