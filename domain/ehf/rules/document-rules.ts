import type { BillingDocument } from '../model';
import { BIS_BILLING_CUSTOMIZATION_ID } from '../ubl';
import { fatal, unless, type RuleFailure } from './rule';

const PROFILE = /^urn:fdc:peppol\.eu:2017:poacc:billing:\d{2}:1\.0$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** PEPPOL-EN16931-P0100 and P0101: the type codes billing profile 01 allows. */
const INVOICE_TYPE_CODES = '71 80 82 84 102 218 219 326 331 380 382 383 384 386 388 393 395 553 575 623 780 817 870 875 876 877'.split(' ');
const CREDIT_NOTE_TYPE_CODES = '381 396 81 83 532'.split(' ');
/** PEPPOL-EN16931-P0112: 326 (partial invoice) and 384 (corrected invoice) only between German parties. */
const GERMAN_ONLY_INVOICE_TYPE_CODES: Record<string, string> = { '326': 'partial invoice', '384': 'corrected invoice' };

/** Identity, dates, references and notes: sections 1 and "Credit note differences" of the reference. */
export function documentRules(doc: BillingDocument): RuleFailure[] {
  return [
    ...unless(doc.customizationId !== '', () => fatal('BR-01', 'the specification identifier (cbc:CustomizationID) is missing')),
    ...unless(doc.customizationId.startsWith(BIS_BILLING_CUSTOMIZATION_ID), () =>
      fatal('PEPPOL-EN16931-R004', `the specification identifier must be ${BIS_BILLING_CUSTOMIZATION_ID}, not "${doc.customizationId}"`),
    ),
    ...unless(doc.profileId !== '', () => fatal('PEPPOL-EN16931-R001', 'the business process (cbc:ProfileID) is missing')),
    ...unless(doc.profileId === '' || PROFILE.test(doc.profileId), () =>
      fatal('PEPPOL-EN16931-R007', `the business process "${doc.profileId}" is not urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0`),
    ),
    ...unless(doc.id !== '', () => fatal('BR-02', 'the invoice number (cbc:ID) is missing')),
    ...unless(doc.issueDate !== '', () => fatal('BR-03', 'the issue date is missing')),
    ...dateFormatRules(doc),
    ...typeCodeRules(doc),
    ...unless(/^[A-Z]{3}$/.test(doc.currency), () => fatal('BR-05', `the document currency "${doc.currency}" is not an ISO 4217 code`)),
    ...unless(doc.taxCurrency === undefined || doc.taxCurrency !== doc.currency, () =>
      fatal('PEPPOL-EN16931-R005', 'the VAT accounting currency must differ from the document currency when given'),
    ),
    ...unless(doc.buyerReference !== undefined || doc.orderReference !== undefined, () =>
      fatal('PEPPOL-EN16931-R003', 'a buyer reference (cbc:BuyerReference) or purchase order reference is required'),
    ),
    ...unless(doc.notes.length <= 1, () => fatal('PEPPOL-EN16931-R002', `at most one document note is allowed, there are ${doc.notes.length}`)),
    ...dueDateRules(doc),
    ...creditNoteReferenceRules(doc),
  ];
}

function dateFormatRules(doc: BillingDocument): RuleFailure[] {
  const dates: [string, string | undefined][] = [
    ['IssueDate', doc.issueDate],
    ['DueDate', doc.dueDate],
    ['TaxPointDate', doc.taxPointDate],
    ['InvoicePeriod/StartDate', doc.invoicePeriod?.startDate],
    ['InvoicePeriod/EndDate', doc.invoicePeriod?.endDate],
    ['Delivery/ActualDeliveryDate', doc.delivery?.actualDate],
    ...doc.billingReferences.map((ref): [string, string | undefined] => ['BillingReference/IssueDate', ref.issueDate]),
    ...doc.lines.flatMap((line): [string, string | undefined][] => [
      [`line ${line.id} InvoicePeriod/StartDate`, line.period?.startDate],
      [`line ${line.id} InvoicePeriod/EndDate`, line.period?.endDate],
    ]),
  ];
  return dates
    .filter(([, value]) => value !== undefined && value !== '' && !isCalendarDate(value))
    .map(([where, value]) => fatal('PEPPOL-EN16931-F001', `"${value ?? ''}" is not a date in the form YYYY-MM-DD`, where));
}

