import { describe, expect, it } from 'vitest';
import { MediaAiError } from '@media-ai/contracts';
import { normalizedSharedPhoto } from '../test-support/normalized-photo.js';
import { photoForRelease } from './photo-for-release.js';

describe('photoForRelease', () => {
  it('refuses a photo nobody looked at for faces (null, or absent on an older record)', async () => {
    const jpeg = await normalizedSharedPhoto('phone_with_powerbank.jpg');
    for (const faces of [null, undefined]) {
      const error = await photoForRelease(jpeg, faces).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MediaAiError);
      expect((error as MediaAiError).code).toBe('MEDIA_AI_FACES_UNCHECKED');
      expect((error as MediaAiError).retryable).toBe(false);
    }
  });

  it('releases a photo without faces byte for byte, and re-encodes one with faces', async () => {
    const jpeg = await normalizedSharedPhoto('person_with_dog.jpg');
    expect(await photoForRelease(jpeg, [])).toBe(jpeg);
    const blurred = await photoForRelease(jpeg, [{ confidence: 0.9, box: { x: 0.26, y: 0.17, width: 0.1, height: 0.07 } }]);
    expect(blurred.equals(jpeg)).toBe(false);
    expect(blurred.subarray(0, 2).toString('hex')).toBe('ffd8');
  });
});
