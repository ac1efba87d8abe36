import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectImageType } from './detect-image-type.js';

const photo = (name: string) => readFileSync(new URL(`../../../../../shared/photos/${name}`, import.meta.url));

describe('detectImageType', () => {
  it('recognises the shared photos by their bytes', () => {
    expect(detectImageType(photo('coffee_cup_saucer.jpg'))).toBe('jpeg');
    expect(detectImageType(photo('book_page_text_with_numbers.png'))).toBe('png');
    expect(detectImageType(photo('smartwatch_on_wrist.webp'))).toBe('webp');
  });

  it('recognises the other binary formats by their signatures', () => {
    expect(detectImageType(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'))).toBe('gif');
    expect(detectImageType(Buffer.from([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]))).toBe('tiff');
    expect(detectImageType(Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]))).toBe('tiff');
    const ftyp = (major: string, ...compatible: string[]) => {
      const body = Buffer.from(`ftyp${major}\0\0\0\0${compatible.join('')}`, 'latin1');
      const size = Buffer.alloc(4);
      size.writeUInt32BE(body.length + 4);
      return Buffer.concat([size, body]);
    };
    expect(detectImageType(ftyp('heic', 'mif1', 'heic'))).toBe('heic');
    expect(detectImageType(ftyp('mif1', 'mif1', 'heic'))).toBe('heic');
    expect(detectImageType(ftyp('avif', 'avif', 'mif1'))).toBe('avif');
    expect(detectImageType(ftyp('isom', 'mp41'))).toBe('unknown');
    expect(detectImageType(Buffer.from('%PDF-1.7\n'))).toBe('pdf');
  });

  it('sees through text formats that pretend to be images', () => {
    expect(detectImageType(Buffer.from('\uFEFF  <?xml version="1.0"?>\n<!-- x -->\n<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe(
      'svg',
    );
    expect(detectImageType(Buffer.from('<svg width="1" height="1"></svg>'))).toBe('svg');
    // A DOCTYPE with an internal subset (entity declarations, the XXE vector) is still SVG.
    const xxe =
      '<?xml version="1.0"?>\n<!DOCTYPE svg [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n<svg xmlns="http://www.w3.org/2000/svg"><text>&xxe;</text></svg>';
    expect(detectImageType(Buffer.from(xxe))).toBe('svg');
    expect(
      detectImageType(
        Buffer.from('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg/>'),
      ),
    ).toBe('svg');
    expect(detectImageType(Buffer.from('<!DOCTYPE html><html><body>403</body></html>'))).toBe('html');
    expect(detectImageType(Buffer.from('<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>'))).toBe('xml');
    expect(detectImageType(Buffer.from('{"error":"nope"}'))).toBe('unknown');
    expect(detectImageType(Buffer.alloc(0))).toBe('unknown');
  });
});
