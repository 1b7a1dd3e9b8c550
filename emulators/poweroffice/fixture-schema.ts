import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The emulator's seed, in PowerOffice's own v1 JSON shape (camelCase, `totalAmount` as a decimal).
 * Kept apart from the adapter's schemas on purpose: the emulator follows the reference, not our client.
 */
export const seedInvoiceSchema = z
  .object({
    id: z.guid(),
    invoiceNo: z.number().int().positive(),
    totalAmount: z.number(),
    isDelivered: z.boolean().default(false),
    factoringInvoiceStatus: z.number().int().min(0).max(5).default(1),
  })
  .catchall(z.unknown());
export type SeedInvoice = z.infer<typeof seedInvoiceSchema>;

export const seedCompanySchema = z.object({
  clientId: z.string().min(1),
  clientKey: z.string().min(1),
  name: z.string().min(1),
  organizationNumber: z.string().regex(/^\d{9}$/),
  availableInvoices: z.array(seedInvoiceSchema).default([]),
});
export type SeedCompany = z.infer<typeof seedCompanySchema>;

export const powerOfficeSeedSchema = z.object({
  applicationKey: z.string().min(1),
  companies: z.array(seedCompanySchema),
});
export type PowerOfficeSeed = z.infer<typeof powerOfficeSeedSchema>;

export function loadDemoSeed(): PowerOfficeSeed {
  return powerOfficeSeedSchema.parse(JSON.parse(readFileSync(join(__dirname, 'fixtures', 'demo-company.json'), 'utf8')));
}
