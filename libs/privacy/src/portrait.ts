/**
 * Whether a photo shows a printed portrait: a face of the size a card or document prints, with
 * lines of text beside or under it. The fetcher finds faces on every photo (PhotoRecord.faces); this decides,
 * from their boxes and the boxes of the lines OCR read, whether one of them is a holder's portrait,
 * so the redactor can fail closed on a card whose type no rule names.
 *
 * A face that fills much of the photo is a person photographed, not a card's portrait; text near a
 * face must be small next to it (a card's fields), and at least two such lines must sit near it.
 *
 * Must never: read or return any text (geometry only); throw on any input (bad boxes are skipped).
 * Pure.
 */

/** A box relative to the photo (0..1, x/y the top-left corner), as faces and OCR lines are published. */
export interface RelativeBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PortraitEvidence {
  /** The faces the fetcher found on the normalized photo. */
  faces: readonly RelativeBox[];
  /** The boxes of the lines OCR read (upright, the photo's frame). */
  lines: readonly RelativeBox[];
}

/**
 * A portrait printed on an ID card takes a fifth to a half of the card's height (forehead to chin a
 * bit less); a card photographed on a table fills a third to all of the photo. A face taller than
 * half the photo, or covering more than a sixth of it, is a person in front of the camera.
 */
const MAX_FACE_HEIGHT = 0.5;
const MAX_FACE_AREA = 1 / 6;
/** A face smaller than this is too small to tell anything (a crowd, a face on a poster far away). */
const MIN_FACE_HEIGHT = 0.04;
/** A card's field lines are small next to its portrait: under 0.6 of the face's height each. */
const MAX_LINE_TO_FACE = 0.6;
/**
 * A card prints its fields right beside the portrait: the column starts within a face's width or so
 * (ID-1 cards: a gap of a tenth to a half of the photo's width). Two face-widths leaves room for a
 * portrait OCR and the detector box tightly; beyond it the text is elsewhere in the photo.
 */
const MAX_GAP_IN_FACE_WIDTHS = 2;
/** Lines around the portrait that make it a card's: a name and a field at least. */
const MIN_LINES_BESIDE = 2;

interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function rectOf(box: RelativeBox): Rect | null {
  const values = [box?.x, box?.y, box?.width, box?.height];
  if (!values.every((v) => typeof v === 'number' && Number.isFinite(v))) return null;
  if (box.width <= 0 || box.height <= 0) return null;
  return { left: box.x, top: box.y, right: box.x + box.width, bottom: box.y + box.height };
}

/**
 * Whether a line sits where a card prints its fields around the portrait: wholly to its left or
 * right and starting within two face-widths of it, within the band from a face's height above it to two below it (the portrait's shoulders,
 * the fields beside them); or under it, across its column, within two and a half faces' heights (a
 * badge's name and number under its photo). And small next to the face.
 */
function nearFace(line: Rect, face: Rect): boolean {
  const faceHeight = face.bottom - face.top;
  const faceWidth = face.right - face.left;
  if (line.bottom - line.top > faceHeight * MAX_LINE_TO_FACE) return false;
  const middle = (line.top + line.bottom) / 2;
  const inBand = middle >= face.top - faceHeight && middle <= face.bottom + 2 * faceHeight;
  // Beside it: starting within MAX_GAP_IN_FACE_WIDTHS of its edge, as a card's field column does; a
  // sign far across the photo from a person is no field of a card.
  const gapRight = line.left - face.right;
  const gapLeft = face.left - line.right;
  if (
    inBand &&
    ((gapRight >= 0 && gapRight <= MAX_GAP_IN_FACE_WIDTHS * faceWidth) || (gapLeft >= 0 && gapLeft <= MAX_GAP_IN_FACE_WIDTHS * faceWidth))
  ) {
    return true;
  }
  const under = line.top >= face.bottom && line.top <= face.bottom + 2.5 * faceHeight;
  return under && line.left < face.right + faceWidth && line.right > face.left - faceWidth;
}

/** Whether one of the faces is a portrait printed beside lines of text (a card's or a document's). */
export function hasPrintedPortrait(evidence: PortraitEvidence): boolean {
  try {
    const lines = (evidence.lines ?? []).map(rectOf).filter((r): r is Rect => r !== null);
    for (const box of evidence.faces ?? []) {
      const face = rectOf(box);
      if (!face) continue;
      const height = face.bottom - face.top;
      const area = height * (face.right - face.left);
      if (height > MAX_FACE_HEIGHT || area > MAX_FACE_AREA || height < MIN_FACE_HEIGHT) continue;
      if (lines.filter((line) => nearFace(line, face)).length >= MIN_LINES_BESIDE) return true;
    }
    return false;
  } catch {
    return false;
  }
}
