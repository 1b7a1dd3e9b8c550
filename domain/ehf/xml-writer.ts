import { ClientDocumentRefused, describeCharacter, forbiddenCharacterIn, OUTGOING_EHF, whyRefused } from './client-document';

/**
 * A minimal XML element tree and its serializer, for the outgoing EHF. We write XML ourselves
 * because every text must be escaped exactly once: xmlbuilder2 leaves text that looks like an
 * entity ("&amp;", "&nbsp;", "&#65;") unescaped, so a party called "A &nbsp; B" went out as the
 * undefined entity &nbsp; and "&amp;" came back as "&". Here every "&", "<" and ">" of a value is
 * escaped, always, and a character XML 1.0 forbids is refused (naming the element), never written.
 */
export class XmlElement {
  readonly children: XmlElement[] = [];

  constructor(
    readonly name: string,
    readonly attributes: readonly (readonly [string, string])[] = [],
    readonly text?: string,
  ) {
    for (const [attribute, value] of attributes) refuseForbidden(value, `${name}/@${attribute}`);
    if (text !== undefined) refuseForbidden(text, name);
  }
}

/** "&", "<" and ">" as references; quotes may stay in element text. */
export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** Attribute values also escape the quote, and white space that attribute normalisation would turn into spaces. */
export function escapeAttribute(value: string): string {
  return value.replace(/[&<>"\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c] ?? c);
}

const ATTRIBUTE_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

/**
 * The document with an XML declaration, two spaces per level, a text element on one line. Written
 * with an explicit stack (no recursion), like every walk over XML in domain/ehf.
 */
export function serializeXml(root: XmlElement): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const pending: ({ element: XmlElement; depth: number } | { close: string; depth: number })[] = [{ element: root, depth: 0 }];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const indent = '  '.repeat(item.depth);
    if ('close' in item) {
      out.push(`${indent}</${item.close}>`);
      continue;
    }
    const { element, depth } = item;
    const start = `${indent}<${element.name}${element.attributes.map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`).join('')}`;
    if (element.children.length === 0) {
      out.push(element.text === undefined || element.text === '' ? `${start}/>` : `${start}>${escapeText(element.text)}</${element.name}>`);
      continue;
    }
    out.push(`${start}>`);
    pending.push({ close: element.name, depth });
    for (let i = element.children.length - 1; i >= 0; i -= 1) pending.push({ element: element.children[i] as XmlElement, depth: depth + 1 });
  }
  return out.join('\n');
}

function refuseForbidden(value: string, where: string): void {
  const codePoint = forbiddenCharacterIn(value);
  if (codePoint !== undefined) {
    throw new ClientDocumentRefused('character', `${OUTGOING_EHF.label} would contain ${describeCharacter(codePoint)} in ${where}; ${whyRefused(codePoint)}.`);
  }
}
