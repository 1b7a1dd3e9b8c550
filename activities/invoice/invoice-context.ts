import { ApplicationFailure } from '@temporalio/activity';
import { customerSchema, type Customer } from '../../adapters/poweroffice/v2-schemas';
import type { SecretCipher } from '../../adapters/secrets/secret-cipher';
import type { ClientDirectory } from '../../client/client-directory';
import type { FactoringFinansSettings } from '../../documents/settings';
import { kidClientNumber, type EncryptedSecret, type StoredClientSettings } from '../../domain/client-settings';
import type { CustomerCard } from '../../domain/ehf/factoring';
import type { FactoringDocument } from '../../domain/invoice';
import type { KidScheme } from '../../domain/kid';
import type { SealedCustomerCard } from '../poweroffice-calls';
import { openEhf } from '../sealed-ehf';
import { powerOfficeStepMoved } from '../step-moved';

/** No PowerOffice: what it holds of the invoice comes handed (HandedPowerOfficeData). */
export interface InvoiceSources {
  clients: ClientDirectory;
  factoringFinans: FactoringFinansSettings;
  /** Opens what the PowerOffice activities sealed (activities/poweroffice-calls.ts). */
  cipher: SecretCipher;
}

/**
 * What the invoice workflow read from PowerOffice through the rate-limited PowerOffice task queues
 * and hands on, sealed: the client's EHF and the customer card. Absent only in inputs scheduled
 * before they were (histories from earlier versions): such a task fails as moved (step-moved.ts).
 */
export interface HandedPowerOfficeData {
  ehf: EncryptedSecret;
  customer: SealedCustomerCard;
}

/** Everything about one invoice that lives outside Temporal, loaded fresh by each activity that needs it. */
export interface InvoiceContext {
  settings: StoredClientSettings;
  clientXml: string;
  customer?: Customer;
  kidScheme: KidScheme;
}

export function kidSchemeOf(settings: StoredClientSettings): KidScheme {
  return { method: settings.kid.scheme === 'mod11' ? 'MOD11' : 'MOD10', length: settings.kid.length, clientNumber: kidClientNumber(settings) };
}

export async function loadInvoiceContext(sources: InvoiceSources, document: FactoringDocument, handed?: HandedPowerOfficeData): Promise<InvoiceContext> {
  const settings = await sources.clients.settings(document.clientId);
  const kidScheme = kidSchemeFor(settings);
  if (handed) {
    const customer = openCustomerCard(sources.cipher, handed.customer);
    return { settings, clientXml: openEhf(sources.cipher, handed.ehf), ...(customer ? { customer } : {}), kidScheme };
  }
  // Scheduled by a version that read PowerOffice here, off the rate-limited queues: the workflow
  // reads the EHF and the card on the queues and hands them (invoice-workflow.ts).
  return powerOfficeStepMoved(`A step of invoice ${document.invoiceNo} without its EHF and customer card`);
}

function kidSchemeFor(settings: StoredClientSettings): KidScheme {
  try {
    return kidSchemeOf(settings);
  } catch (err) {
    throw ApplicationFailure.nonRetryable(err instanceof Error ? err.message : String(err), 'InvalidClientSettings');
  }
}

/** The card PowerOffice gave, checked again at this boundary (it travelled through history). */
export function openCustomerCard(cipher: SecretCipher, sealed: SealedCustomerCard): Customer | undefined {
  return sealed.card ? customerSchema.parse(JSON.parse(cipher.open(sealed.card))) : undefined;
}

/** A postal address we can print a letter to: a street line, a postal code and a city. */
export function postalAddressOf(customer: Customer | undefined) {
  const address = customer?.mailAddress;
  if (!address?.addressLine1 || !address.zipCode || !address.city) return undefined;
  return {
    addressLines: [address.addressLine1, address.addressLine2].filter((line): line is string => Boolean(line)),
    postalCode: address.zipCode,
    city: address.city,
    countryCode: address.countryCode ?? 'NO',
  };
}

export function customerName(customer: Customer): string {
  return customer.legalName ?? customer.name ?? [customer.firstName, customer.lastName].filter(Boolean).join(' ');
}

/** The customer card as the EHF builder takes it (fills a missing buyer address). */
export function customerCard(customer: Customer | undefined): CustomerCard | undefined {
  if (!customer) return undefined;
  const address = postalAddressOf(customer);
  return {
    name: customerName(customer),
    ...(customer.organizationNumber ? { organisationNumber: customer.organizationNumber } : {}),
    ...(address
      ? {
          postalAddress: {
            streetName: address.addressLines[0],
            ...(address.addressLines[1] ? { additionalStreetName: address.addressLines[1] } : {}),
            postalZone: address.postalCode,
            cityName: address.city,
            countryCode: address.countryCode,
          },
        }
      : {}),
  };
}

export function invoiceEmail(customer: Customer | undefined): string | undefined {
  return customer?.invoiceEmailAddress ?? customer?.emailAddress ?? undefined;
}
