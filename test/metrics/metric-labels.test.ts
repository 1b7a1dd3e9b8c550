import { routeFamily } from '../../adapters/poweroffice/transport';
import { rejectionKind } from '../../workflows/invoice-metrics';

/** Metric labels take few values: a kind for a rejection's sentence, a family for a PowerOffice request. */

test("each sentence the assessment rejects with has its kind, and a sentence it does not know is 'other'", () => {
  const reasons = [
    'customer 10012 was not found in PowerOffice GO',
    'customer 10012 has no complete postal address (street, postal code and city) in PowerOffice GO',
    'EHF rule BR-CO-15 failed: Invoice total amount with VAT = Invoice total amount without VAT + Invoice total VAT amount.',
    "the client's EHF was refused: the document is 20001 levels deep; at most 64 are accepted",
    'Ola Nordmann, Storgata 1 is not a reason we wrote',
  ];

  expect(reasons.map(rejectionKind)).toEqual(['customer-not-found', 'no-postal-address', 'ehf-rule', 'ehf-refused', 'other']);
});

test("a PowerOffice request's route family names the route, never the invoice or the customer", () => {
  const labels = [
    'GET Factoring/InvoiceEhf/3f2c8a51-0d7e-4c3b-9a41-6b2e1f0c9d77/',
    'GET Factoring/AvailableInvoices/',
    'POST Factoring/delivered',
    'POST OAuth/Token',
    'GET Customers',
    'GET Customers/10012',
    'POST Vouchers/BankJournals',
  ];

  expect(labels.map(routeFamily)).toEqual([
    'GET Factoring/InvoiceEhf/:id',
    'GET Factoring/AvailableInvoices',
    'POST Factoring/delivered',
    'POST OAuth/Token',
    'GET Customers',
    'GET Customers/:id',
    'POST Vouchers/BankJournals',
  ]);
});
