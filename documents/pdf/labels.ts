import type { BillingDocument, DocumentKind, TaxCategory } from '../../domain/ehf/model';
import type { Ore } from '../../domain/money';
import { formatPercent } from '../format';

/** The Norwegian wording of the printed invoice. */
export function titles(kind: DocumentKind): { title: string; number: string; date: string } {
  return kind === 'Invoice'
    ? { title: 'FAKTURA', number: 'Fakturanr.', date: 'Fakturadato' }
    : { title: 'KREDITNOTA', number: 'Kreditnotanr.', date: 'Kreditnotadato' };
}

/**
 * What the end customer has to do about the document, and how the amount is labelled:
 * - `pay`: an invoice with an amount due ("Å betale", "Oppgi KID ved betaling");
 * - `nothing`: an invoice with nothing left to pay (e.g. paid in advance);
 * - `credit`: money in the customer's favour, never to be paid: a credit note, and an invoice
 *   whose payable amount is negative (a correcting invoice that takes back more than it adds).
 *   The amount is shown without its minus sign under a label that says whose favour it is in
 *   ("Til gode"), as Norwegian invoices do; "Til gode -2 569,13" would read as a double negative.
 *   A credit note is a credit whatever its sign: a negative credit note amount is a generator's
 *   sign mistake far more often than a claim, and a payment request on a credit note would mislead.
 */
export interface Settlement {
  kind: 'pay' | 'nothing' | 'credit';
  /** The totals row and the payment box label. */
  label: string;
  /** The amount as the customer reads it: what to pay, or what is credited, never negative. */
  amount: Ore;
}

export function settlement(doc: BillingDocument): Settlement {
  const payable = doc.totals.payable;
  const amount = Math.abs(payable) as Ore;
  if (doc.kind === 'CreditNote') return { kind: 'credit', label: 'Kreditert beløp', amount };
  if (payable < 0) return { kind: 'credit', label: 'Til gode', amount };
  return { kind: payable === 0 ? 'nothing' : 'pay', label: 'Å betale', amount };
}

/**
 * How the header names the referenced invoice (cac:BillingReference): a credit note credits it; an
 * invoice that references another corrects it (Peppol corrects with 380 + reference, or 381).
 */
export function billingReferenceLabel(kind: DocumentKind): string {
  return kind === 'CreditNote' ? 'Krediterer faktura' : 'Korrigerer faktura';
}

/** The numbers of the invoices a document credits or corrects, "10023, 10024"; undefined when none. */
export function billedInvoices(doc: BillingDocument): string | undefined {
  return doc.billingReferences.map((r) => r.id).filter(Boolean).join(', ') || undefined;
}

/** UN/ECE Recommendation 20 unit codes as a Norwegian reader knows them; others are shown as coded. */
const UNITS: Record<string, string> = {
  C62: 'stk', EA: 'stk', H87: 'stk', NAR: 'stk', XPP: 'stk', HUR: 'timer', DAY: 'dager', WEE: 'uker', MON: 'mnd', ANN: 'år',
  MTR: 'm', MTK: 'm²', MTQ: 'm³', KMT: 'km', KGM: 'kg', TNE: 'tonn', LTR: 'l', KWH: 'kWh', SET: 'sett', PR: 'par', MIN: 'min',
};

export function unitName(unitCode: string): string {
  return UNITS[unitCode] ?? unitCode;
}

/** How the VAT summary names a breakdown: the rate for standard rates, the reason otherwise. */
export function vatCategoryLabel(category: TaxCategory): string {
  const names: Record<string, string> = {
    Z: 'Nullsats',
    E: 'Fritatt',
    AE: 'Omvendt avgiftsplikt',
    K: 'EU-levering',
    G: 'Eksport',
    O: 'Utenfor mva.-loven',
  };
  const name = names[category.id];
  if (name === undefined) return formatPercent(category.percent);
  return category.id === 'O' ? name : `${name} ${formatPercent(category.percent)}`;
}
