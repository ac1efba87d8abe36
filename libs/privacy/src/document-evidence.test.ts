import { describe, expect, it } from 'vitest';
import { policyOf } from './document-types.js';
import { readMrz } from './detectors/mrz.js';
import { recogniseDocument } from './recognise-document.js';

// Evidence that is no title (privacy-rules-9): what the recogniser still reads when a title is
// garbled, cut off or in a language no list holds. Each case names no type without its rule.
describe('document types without their title', () => {
  it("the EHIC's numbered fields 3-9 make a European health insurance card, not a licence, with the EHIC's policy", () => {
    const text = [
      'DE',
      '3.Name',
      'WEBER',
      '4.Vornamen',
      'KLAUS',
      '5.Geburtsdatum',
      '12.04.1961',
      '6.Persönliche Kennummer',
      'A123456789',
      '7.Kennnummer des Trägers',
      '8.Kennnummer der Karte',
      '80276001234567890123',
      '9.Ablaufdatum',
      '31.12.2029',
    ].join('\n');
    const document = recogniseDocument(text);
    expect(document?.type).toBe('health insurance card');
    expect(policyOf(document).onlyPrintedWordsSurvive).toBe(true);
    // An EU licence numbers 1, 2 and 4a-4d as well: still a licence.
    expect(
      recogniseDocument('1. WEBER\n2. KLAUS\n3. 12.04.1961 BERLIN\n4a. 01.02.2015\n4b. 01.02.2030\n5. B072RRE2I55\n9. AM/B')?.type,
    ).toBe('driving licence');
  });

  it("a national health card by its insurer's words and the member number's label, in the issue's languages", () => {
    expect(recogniseDocument('Servicio Andaluz de Salud\nLucía Romero Gil\nNº de afiliación AN0123456789')?.type).toBe(
      'health insurance card',
    );
    expect(recogniseDocument('Narodowy Fundusz Zdrowia\nJan Kowalski\nNumer ubezpieczonego 85010112345')?.type).toBe(
      'health insurance card',
    );
    expect(recogniseDocument('Sosyal Güvenlik Kurumu\nAyşe Demir\nSigortalı No 12345678901')?.type).toBe('health insurance card');
    // An insurer's word alone is no card.
    expect(recogniseDocument('Ministerio de Sanidad\nCampaña de vacunación 2025')).toBeNull();
  });

  it('a payment card whose embossed number OCR read a group a line, with its expiry alone on a line', () => {
    const text = 'Sparbanken Syd\n4929\n1234\n5678\n90123\nGILTIG T.O.M.\n04/27\nVISA\nKARIN BERG';
    expect(recogniseDocument(text)?.type).toBe('payment card');
  });

  it('a dispensing label by its filled date, the leaflet warning and the strength glued to the drug', () => {
    const text = 'Rx 7712345\nDate filled 03/02/2025\nMARTA DIAZ\nAmlodipine5mg\nKeep out of reach of children';
    expect(recogniseDocument(text)?.type).toBe('prescription label');
    expect(recogniseDocument('Rx 7712345\nUchovávejte mimo dohled a dosah dětí\nIbalgin400mg')?.type).toBe('prescription label');
  });

  it("a luggage tag by the airline's name, whose contact lines alone would make a business card", () => {
    const text = 'Scandinavian Airlines\nHugo Lind\nStorgatan 12\n111 51 Stockholm\nTel.0701234567\nhugo.lind@example.se';
    expect(recogniseDocument(text)?.type).toBe('luggage tag');
    // A boarding pass names its airline too: its gate, seat and flight still decide.
    expect(recogniseDocument('Turkish Airlines\nGATE 204\nSEAT 14C\nFLIGHT TK 1858')?.type).toBe('boarding pass');
  });

  it("an airline's name beside one boarding-pass word weighs for the boarding pass, not the tag (privacy-rules-10)", () => {
    // A title-less pass: one flight, sequence or gate word (0.3) and the airline's name.
    for (const word of ['Flight TK 1858', 'SEQ 042', 'GATE B12']) {
      const doc = recogniseDocument(`Turkish Airlines\nAYSE YILMAZ\n${word}\n12.03.2026`);
      expect(doc?.type, word).toBe('boarding pass');
      expect(doc?.evidence).toContain('phrase:air lines');
    }
    // With no boarding-pass evidence it is still the tag's.
    expect(recogniseDocument('Turkish Airlines\nAYSE YILMAZ\n+90 532 123 45 67')?.type).toBe('luggage tag');
  });

  it("an MRZ whose first line OCR read short still gives its document code (a residence permit's IR)", () => {
    const lines = ['IRCZENOVAK<<PETRA<<<', '4770216142CZE9006175F2802194<<<<<<<4'];
    expect(readMrz(lines)[0]?.documentCode).toBe('IR');
    const text = ['Příjmení/Surname:NOVAK', 'Jméno/Given Names:PETRA', 'Pohlaví/Sex:F', ...lines].join('\n');
    expect(recogniseDocument(text)?.type).toBe('residence permit');
  });

  it('an IMEI after its label is no card number, though it passes Luhn', () => {
    expect(recogniseDocument('Xiaomi Redmi 12\nModel:23053RN02Y\nIMEI:622126123456785')).toBeNull();
    expect(recogniseDocument('4111 1111 1111 1111\nVALID THRU 09/28')?.type).toBe('payment card');
  });
});
