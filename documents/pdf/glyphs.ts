import { FONT_CHAINS, fontMetrics, type FontFace, type FontWeight } from '../fonts';

/**
 * What the PDF prints for a character no installed font can draw: U+FFFD, the Unicode replacement
 * character "�". Without it the character would silently print as a blank. An accountant reading
 * "Kake � og kaffe" sees at once that something is missing there, and a real question mark in a
 * product name ("Hvorfor?") cannot be mistaken for it, as it could be with "?". The EHF always
 * carries the original text, and the documents carry a warning (FF-PDF-01) naming the field.
 */
export const REPLACEMENT_CHARACTER = '\ufffd';

export interface FontRun {
  /** The face's registered name (FONT_CHAINS). */
  font: string;
  text: string;
}

export interface FontRuns {
  runs: FontRun[];
  /** The characters (grapheme clusters, e.g. an emoji with its skin tone) printed as the replacement character. */
  missing: string[];
}

const segmenter = new Intl.Segmenter('nb', { granularity: 'grapheme' });
/** Zero-width joiners, variation selectors and the like: invisible, so a font need not draw them. */
const INVISIBLE = /^\p{Default_Ignorable_Code_Point}$/u;

/**
 * Splits a text into runs by the font that can draw each character: the weight's own face where it
 * can, else the first fallback face that can (FONT_CHAINS), else the replacement character. A
 * character is judged as a whole grapheme cluster, so "e" + combining accent stays together and an
 * emoji sequence becomes one replacement character, not several.
 */
export function fontRuns(text: string, weight: FontWeight): FontRuns {
  const chain = FONT_CHAINS[weight];
  const primary = chain[0];
  if (!primary) throw new Error(`no font for ${weight}`);
  if (drawsAll(primary, text)) return { runs: text === '' ? [] : [{ font: primary.name, text }], missing: [] };

  const runs: FontRun[] = [];
  const missing: string[] = [];
  const add = (font: string, piece: string): void => {
    const last = runs[runs.length - 1];
    if (last?.font === font) last.text += piece;
    else if (piece !== '') runs.push({ font, text: piece });
  };
  for (const { segment } of segmenter.segment(text)) {
    if (segment === '\n' || drawsAll(primary, segment)) {
      add(primary.name, segment);
      continue;
    }
    const face = chain.find((f) => drawsCluster(f, segment));
    if (face) add(face.name, drawnPart(face, segment));
    else if (![...segment].every((c) => INVISIBLE.test(c))) {
      add(primary.name, REPLACEMENT_CHARACTER);
      missing.push(segment);
    }
  }
  return { runs, missing };
}

function drawsAll(face: FontFace, text: string): boolean {
  const metrics = fontMetrics(face.file);
  for (const character of text) if (character !== '\n' && !metrics.hasGlyph(character.codePointAt(0) ?? 0)) return false;
  return true;
}

/** The face draws every visible character of the cluster, and at least one. */
function drawsCluster(face: FontFace, cluster: string): boolean {
  const metrics = fontMetrics(face.file);
  const characters = [...cluster];
  const drawn = characters.filter((c) => metrics.hasGlyph(c.codePointAt(0) ?? 0));
  return drawn.length > 0 && characters.every((c) => drawn.includes(c) || INVISIBLE.test(c));
}

/** The cluster without the invisible characters the face has no glyph for (they would print as a box). */
function drawnPart(face: FontFace, cluster: string): string {
  const metrics = fontMetrics(face.file);
  return [...cluster].filter((c) => metrics.hasGlyph(c.codePointAt(0) ?? 0)).join('');
}

/** "🎂 (U+1F382)": a character as an operator can look it up. */
export function describeCharacter(cluster: string): string {
  const codes = [...cluster].map((c) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`);
  return `${cluster} (${codes.join(' ')})`;
}
