import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { MoneyFormatError, oreFromDecimalText, type Ore } from '../money';
import { checkXmlText, CLIENT_EHF, ClientDocumentRefused, MAX_INVOICE_LINES, describeCharacter, forbiddenCharacterIn, whyRefused, type XmlReading } from './client-document';
import { isDecimalText } from './decimal';
import { UBL_NS } from './ubl';

/**
 * Why a UBL document could not be read. `ruleId` names the official rule the document breaks when
 * there is one (e.g. BR-15 for a missing amount due, BR-DEC-* for an amount with three decimals),
 * or "XML" / "UBL-XSD" for documents that are not well-formed or not UBL.
 */
export class UblParseError extends Error {
  constructor(
    readonly ruleId: string,
    /** What is wrong, without rule id and path: "the seller is missing". */
    readonly detail: string,
    readonly path: string,
  ) {
    super(`${ruleId}: ${detail} (${path})`);
    this.name = 'UblParseError';
  }
}

/**
 * Parses XML with a namespace-aware DOM parser; DTDs and entities from outside are never loaded.
 * The text is checked first (size, encoding, characters, depth, element count: see
 * client-document.ts), then the tree (texts and attributes), so nothing downstream ever walks a
 * document deeper or larger than the limits. Throws {@link ClientDocumentRefused} or UblParseError.
 */
export function parseXml(xml: string, reading: XmlReading = CLIENT_EHF): Document {
  checkXmlText(xml, reading);
  if (xml.trim() === '') throw new UblParseError('XML', `${reading.label} is empty`, '/');
  let syntaxError: string | undefined;
  let document: Document | undefined;
  try {
    document = new DOMParser({
      onError: (level, message, handler) => {
        if (level === 'warning') return;
        syntaxError ??= `${readableSyntaxError(message)}${position(handler)}`;
        throw new Error(syntaxError); // stops the parser at the first error, like onErrorStopParsing
      },
    }).parseFromString(xml, 'text/xml');
  } catch (error) {
    syntaxError ??= error instanceof Error ? error.message : String(error);
  }
  if (syntaxError !== undefined || !document) throw new UblParseError('XML', `${reading.label} is not well-formed XML: ${syntaxError ?? 'no document'}`, '/');
  checkTree(document, reading);
  return document;
}

/** xmldom's words, made readable; the one a client meets most, an HTML entity, with what to do. */
function readableSyntaxError(message: string): string {
  const entity = /^entity not found:\s*(&[^;]*;)/.exec(message)?.[1];
  if (entity) return `the entity ${entity} is not defined in XML (write the character itself, or a character reference such as &#160;)`;
  return message.replace(/^Error constructing the DOM: \w+: /, '');
}

function position(handler: unknown): string {
  const locator = (handler as { locator?: { lineNumber?: number; columnNumber?: number } } | undefined)?.locator;
  return locator?.lineNumber ? ` (line ${locator.lineNumber}, column ${locator.columnNumber ?? 0})` : '';
}

/** Visits every element, document order, without recursion (a deep document cannot overflow the stack). */
export function forEachElement(root: Element, visit: (el: Element) => void): void {
  const pending: Element[] = [root];
  for (let el = pending.pop(); el; el = pending.pop()) {
    visit(el);
    const children: Element[] = [];
    for (let node = el.firstChild; node; node = node.nextSibling) if (node.nodeType === node.ELEMENT_NODE) children.push(node as Element);
    for (let i = children.length - 1; i >= 0; i -= 1) pending.push(children[i] as Element);
  }
}

/** Texts of one element too long, characters XML 1.0 forbids written as references (&#1;), too many lines. */
function checkTree(document: Document, reading: XmlReading): void {
  const root = document.documentElement;
  if (!root) return;
  let lines = 0;
  forEachElement(root, (el) => {
    if (el.parentNode === root && (el.localName === 'InvoiceLine' || el.localName === 'CreditNoteLine')) lines += 1;
    for (let i = 0; i < el.attributes.length; i += 1) refuseCharacterIn(el.attributes.item(i)?.value ?? '', el, reading);
    let length = 0;
    for (let node = el.firstChild; node; node = node.nextSibling) {
      if (node.nodeType !== node.TEXT_NODE && node.nodeType !== node.CDATA_SECTION_NODE) continue;
      const data = (node as unknown as { data: string }).data;
      refuseCharacterIn(data, el, reading);
      // The indentation between child elements is no text anyone wrote.
      if (node.nodeType === node.CDATA_SECTION_NODE || !/^\s*$/.test(data)) length += data.length;
    }
    if (length > reading.maxTextCharacters && !UNBOUNDED_TEXTS.has(el.localName ?? '')) {
      throw new ClientDocumentRefused(
        'text',
        `${reading.label} has a ${el.tagName} of ${length} characters${where(el)}; at most ${reading.maxTextCharacters} are accepted in one text.`,
      );
    }
  });
  if (lines > MAX_INVOICE_LINES) throw new ClientDocumentRefused('lines', `${reading.label} has ${lines} invoice lines; at most ${MAX_INVOICE_LINES} are accepted.`);
}

