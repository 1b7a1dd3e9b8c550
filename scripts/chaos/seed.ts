import { seedCustomer } from '../lib/seed-customer';
import { randomUUID } from 'node:crypto';
import { powerOfficeSeedSchema, type PowerOfficeSeed, type SeedInvoice } from '../../emulators/poweroffice/fixture-schema';
import type { ClientSettingsInput } from '../../domain/client-settings';

/**
 * The campaign's one client: M invoices spread over three customers, one per way out (EHF, e-mail
 * with link and code, letter); return data ordered, so the OCR payments come back as vouchers.
 * E-mail alternative 1 (link and code), not 2 (PDF): the e-mail alternative is the client's, not
 * the customer's (domain/channel.ts), and only alternative 1 waits for an opening through our
 * webhook and sends the letter when none comes, the path with timers and signals that kills can
 * break. An e-mail with the PDF is one send like the EHF, which the campaign already covers.
 */
export const CHAOS_CLIENT_ID = 'chaos';
export const CHAOS_APPLICATION_KEY = 'chaos-application-key';
export const CHAOS_SUBSCRIPTION_KEY = 'chaos-subscription-key';
export const CHAOS_PARTNER_API_KEY = 'chaos-partner-key';
export const CHAOS_LEDGER_API_KEY = 'chaos-ledger-key';

const EHF_CUSTOMER = 10010;
/** Gets e-mails with link and code: some are opened by the campaign's "end customer", the rest get a letter. */
export const LINK_EMAIL_CUSTOMER = 10011;
const LETTER_CUSTOMER = 10012;

export function chaosSeed(invoices: number): PowerOfficeSeed {
  const availableInvoices: SeedInvoice[] = Array.from({ length: invoices }, (_, i) => ({
    id: randomUUID(),
    invoiceNo: 30001 + i,
    customerCode: [EHF_CUSTOMER, LINK_EMAIL_CUSTOMER, LETTER_CUSTOMER][i % 3] ?? EHF_CUSTOMER,
    totalAmount: 1000 + i + 0.5,
    invoiceDate: '2026-11-27T00:00:00',
    dueDate: '2026-12-11T00:00:00',
    isDelivered: false,
    factoringInvoiceStatus: 1,
  }));
  // Without the settings' overrides every customer would get EHF (seedCustomer).
  const customers = [EHF_CUSTOMER, LINK_EMAIL_CUSTOMER, LETTER_CUSTOMER].map((number) => seedCustomer(number, `Kaoskunde ${number} AS`));

  return powerOfficeSeedSchema.parse({
    applicationKey: CHAOS_APPLICATION_KEY,
    subscriptionKey: CHAOS_SUBSCRIPTION_KEY,
    companies: [{ clientId: CHAOS_CLIENT_ID, clientKey: `key-${CHAOS_CLIENT_ID}`, name: 'Kaos AS', organizationNumber: '923609016', availableInvoices, customers }],
  });
}

export const chaosClientSettings: Partial<ClientSettingsInput> & { clientId: string } = {
  clientId: CHAOS_CLIENT_ID,
  emailAlternative: 1,
  kid: { scheme: 'mod10', length: 15, clientNumber: 4242 },
  channelOverrides: { [String(LINK_EMAIL_CUSTOMER)]: 'email', [String(LETTER_CUSTOMER)]: 'letter' },
  accountMapping: { receivables: 1510, administrativeFees: 6970, financialFees: 6975, bankPayouts: 1920, factoringBalance: 2990 },
};
