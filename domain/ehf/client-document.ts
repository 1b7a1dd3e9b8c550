/**
 * What Factoring Finans accepts as a client's EHF before it builds anything from it. A client's
 * document is other people's data: one that is huge, absurdly nested or not UTF-8 must be refused
 * with a sentence naming the limit and the value found, not crash the worker or be retried for a
 * day. Every limit is far above what a real PEPPOL invoice of a big client needs (see README,
 * "Invoice documents").
 */

/**
 * 20 MiB. A PowerOffice GO invoice is 5–50 kB plus its own PDF (base64, typically 50–500 kB); an
 * invoice of 10,000 lines is about 15 MB. The PEPPOL network itself does not carry much more.
 */
export const MAX_CLIENT_DOCUMENT_BYTES = 20 * 1024 * 1024;
/** A PEPPOL BIS Billing 3.0 document nests at most ~8 levels (Invoice/InvoiceLine/Item/ClassifiedTaxCategory/TaxScheme/ID). */
export const MAX_NESTING_DEPTH = 64;
/** About 30 elements per invoice line: room for the largest document the line limit allows. */
export const MAX_ELEMENTS = 500_000;
/** Thousands of lines happen (a utility's or a wholesaler's monthly invoice); more than 10,000 does not. */
export const MAX_INVOICE_LINES = 10_000;
/**
 * The longest text of one element (a note, a name, an item description). Long payment terms fit
 * many times over; a 50 MB note does not. The client's embedded attachment (base64) is bounded by
 * the document size only and is not passed on anyway.
 */
export const MAX_TEXT_CHARACTERS = 10_000;

/** Which limit a document broke; `ruleId` is the one shown with the invoice's reasons. */
export type ClientDocumentLimit = 'size' | 'depth' | 'elements' | 'lines' | 'text' | 'character' | 'encoding';

const RULE_IDS: Record<ClientDocumentLimit, string> = {
  size: 'FF-DOC-01',
  depth: 'FF-DOC-02',
  elements: 'FF-DOC-03',
  lines: 'FF-DOC-04',
  text: 'FF-DOC-05',
  character: 'FF-DOC-06',
  encoding: 'FF-DOC-07',
};

/**
 * A client's document refused before it was used: deterministic (the same document is refused the
 * same way every time), so never worth retrying. The message is one sentence for a person.
 */
export class ClientDocumentRefused extends Error {
  override name = 'ClientDocumentRefused';
  readonly ruleId: string;

  constructor(
    readonly limit: ClientDocumentLimit,
    message: string,
  ) {
    super(message);
    this.ruleId = RULE_IDS[limit];
  }
}

/** Which document is being read, for the sentences, and how long one text of it may be. */
export interface XmlReading {
  /** "The client's EHF" or "The outgoing EHF": the subject of every refusal. */
  label: string;
  maxTextCharacters: number;
}

export const CLIENT_EHF: XmlReading = { label: "The client's EHF", maxTextCharacters: MAX_TEXT_CHARACTERS };
/** Our outgoing note is the notice of assignment (< 1,000 characters) followed by the client's note. */
export const OUTGOING_EHF: XmlReading = { label: 'The outgoing EHF', maxTextCharacters: MAX_TEXT_CHARACTERS + 1_000 };

/**
 * The client's file as text: within the size limit and valid UTF-8 (PEPPOL BIS requires UTF-8).
 * A Latin-1 file read as UTF-8 would silently turn "Blåbær" into "Bl�b�r" on the invoice, so it
 * is refused with the byte offset and line of the first byte that is not UTF-8.
 */
export function decodeClientDocument(bytes: Uint8Array, reading: XmlReading = CLIENT_EHF): string {
  refuseIfTooLarge(bytes.length, reading);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    const line = 1 + countNewlines(bytes, offset);
    const byte = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    throw new ClientDocumentRefused(
      'encoding',
      `${reading.label} is not valid UTF-8: byte 0x${byte} at offset ${offset} (line ${line}) is not part of a UTF-8 character; EHF must be saved as UTF-8, not ISO-8859-1 or Windows-1252.`,
    );
  }
}

export function refuseIfTooLarge(bytes: number, reading: XmlReading = CLIENT_EHF): void {
  if (bytes > MAX_CLIENT_DOCUMENT_BYTES) {
    throw new ClientDocumentRefused('size', `${reading.label} is ${bytes} bytes; at most ${MAX_CLIENT_DOCUMENT_BYTES} bytes (20 MiB) are accepted.`);
  }
}

/**
 * Checks the XML text before any parser builds a tree from it: size, declared encoding, the
 * characters XML 1.0 allows, nesting depth and element count. One pass each, no recursion.
 */
export function checkXmlText(xml: string, reading: XmlReading = CLIENT_EHF): void {
  refuseIfTooLarge(utf8Length(xml), reading);
  refuseDeclaredEncoding(xml, reading);
  refuseForbiddenCharacters(xml, reading);
  refuseDeepOrLarge(xml, reading);
}

/**
 * XML 1.0 (§2.2) allows tab, line feed, carriage return, U+0020–U+D7FF, U+E000–U+FFFD and
 * U+10000–U+10FFFF; everything else (U+0001, U+0007, an unpaired surrogate, U+FFFE) makes the
 * document not well-formed. We refuse such a document rather than strip the character: the
 * client's invoice is a legal document we send on in its name, a receiver's access point would
 * reject it anyway, and a refusal naming the field tells the client exactly what to fix in
 * PowerOffice GO; silently changing its text would not. (U+FFFD is refused too: in an invoice it
 * is what is left of a character that was not UTF-8.)
 */
