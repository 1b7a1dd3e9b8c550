import { DOMParser, onErrorStopParsing, type Document, type Element } from '@xmldom/xmldom';
import { MoneyFormatError, oreFromDecimalText, type Ore } from '../money';
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
    message: string,
    readonly path: string,
  ) {
    super(`${ruleId}: ${message} (${path})`);
    this.name = 'UblParseError';
  }
}

/** Parses XML with a namespace-aware DOM parser; DTDs and entities from outside are never loaded. */
export function parseXml(xml: string): Document {
  try {
    return new DOMParser({ onError: onErrorStopParsing }).parseFromString(xml, 'text/xml');
  } catch (error) {
    throw new UblParseError('XML', `not well-formed XML: ${error instanceof Error ? error.message : String(error)}`, '/');
  }
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
