import { seedCustomer } from '../lib/seed-customer';
import { randomUUID } from 'node:crypto';
import { powerOfficeSeedSchema, type PowerOfficeSeed, type SeedInvoice } from '../../emulators/poweroffice/fixture-schema';
import type { ClientSettingsInput } from '../../domain/client-settings';

/**
 * One client per bench round, with N invoices to one customer. 'ehf': the customer is in the
 * PEPPOL Directory emulator, so every invoice goes out as EHF, the hot path the issue measured
 * (the chaos mix adds e-mails that wait and letters, which a throughput figure should not hold).
 * 'email-link': the client's e-mail alternative 1 for every invoice, so each waits for an opening
 * (4 days, the default) and stays open: the waiting-memory figure.
 */
export const BENCH_APPLICATION_KEY = 'bench-application-key';
export const BENCH_SUBSCRIPTION_KEY = 'bench-subscription-key';
export const BENCH_PARTNER_API_KEY = 'bench-partner-key';
export const BENCH_LEDGER_API_KEY = 'bench-ledger-key';

const CUSTOMER = 10010;
export type BenchChannel = 'ehf' | 'email-link';

export function benchSeed(clientId: string, invoices: number): PowerOfficeSeed {
  const availableInvoices: SeedInvoice[] = Array.from({ length: invoices }, (_, i) => ({
    id: randomUUID(),
    invoiceNo: 40001 + i,
    customerCode: CUSTOMER,
    totalAmount: 1000 + i + 0.5,
    invoiceDate: '2026-11-27T00:00:00',
    dueDate: '2026-12-11T00:00:00',
    isDelivered: false,
    factoringInvoiceStatus: 1,
  }));
  const customers = [seedCustomer(CUSTOMER, `Benkkunde ${CUSTOMER} AS`)];
  return powerOfficeSeedSchema.parse({
    applicationKey: BENCH_APPLICATION_KEY,
    subscriptionKey: BENCH_SUBSCRIPTION_KEY,
    companies: [{ clientId, clientKey: `key-${clientId}`, name: 'Benk AS', organizationNumber: '923609016', availableInvoices, customers }],
  });
}

/** Onboarding settings; `kidClientNumber` must differ between the rounds on one server. */
export function benchClientSettings(clientId: string, channel: BenchChannel, kidClientNumber: number): Partial<ClientSettingsInput> & { clientId: string } {
  return {
    clientId,
    kid: { scheme: 'mod10', length: 15, clientNumber: kidClientNumber },
    ...(channel === 'email-link' ? { emailAlternative: 1, channelOverrides: { [String(CUSTOMER)]: 'email' } } : {}),
  };
}