export const FORBIDDEN_XML_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFC\u{10000}-\u{10FFFF}]/u;

/** "U+0001 (a control character)" */
export function describeCharacter(codePoint: number): string {
  const hex = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  if (codePoint === 0xfffd) return `${hex} (the replacement character)`;
  if (codePoint < 0x20) return `${hex} (a control character)`;
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return `${hex} (half of a character: an unpaired surrogate)`;
  return `${hex} (a noncharacter)`;
}

/** Why a character is refused, as the end of a sentence. */
export function whyRefused(codePoint: number): string {
  return codePoint === 0xfffd ? 'it stands for a character that was not valid UTF-8 when the document was read' : 'XML 1.0 forbids it';
}

export function forbiddenCharacterIn(text: string): number | undefined {
  const match = FORBIDDEN_XML_CHARACTER.exec(text);
  return match ? (match[0].codePointAt(0) ?? 0) : undefined;
}

function refuseForbiddenCharacters(xml: string, reading: XmlReading): void {
  const match = FORBIDDEN_XML_CHARACTER.exec(xml);
  if (!match) return;
  const offset = match.index;
  const lineStart = xml.lastIndexOf('\n', offset - 1) + 1;
  const line = 1 + countOccurrences(xml, '\n', offset);
  const element = enclosingElementName(xml, offset);
  const codePoint = match[0].codePointAt(0) ?? 0;
  throw new ClientDocumentRefused(
    'character',
    `${reading.label} contains ${describeCharacter(codePoint)}${element ? ` in ${element}` : ''} at line ${line}, column ${offset - lineStart + 1}; ${whyRefused(codePoint)}.`,
  );
}

function refuseDeclaredEncoding(xml: string, reading: XmlReading): void {
  const declaration = /^\uFEFF?<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']/.exec(xml);
  const encoding = declaration?.[1];
  if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) {
    throw new ClientDocumentRefused('encoding', `${reading.label} declares the encoding ${encoding}; EHF must be UTF-8.`);
  }
}

/**
 * Counts depth and elements with a small tokenizer over the text (comments, CDATA, processing
 * instructions and quoted attribute values skipped), so a document nested 100,000 levels deep is
 * refused before a tree is built or walked. The parser checks well-formedness afterwards.
 */
function refuseDeepOrLarge(xml: string, reading: XmlReading): void {
  let depth = 0;
  let deepest = 0;
  let elements = 0;
  let at = xml.indexOf('<');
  while (at !== -1) {
    const next = xml.charCodeAt(at + 1);
    let end: number;
    if (xml.startsWith('<!--', at)) end = endOf(xml, '-->', at + 4);
    else if (xml.startsWith('<![CDATA[', at)) end = endOf(xml, ']]>', at + 9);
    else if (next === 0x3f /* ? */ || next === 0x21 /* ! */) end = endOf(xml, '>', at + 2);
    else {
      end = tagEnd(xml, at + 1);
      if (next === 0x2f /* / */) depth -= 1;
      else {
        elements += 1;
        if (xml.charCodeAt(end - 1) !== 0x2f) depth += 1;
        deepest = Math.max(deepest, depth);
      }
    }
    if (end === -1) break;
    at = xml.indexOf('<', end);
  }
  if (deepest > MAX_NESTING_DEPTH) {
    throw new ClientDocumentRefused('depth', `${reading.label} is nested ${deepest} levels deep; at most ${MAX_NESTING_DEPTH} are accepted.`);
  }
  if (elements > MAX_ELEMENTS) throw new ClientDocumentRefused('elements', `${reading.label} has ${elements} elements; at most ${MAX_ELEMENTS} are accepted.`);
}

/** Index just past `terminator`, or -1. */
function endOf(xml: string, terminator: string, from: number): number {
  const found = xml.indexOf(terminator, from);
  return found === -1 ? -1 : found + terminator.length - 1;
}

/** Index of the ">" that closes the tag starting before `from`, skipping quoted attribute values; -1 if none. */
function tagEnd(xml: string, from: number): number {
  let quote = 0;
  for (let i = from; i < xml.length; i += 1) {
    const c = xml.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) quote = c;
    else if (c === 0x3e) return i;
  }
  return -1;
}

/** The name of the last start tag before `offset`: the element whose text or attribute holds it. */
function enclosingElementName(xml: string, offset: number): string | undefined {
  for (let at = xml.lastIndexOf('<', offset); at !== -1; at = xml.lastIndexOf('<', at - 1)) {
    const name = /^<([A-Za-z_][\w.:-]*)/.exec(xml.slice(at, at + 200))?.[1];
    if (name) return name;
    if (at === 0) return undefined;
  }
  return undefined;
}

/** UTF-8 length of a JavaScript string without allocating its bytes. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629). */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return bytes.length;
}

function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i] ?? 0;
  if (b0 < 0x80) return 1;
  const cont = (k: number, low = 0x80, high = 0xbf): boolean => {
    const b = bytes[i + k];
    return b !== undefined && b >= low && b <= high;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (b0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 >= 0xe1 && b0 <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

function countNewlines(bytes: Uint8Array, end: number): number {
  let lines = 0;
  for (let i = 0; i < end; i += 1) if (bytes[i] === 0x0a) lines += 1;
  return lines;
}

function countOccurrences(text: string, char: string, end: number): number {
  let count = 0;
  for (let at = text.indexOf(char); at !== -1 && at < end; at = text.indexOf(char, at + 1)) count += 1;
  return count;
}
