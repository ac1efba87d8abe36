import { LOST_AND_FOUND_ITEMS } from '@media-ai/contracts';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_TYPES, REDACTION_POLICIES } from './document-types.js';
import { recogniseDocument } from './recognise-document.js';

describe('document types', () => {
  it('are items of the one taxonomy, finer kinds of document and card, each with a policy', () => {
    for (const type of DOCUMENT_TYPES) {
      const item = LOST_AND_FOUND_ITEMS.find((i) => i.tag === type);
      expect(item, type).toBeDefined();
      expect(['document', 'card']).toContain(item!.kindOf);
      expect(REDACTION_POLICIES[type]).toBeDefined();
    }
  });
});

describe('recogniseDocument', () => {
  it.each<[string, string, string | undefined]>([
    ['passport', 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10', undefined],
    ['national id', 'I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<', undefined],
    ['passport', 'REISEPASS / PASSPORT / PASSEPORT\nName/Surname/Nom', undefined],
    ['national id', "CARTE NATIONALE D'IDENTITÉ\nNom: MARTIN", undefined],
    ['driving licence', 'PERMIS DE CONDUIRE\n1. MARTIN', undefined],
    ['driving licence', '1 TALBOT\nFEDERAL LIMITS APPLY', 'MYWASHINGTON DRWERLICENSE'],
    ['residence permit', 'TITRE DE SÉJOUR\nNom DUPONT', undefined],
    ['payment card', '5555 5555 5555 4444\nVALID THRU 09/28', undefined],
    ['health insurance card', 'BLUE CROSS BLUE SHIELD\nMember ID XYZ123456789\nRx BIN 004336', undefined],
    ['business card', 'Avery Smith\nSenior Researcher\navery.smith@contoso.com\n+44 20 7946 0958', undefined],
    ['luggage tag', 'IF FOUND PLEASE RETURN TO\nChris Smith', undefined],
    ['luggage tag', 'NAME\nChris Smith\nADDRESS\n12 Elm Street\nPHONE\n+1 206 555 0100', undefined],
    // A passenger label over the name beside a labelled home address, each label alone on its line (privacy-rules-16).
    [
      'luggage tag',
      'PASSAGEIRO\nHELENA DALILA MOREIRA\nENDERECO\n4288 Rua Laura,95983-406 Karla do Norte\nCELULAR\n(30)0704-8314\nE-MAIL\nhelena_moreira@hotmail.com',
      undefined,
    ],
    [
      'luggage tag',
      'PASAJERO\nTERESA APARICIO\nDOMICILIO\nCuesta Federico 3, 26796 Ciudad Real\nMOVIL\n983813255\nCORREO\nteresa@hotmail.com',
      undefined,
    ],
    ['boarding pass', 'BOARDING PASS\nGATE B32 SEAT 23A', undefined],
    ['prescription label', 'Rx# 6543210\nTake 1 tablet by mouth twice daily\nRefills: 0', undefined],
    ['badge', 'STAFF ID\nUniversity Hospital', undefined],
  ])('recognises a %s', (type, text, context) => {
    const document = recogniseDocument(text, context);
    expect(document?.type).toBe(type);
    expect(document!.confidence).toBeGreaterThanOrEqual(0.6);
    expect(document!.confidence).toBeLessThanOrEqual(1);
    expect(document!.evidence.length).toBeGreaterThan(0);
  });

  it('says an MRZ with valid check digits makes a passport near certain, a broken one less so', () => {
    const good = recogniseDocument('P<CANBROWN<<HOLLIE<<<<<<<<<<<<<<<<<<<<<<<<<<\nZE000509<9CAN8501019F2301147<<<<<<<<<<<<<<08');
    const broken = recogniseDocument('P<CANBROWN<<HOLLIE<<<<<<<<<<<<<<<<<<<<<<<<<<\nZE000509<8CAN8501019F2301147<<<<<<<<<<<<<<08');
    expect(good).toMatchObject({ type: 'passport' });
    expect(good!.confidence).toBeGreaterThanOrEqual(0.98);
    expect(broken?.type).toBe('passport');
    expect(broken!.confidence).toBeLessThan(good!.confidence);
  });

  it('recognises a type from the fields it labels, without its title (any layout, any of the languages)', () => {
    expect(recogniseDocument('Patient: Anna Kowalski\nPrescriber: Tomasz Nowak\nAmoxicillin 500 mg capsules')?.type).toBe(
      'prescription label',
    );
    expect(recogniseDocument('PASAJERO: GARCIA/LUCIA\nBOOKING REF: X7K2PQ\nIB 3170 MAD-LHR')?.type).toBe('boarding pass');
    // One such field alone is not enough.
    expect(recogniseDocument('Patient information leaflet\nRead all of this leaflet carefully')).toBeNull();
  });

  it.each([
    'VARTA HIGH ENERGY',
    'Model KX-200 made in Japan',
    'MIT License',
    'Quick Start with Watson Studio',
    'Cappuccino 3.50\nTake away',
    'Member of the month',
    'Samsung Galaxy S21 Ultra 5G',
    '',
  ])('claims no document for %j', (text) => {
    expect(recogniseDocument(text)).toBeNull();
  });
});

describe('privacy-rules-19: the types the retired held-out sets 35-46 missed', () => {
  it.each([
    [
      'a card whose number was read short, its expiry after "EXP"',
      'Banco Almeria\nPILAR QUINTERO LUNA\n4539 1488 0343 6\nEXP 08/29\nVISA',
      'payment card',
    ],
    ['a Turkish bank\'s card ("Bankasi")', 'Konya Bankasi\nSELIM AKSOY\n5425 2334 3010\nEXP 11/27\nMASTERCARD', 'payment card'],
    ["Brazil's SUS card", 'Amil\nCARTAO NACIONAL DE SAUDE\nJoana Ribeiro\nNumero do cartao 704 2018 5531 0097', 'health insurance card'],
    [
      'a boarding pass read without its title, by its passenger in the IATA form',
      '2204417902231\nBZXQ4T\nTK1873\nOZTURK/DERYA MRS\nIST\nAMS',
      'boarding pass',
    ],
  ])('%s', (_, text, type) => {
    expect(recogniseDocument(text)?.type).toBe(type);
  });

  it('a month/year after "EXP" alone is no card', () => {
    expect(recogniseDocument('Batch 4471\nEXP 08/29\nStore below 25°C')).toBeNull();
  });
});