/** The client's attached PDF (base64): bounded by the document size, and never passed on. */
const UNBOUNDED_TEXTS = new Set(['EmbeddedDocumentBinaryObject']);

function refuseCharacterIn(text: string, el: Element, reading: XmlReading): void {
  const codePoint = forbiddenCharacterIn(text);
  if (codePoint === undefined) return;
  throw new ClientDocumentRefused('character', `${reading.label} contains ${describeCharacter(codePoint)} in ${el.tagName}${where(el)}; ${whyRefused(codePoint)}.`);
}

function where(el: Element): string {
  const position = el as unknown as { lineNumber?: number; columnNumber?: number };
  return position.lineNumber ? ` at line ${position.lineNumber}, column ${position.columnNumber ?? 0}` : '';
}

/** Reads one UBL aggregate: its cbc children as text, its cac children as further readers. */
export class UblElement {
  constructor(
    readonly element: Element,
    readonly path: string,
  ) {}

  cac(name: string): UblElement | undefined {
    return this.cacAll(name)[0];
  }

  cacAll(name: string): UblElement[] {
    return childElements(this.element, UBL_NS.cac, name).map((el, i) => new UblElement(el, `${this.path}/cac:${name}[${i + 1}]`));
  }

  /** Trimmed text of the first cbc child, undefined when absent or blank. */
  text(name: string): string | undefined {
    return textOf(childElements(this.element, UBL_NS.cbc, name)[0]);
  }

  texts(name: string): string[] {
    return childElements(this.element, UBL_NS.cbc, name)
      .map(textOf)
      .filter((t): t is string => t !== undefined);
  }

  requireText(name: string, ruleId: string, what: string): string {
    const value = this.text(name);
    if (value === undefined) throw new UblParseError(ruleId, `${what} (cbc:${name}) is missing`, this.path);
    return value;
  }

  attribute(name: string, attribute: string): string | undefined {
    const el = childElements(this.element, UBL_NS.cbc, name)[0];
    const value = el?.getAttribute(attribute)?.trim();
    return value ? value : undefined;
  }

  /** A cbc amount in øre; refuses more than two decimals (BR-DEC-*). */
  amount(name: string, decimalRuleId = 'BR-DEC'): Ore | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    try {
      return oreFromDecimalText(value);
    } catch (error) {
      if (error instanceof MoneyFormatError) throw new UblParseError(decimalRuleId, `cbc:${name} "${value}" is not an amount with at most two decimals`, this.path);
      throw error;
    }
  }

  requireAmount(name: string, ruleId: string, what: string): Ore {
    const value = this.amount(name);
    if (value === undefined) throw new UblParseError(ruleId, `${what} (cbc:${name}) is missing`, this.path);
    return value;
  }

  /** A cbc decimal that is not money (quantity, price, percentage), kept as its text. */
  decimal(name: string): string | undefined {
    const value = this.text(name);
    if (value !== undefined && !isDecimalText(value)) throw new UblParseError('UBL-XSD', `cbc:${name} "${value}" is not a decimal number`, this.path);
    return value;
  }
}

export function rootElement(document: Document): Element {
  const root = document.documentElement;
  if (!root) throw new UblParseError('XML', 'the document has no root element', '/');
  return root;
}

function childElements(parent: Element, namespace: string, localName: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === node.ELEMENT_NODE && node.namespaceURI === namespace && node.localName === localName) found.push(node as Element);
  }
  return found;
}

function textOf(el: Element | undefined): string | undefined {
  const value = el?.textContent?.trim();
  return value ? value : undefined;
}