function isCalendarDate(value: string | undefined): boolean {
  if (value === undefined || !DATE.test(value)) return false;
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth;
}

function typeCodeRules(doc: BillingDocument): RuleFailure[] {
  if (doc.typeCode === '') return [fatal('BR-04', 'the document type code is missing')];
  const [allowed, ruleId] = doc.kind === 'Invoice' ? [INVOICE_TYPE_CODES, 'PEPPOL-EN16931-P0100'] : [CREDIT_NOTE_TYPE_CODES, 'PEPPOL-EN16931-P0101'];
  return [
    ...unless(allowed.includes(doc.typeCode), () => fatal(ruleId, `type code ${doc.typeCode} is not allowed for a ${doc.kind} in billing profile 01`)),
    ...germanOnlyTypeCodeRules(doc),
  ];
}

/**
 * PEPPOL-EN16931-P0112: invoice type codes 326 and 384 are for German domestic invoices only
 * (XRechnung), i.e. seller and buyer both with postal country DE, as the official schematron tests
 * it. Everyone else corrects an invoice with a credit note (381), or with an ordinary invoice (380)
 * that references the corrected one (cac:BillingReference).
 */
function germanOnlyTypeCodeRules(doc: BillingDocument): RuleFailure[] {
  const name = doc.kind === 'Invoice' ? GERMAN_ONLY_INVOICE_TYPE_CODES[doc.typeCode] : undefined;
  if (name === undefined) return [];
  const seller = postalCountry(doc.seller.postalAddress?.countryCode);
  const buyer = postalCountry(doc.buyer.postalAddress?.countryCode);
  return unless(seller === 'DE' && buyer === 'DE', () =>
    fatal(
      'PEPPOL-EN16931-P0112',
      `type code ${doc.typeCode} (${name}) is only allowed when both seller and buyer are German (country DE), ` +
        `but the seller's country is ${seller || 'missing'} and the buyer's ${buyer || 'missing'}: ` +
        'send a credit note (381), or an invoice (380) that references the corrected invoice',
    ),
  );
}

function postalCountry(code: string | undefined): string {
  return (code ?? '').trim().toUpperCase();
}

/** BR-CO-25 is for invoices only: an amount due needs a due date or payment terms. */
function dueDateRules(doc: BillingDocument): RuleFailure[] {
  if (doc.kind !== 'Invoice' || doc.totals.payable <= 0) return [];
  return unless(doc.dueDate !== undefined || doc.paymentTermsNote !== undefined, () =>
    fatal('BR-CO-25', 'an invoice with an amount due needs a due date (cbc:DueDate) or payment terms'),
  );
}

/**
 * BR-55: a billing reference needs the referenced invoice's number. And Factoring Finans' own
 * rule FF-CN-01: a credit note must say which invoice it credits, because the credit is settled
 * against that invoice's claim at Factoring Finans (optional in BIS 3, required here).
 */
function creditNoteReferenceRules(doc: BillingDocument): RuleFailure[] {
  return [
    ...doc.billingReferences
      .filter((ref) => ref.id === '')
      .map(() => fatal('BR-55', 'a preceding invoice reference needs the invoice number', 'BillingReference')),
    ...unless(doc.kind !== 'CreditNote' || doc.billingReferences.some((ref) => ref.id !== ''), () =>
      fatal('FF-CN-01', 'a credit note must reference the invoice it credits (cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID)'),
    ),
  ];
}
