import type { SeedInvoice } from '../fixture-schema';
import type { SeedCustomer } from '../seed-v2';
import { type EhfParty, renderEhf } from './render-ehf';

/**
 * PowerOffice has an EHF for every invoice it offers a factoring company. Seeds built in code
 * (tests, the admin API) rarely carry one, so the emulator makes a plausible document up from what
 * it knows: the client company, the v1 invoice and, when seeded, the v2 customer with the invoice's
 * customer number. One standard-rated (25 %) line whose gross equals `totalAmount`.
 */
export interface SellerInfo {
  name: string;
  organizationNumber: string;
}

/** "12500.5" → 1250050 øre, through the decimal text (the JSON number is a decimal in PowerOffice). */
function oreFromAmount(amount: number): number {
  const [whole = '0', fraction = ''] = Math.abs(amount).toFixed(2).split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

function datePart(value: unknown): string | undefined {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined;
}

function customerNumber(invoice: SeedInvoice): number | undefined {
  return typeof invoice.customerCode === 'number' ? invoice.customerCode : undefined;
}

function buyerOf(invoice: SeedInvoice, customer: SeedCustomer | undefined): EhfParty {
  const address = customer?.MailAddress;
  return {
    name: customer?.Name ?? customer?.LegalName ?? `Kunde ${customerNumber(invoice) ?? 'ukjent'}`,
    // BIS needs a buyer endpoint; a made-up customer gets a fixed, MOD11-valid number.
    organizationNumber: customer?.OrganizationNumber ?? '999999999',
    street: address?.AddressLine1 ?? null,
    zipCode: address?.ZipCode ?? null,
    city: address?.City ?? null,
    countryCode: address?.CountryCode ?? 'NO',
    phone: customer?.PhoneNumber ?? null,
    email: customer?.InvoiceEmailAddress ?? customer?.EmailAddress ?? null,
  };
}

export function synthesizeEhf(seller: SellerInfo, invoice: SeedInvoice, customer: SeedCustomer | undefined): string {
  const grossOre = oreFromAmount(invoice.totalAmount);
  // Net from gross at 25 %: the VAT is then gross − net, within BR-CO-17's tolerance of net × 25 %.
  const netOre = Math.round((grossOre * 4) / 5);
  const isCreditNote = invoice.totalAmount < 0 || typeof invoice.originalInvoiceNo === 'number';
  const issueDate = datePart(invoice.invoiceDate) ?? datePart(invoice.createdDate) ?? new Date().toISOString().slice(0, 10);
  return renderEhf({
    kind: isCreditNote ? 'CreditNote' : 'Invoice',
    number: invoice.invoiceNo,
    issueDate,
    dueDate: datePart(invoice.dueDate),
    deliveryDate: datePart(invoice.invoiceDeliveryDate),
    buyerReference: String(customerNumber(invoice) ?? invoice.invoiceNo),
    creditedInvoiceNo: typeof invoice.originalInvoiceNo === 'number' ? invoice.originalInvoiceNo : undefined,
    projectCode: typeof invoice.projectCode === 'string' ? invoice.projectCode : undefined,
    seller: { name: seller.name, organizationNumber: seller.organizationNumber, street: 'Storgata 1', zipCode: '0155', city: 'Oslo', bankAccount: '15030001009' },
    buyer: buyerOf(invoice, customer),
    lines: [{ name: `Faktura ${invoice.invoiceNo}`, quantity: 1, unitCode: 'EA', unitPriceOre: netOre }],
    vatPercent: 25,
    vatOre: grossOre - netOre,
  });
}
