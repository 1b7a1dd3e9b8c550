import type { Document, Element } from '@xmldom/xmldom';
import { UBL_NS } from '../ubl';
import { forEachElement } from '../xml-reader';
import { fatal, type RuleFailure } from './rule';

/** The amounts PEPPOL-EN16931-R051 looks at; all must be in the document currency. */
const AMOUNTS = new Set([
  'Amount', 'BaseAmount', 'PriceAmount', 'TaxAmount', 'TaxableAmount', 'LineExtensionAmount', 'TaxExclusiveAmount',
  'TaxInclusiveAmount', 'AllowanceTotalAmount', 'ChargeTotalAmount', 'PrepaidAmount', 'PayableRoundingAmount', 'PayableAmount',
]);

/** Rules about the XML itself rather than its meaning: empty elements, currencies, VAT totals. */
export function xmlRules(document: Document, currency: string): RuleFailure[] {
  const root = document.documentElement;
  if (!root) return [fatal('UBL-XSD', 'the document has no root element')];
  const failures: RuleFailure[] = [];
  forEachElement(root, (el) => {
    if (isEmpty(el)) failures.push(fatal('PEPPOL-EN16931-R008', `<${el.tagName}> is empty; empty elements are not allowed`));
  });
  const withSubtotals = childElements(root, 'TaxTotal').filter((t) => childElements(t, 'TaxSubtotal').length > 0).length;
  if (withSubtotals !== 1) failures.push(fatal('PEPPOL-EN16931-R053', `exactly one cac:TaxTotal with subtotals is required, there are ${withSubtotals}`));
  return [...failures, ...currencyRules(document, currency)];
}

/**
 * PEPPOL-EN16931-R051: every amount is in the document currency. The typed model keeps one
 * currency per document, so this is checked on the client's XML too, before an amount in another
 * currency could be written out as if it were in the document currency.
 */
export function currencyRules(document: Document, currency: string): RuleFailure[] {
  const root = document.documentElement;
  const failures: RuleFailure[] = [];
  if (!root) return failures;
  forEachElement(root, (el) => {
    if (el.namespaceURI !== UBL_NS.cbc || !AMOUNTS.has(el.localName ?? '') || isTaxTotalInTaxCurrency(el)) return;
    const currencyId = el.getAttribute('currencyID');
    if (currencyId !== currency) failures.push(fatal('PEPPOL-EN16931-R051', `<${el.tagName}> has currency ${currencyId ?? 'none'}, the document ${currency}`));
  });
  return failures;
}

function isEmpty(el: Element): boolean {
  for (let node = el.firstChild; node; node = node.nextSibling) if (node.nodeType === node.ELEMENT_NODE) return false;
  return (el.textContent ?? '').trim() === '';
}

/** BT-111, the VAT total in accounting currency, is the one amount in another currency. */
function isTaxTotalInTaxCurrency(el: Element): boolean {
  const parent = el.parentNode as Element | null;
  return el.localName === 'TaxAmount' && parent?.localName === 'TaxTotal' && childElements(parent, 'TaxSubtotal').length === 0;
}

function childElements(parent: Element, localName: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === node.ELEMENT_NODE && node.namespaceURI === UBL_NS.cac && node.localName === localName) found.push(node as Element);
  }
  return found;
}
