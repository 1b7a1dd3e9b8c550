/**
 * From bytes to records. OCR giro files are ISO-8859-1, one byte per character, and every byte
 * value maps to the Unicode code point of the same number, so decoding needs no table (and no
 * TextDecoder, which would read "latin1" as windows-1252 and turn 0x80–0x9F into other characters).
 */
export function decodeLatin1(bytes: Uint8Array): string {
  let text = '';
  // In slices: String.fromCharCode(...bytes) on a whole file would overflow the argument stack.
  for (let offset = 0; offset < bytes.length; offset += CHUNK) {
    text += String.fromCharCode(...bytes.subarray(offset, offset + CHUNK));
  }
  return text;
}

const CHUNK = 8192;

export interface RecordLine {
  /** 1-based. */
  line: number;
  text: string;
}

/**
 * The spec does not say how records are separated; CRLF and LF are both accepted, and the line
 * break is not part of the record. One line break at the very end is usual and ignored.
 */
export function splitRecordLines(text: string): RecordLine[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines.map((lineText, index) => ({ line: index + 1, text: lineText }));
}
