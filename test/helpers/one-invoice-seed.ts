import { randomUUID } from 'node:crypto';
import { powerOfficeSeedSchema, type PowerOfficeSeed } from '../../emulators/poweroffice/fixture-schema';
import { APPLICATION_KEY, SUBSCRIPTION_KEY } from './service';

/** An organisation number the PEPPOL Directory emulator lists (EHF), and one it does not. */
export const IN_PEPPOL = '987145234';
export const NOT_IN_PEPPOL = '910000012';

/** The one customer's card: what decides the channel, or the rejection. */
export interface CustomerSpec {
  email?: string;
  organisationNumber?: string;
  postalAddress?: boolean;
}

/**
 * A client with one invoice (31001, 12 500 kr unless told) to one customer (10010) as the spec says:
 * the seed of the tests that follow a single invoice through its workflow.
 */
export function seedWithCustomer(
  customer: CustomerSpec,
  invoice: { totalAmount?: number; originalInvoiceNo?: number } = {},
  clientPrefix = 'iw',
): PowerOfficeSeed & { clientId: string } {
  const clientId = `${clientPrefix}${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  return {
    clientId,
    ...powerOfficeSeedSchema.parse({
      applicationKey: APPLICATION_KEY,
      subscriptionKey: SUBSCRIPTION_KEY,
      companies: [
        {
          clientId,
          clientKey: `key-${clientId}`,
          name: 'Snekker Hansen AS',
          organizationNumber: '923609016',
          availableInvoices: [
            {
              id: randomUUID(),
              invoiceNo: 31001,
              customerCode: 10010,
              totalAmount: invoice.totalAmount ?? 12500,
              invoiceDate: '2026-11-27T00:00:00',
              dueDate: '2026-12-11T00:00:00',
              ...(invoice.originalInvoiceNo ? { originalInvoiceNo: invoice.originalInvoiceNo } : {}),
            },
          ],
          customers: [
            {
              Number: 10010,
              Name: 'Bakeri Ås AS',
              OrganizationNumber: customer.organisationNumber ?? NOT_IN_PEPPOL,
              ...(customer.email ? { InvoiceEmailAddress: customer.email } : {}),
              MailAddress:
                customer.postalAddress === false
                  ? { AddressLine1: null, ZipCode: null, City: null, CountryCode: 'NO' }
                  : { AddressLine1: 'Storgata 1', ZipCode: '1430', City: 'Ås', CountryCode: 'NO' },
            },
          ],
        },
      ],
    }),
  };
}
