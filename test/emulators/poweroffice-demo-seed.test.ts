import { DOMParser, type Element } from '@xmldom/xmldom';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EHF_FIXTURE_DIR, loadDemoSeed, type SeedCompany, type SeedInvoice } from '../../emulators/poweroffice/fixture-schema';
import { seedWithInvoices } from '../helpers/service';

/**
 * The demo seed (emulators/poweroffice/fixtures/demo-company.json) is what `npm start` and many
 * tests stand on: company 1001 as it always was, a second client, and data that agrees with itself.
 */
const CBC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2';
const CAC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2';

function child(parent: Element, ns: string, name: string): Element | undefined {
  return Array.from(parent.childNodes).find((n): n is Element => n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === name);
}

function path(root: Element, ...steps: string[]): string | undefined {
  let node: Element | undefined = root;
  for (const [i, step] of steps.entries()) node = node && child(node, i === steps.length - 1 ? CBC : CAC, step);
  return node?.textContent ?? undefined;
}

function ehfOf(invoice: SeedInvoice): Element {
  const xml = readFileSync(join(EHF_FIXTURE_DIR, invoice.ehfFile ?? ''), 'utf8');
  const root = new DOMParser().parseFromString(xml, 'text/xml').documentElement;
  if (!root) throw new Error(`${invoice.ehfFile} does not parse`);
  return root;
}

const seed = loadDemoSeed();
const company = (clientId: string) => seed.companies.find((c) => c.clientId === clientId) as SeedCompany;

describe('the demo seed', () => {
  test('company 1001 keeps its client key and its three invoices', () => {
    const c1001 = company('1001');

    expect(seed.applicationKey).toBe('demo-application-key');
    expect(c1001.clientKey).toBe('demo-client-key-1001');
    expect(c1001.availableInvoices.map((i) => [i.id, i.invoiceNo, i.totalAmount])).toEqual([
      ['3f2c7a8e-1b4d-4c5e-9f60-7a8b9c0d1e21', 10023, 12500],
      ['6b1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d52', 10024, 4375.5],
      ['9c8b7a6f-5e4d-4c3b-a2a1-0f9e8d7c6b53', 10025, -1250],
    ]);
  });

  test('a second client, 1002, has its own key, subscription key shared', () => {
    expect(company('1002')).toMatchObject({ clientKey: 'demo-client-key-1002', name: 'Vestland Elektro AS' });
    expect(seed.subscriptionKey).toBe('demo-subscription-key');
  });

  test.each(seed.companies.flatMap((c) => c.availableInvoices.map((invoice) => [c.clientId, invoice.invoiceNo, c, invoice] as const)))(
    'client %s invoice %i: the EHF agrees with the v1 invoice and the v2 customer',
    (_clientId, _invoiceNo, owner, invoice) => {
      const root = ehfOf(invoice);
      const customer = owner.customers.find((c) => c.Number === invoice.customerCode);
      const isCreditNote = invoice.totalAmount < 0;

      expect(root.localName).toBe(isCreditNote ? 'CreditNote' : 'Invoice');
      expect(path(root, 'ID')).toBe(String(invoice.invoiceNo));
      expect(path(root, 'IssueDate')).toBe(String(invoice.invoiceDate).slice(0, 10));
      expect(path(root, 'LegalMonetaryTotal', 'PayableAmount')).toBe(Math.abs(invoice.totalAmount).toFixed(2));
      expect(path(root, 'AccountingSupplierParty', 'Party', 'EndpointID')).toBe(owner.organizationNumber);
      expect(customer).toBeDefined();
      expect(path(root, 'AccountingCustomerParty', 'Party', 'EndpointID')).toBe(customer?.OrganizationNumber);
      if (isCreditNote) expect(path(root, 'BillingReference', 'InvoiceDocumentReference', 'ID')).toBe(String(invoice.originalInvoiceNo));
    },
  );

  test('customers cover the channels: EHF, print only, no e-mail, and one without a postal address', () => {
    const customers = seed.companies.flatMap((c) => c.customers);

    expect(customers.filter((c) => c.InvoiceDeliveryType === 'EHF').map((c) => c.Number)).toEqual([10010, 20010]);
    expect(customers.find((c) => c.InvoiceEmailAddress === 'printonly@factoringfinans.no')?.Number).toBe(10011);
    expect(customers.find((c) => !c.EmailAddress && !c.InvoiceEmailAddress)?.Number).toBe(20011);
    expect(customers.find((c) => !c.MailAddress?.AddressLine1)?.Number).toBe(10012);
  });

  test('company 1001 has the accounts return data posts to, with 6976 inactive', () => {
    const accounts = company('1001').generalLedgerAccounts;

    expect(accounts.map((a) => [a.AccountNo, a.IsActive])).toEqual(expect.arrayContaining([[1510, true], [1920, true], [2990, true], [6970, true], [6975, true], [6976, false]]));
  });

  test('a test seed built in code parses, with the default chart of accounts and VAT codes and a customer per customer number', () => {
    const testSeed = seedWithInvoices(2);

    expect(testSeed.companies[0]?.generalLedgerAccounts.map((a) => a.AccountNo)).toEqual(expect.arrayContaining([1510, 1920, 2990, 6970, 6975, 6976]));
    expect(testSeed.companies[0]?.vatCodes.map((v) => v.Code)).toEqual(expect.arrayContaining(['0', '3']));
    expect(testSeed.companies[0]?.customers.map((c) => c.Number)).toEqual([10010, 10011, 10012]);
  });
});
