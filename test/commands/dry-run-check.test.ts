import { randomUUID } from 'node:crypto';
import { dryRun, type DryRunSources } from '../../client/dry-run-check';
import { cardProblems } from '../../client/dry-run-findings';
import { factoringInvoiceDetailsSchema } from '../../adapters/poweroffice/v1-schemas';
import { customerSchema, type Customer } from '../../adapters/poweroffice/v2-schemas';
import { loadConfig } from '../../config/config';
import { clientSettingsInputSchema, type StoredClientSettings } from '../../domain/client-settings';
import { seedInvoiceSchema } from '../../emulators/poweroffice/fixture-schema';
import { synthesizeEhf } from '../../emulators/poweroffice/ehf/synthesize-ehf';

/**
 * The dry run's reading and deciding as one function, with in-process PowerOffice and PEPPOL
 * stand-ins: paging as the batch pages, and what a single card tells. The command itself runs
 * against the real emulators in dry-run.test.ts.
 */
const CLIENT = 'drypages';
const config = loadConfig({});
const settings: StoredClientSettings = {
  ...clientSettingsInputSchema.parse({ clientId: CLIENT, kid: { clientNumber: 4711 } }),
  clientName: 'Snekker Hansen AS',
  clientKey: { keyId: 'test', sealed: 'unused', fingerprint: 'unused' },
  status: 'Disabled',
  changedAt: '2026-12-06T08:00:00Z',
};

function card(customerNo: number, fields: Partial<Customer> = {}): Customer {
  return customerSchema.parse({
    id: customerNo,
    number: customerNo,
    subledgerAccountId: customerNo,
    name: 'Bakeri Ås AS',
    organizationNumber: '987145234',
    mailAddress: { addressLine1: 'Storgata 1', zipCode: '1430', city: 'Ås', countryCode: 'NO' },
    ...fields,
  });
}

function sources(invoiceCount: number): DryRunSources & { pagesAsked: number; customerReads: number } {
  const invoices = Array.from({ length: invoiceCount }, (_, i) =>
    seedInvoiceSchema.parse({ id: randomUUID(), invoiceNo: 50001 + i, customerCode: 10010, totalAmount: 1000, invoiceDate: '2026-11-27T00:00:00', dueDate: '2026-12-11T00:00:00' }),
  );
  const fake = {
    pagesAsked: 0,
    customerReads: 0,
    v1: {
      availableInvoices: async ({ afterInvoiceNo, top }: { afterInvoiceNo?: number; top: number }) => {
        fake.pagesAsked += 1;
        const rest = invoices.filter((i) => afterInvoiceNo === undefined || i.invoiceNo > afterInvoiceNo);
        const page = rest.slice(0, top);
        return { invoices: page.map((i) => factoringInvoiceDetailsSchema.parse(i)), unreadable: [], records: page.length, lastInvoiceNo: page.at(-1)?.invoiceNo, total: rest.length };
      },
      invoiceEhf: async (invoiceId: string) =>
        synthesizeEhf({ name: 'Snekker Hansen AS', organizationNumber: '923609016' }, invoices.find((i) => i.id === invoiceId)!, {
          Number: 10010,
          Name: 'Bakeri Ås AS',
          OrganizationNumber: '987145234',
          MailAddress: { AddressLine1: 'Storgata 1', ZipCode: '1430', City: 'Ås', CountryCode: 'NO' },
        }),
    },
    v2: {
      customersByNumber: async (customerNos: number[]) => {
        fake.customerReads += 1;
        return customerNos.map((n) => card(n));
      },
    },
    peppol: { canReceive: async () => true },
    factoringFinans: config.factoringFinans,
    openingWait: config.openingWait,
  };
  return fake;
}

describe('dry run, reading and deciding', () => {
  test('250 invoices are read in three pages of at most 100, one customer-card read per page, each page reported', async () => {
    const fake = sources(250);
    const pages: string[] = [];

    const report = await dryRun(fake, CLIENT, settings, { page: (pageNo, fetched, soFar, total) => pages.push(`${pageNo}: ${fetched}, ${soFar} of ${total}`) });

    expect(pages).toEqual(['1: 100, 100 of 250', '2: 100, 200 of 250', '3: 50, 250 of 250']);
    expect(fake.customerReads).toBe(3);
    expect(report.invoices.map((i) => i.invoiceNo)).toEqual(Array.from({ length: 250 }, (_, i) => 50001 + i));
    expect(report.outcomes).toEqual({ ehf: 250 });
    expect(report).toMatchObject({ clientStatus: 'Disabled', problems: [], summary: [] });
  });

  test('a card with its e-mail in EmailAddress only and an organisation number written with spaces is judged as the channel choice reads it', () => {
    const problems = cardProblems(1, 10010, card(10010, { emailAddress: 'post@', organizationNumber: '987 145 234' }));

    expect(problems).toEqual([{ invoiceNo: 1, customerNo: 10010, kind: 'email-malformed', field: 'EmailAddress', problem: "customer 10010's EmailAddress is not a valid e-mail address" }]);
  });
});
