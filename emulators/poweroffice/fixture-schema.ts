import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { defaultAccounts, defaultVatCodes } from './seed-defaults';
import { seedAccountSchema, seedCustomerSchema, seedFactoringSettingSchema, seedIntegrationSchema, seedVatCodeSchema } from './seed-v2';

/**
 * The emulator's seed, in PowerOffice's own JSON shapes: v1 invoices camelCase (`totalAmount` as a
 * decimal), v2 customers, accounts and VAT codes PascalCase as in the v2 spec. Kept apart from the
 * adapter's schemas on purpose: the emulator follows the reference, not our client.
 * Everything beyond the first version's fields is optional with a default, so small test seeds
 * (test/helpers/service.ts) still parse.
 */
export const FIXTURE_DIR = join(__dirname, 'fixtures');
/** Where `ehfFile` names are looked up. */
export const EHF_FIXTURE_DIR = join(FIXTURE_DIR, 'ehf');

export const seedInvoiceSchema = z
  .object({
    id: z.guid(),
    invoiceNo: z.number().int().positive(),
    totalAmount: z.number(),
    isDelivered: z.boolean().default(false),
    factoringInvoiceStatus: z.number().int().min(0).max(5).default(1),
    /** Emulator only, never served: a file under fixtures/ehf/ holding this invoice's EHF XML. */
    ehfFile: z.string().regex(/^[\w.-]+\.xml$/, 'a file name under fixtures/ehf/').optional(),
    /** Emulator only, never served: the EHF XML itself (admin API, tests). Without either, one is made up. */
    ehfXml: z.string().min(1).optional(),
  })
  .catchall(z.unknown());
export type SeedInvoice = z.infer<typeof seedInvoiceSchema>;

export const seedCompanySchema = z.object({
  clientId: z.string().min(1),
  clientKey: z.string().min(1),
  name: z.string().min(1),
  organizationNumber: z.string().regex(/^\d{9}$/),
  /** Invoices sent with delivery type Factoring; `isDelivered: true` ones show in InvoicesDelivered. */
  availableInvoices: z.array(seedInvoiceSchema).default([]),
  customers: z.array(seedCustomerSchema).default([]),
  generalLedgerAccounts: z.array(seedAccountSchema).default(defaultAccounts),
  vatCodes: z.array(seedVatCodeSchema).default(defaultVatCodes),
  factoringSettings: z.array(seedFactoringSettingSchema).default([]),
  clientIntegrationInformation: seedIntegrationSchema.default(() => seedIntegrationSchema.parse({})),
});
export type SeedCompany = z.infer<typeof seedCompanySchema>;

export const powerOfficeSeedSchema = z.object({
  applicationKey: z.string().min(1),
  /** The v2 product subscription key (`Ocp-Apim-Subscription-Key`), shared by all client keys. */
  subscriptionKey: z.string().min(1).default('emulator-subscription-key'),
  companies: z.array(seedCompanySchema),
});
export type PowerOfficeSeed = z.infer<typeof powerOfficeSeedSchema>;
/** A seed before defaults are filled in (what tests may write by hand). */
export type PowerOfficeSeedInput = z.input<typeof powerOfficeSeedSchema>;

export function loadDemoSeed(): PowerOfficeSeed {
  return powerOfficeSeedSchema.parse(JSON.parse(readFileSync(join(FIXTURE_DIR, 'demo-company.json'), 'utf8')));
}

/**
 * The demo as `npm start` runs it: the demo seed plus invoices that show the remaining distribution
 * cases (a customer without a postal address, an e-mail-only customer for link and code). Kept in
 * their own file so the emulator's own tests can rely on the demo seed as it is.
 */
const distributionCasesSchema = z.object({
  clientId: z.string().min(1),
  availableInvoices: z.array(seedInvoiceSchema),
  customers: z.array(seedCustomerSchema),
});

export function loadDemoSeedWithDistributionCases(): PowerOfficeSeed {
  const seed = loadDemoSeed();
  const extra = distributionCasesSchema.parse(JSON.parse(readFileSync(join(FIXTURE_DIR, 'demo-distribution-cases.json'), 'utf8')));
  return {
    ...seed,
    companies: seed.companies.map((company) =>
      company.clientId === extra.clientId
        ? { ...company, availableInvoices: [...company.availableInvoices, ...extra.availableInvoices], customers: [...company.customers, ...extra.customers] }
        : company,
    ),
  };
}
