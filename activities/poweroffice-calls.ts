import type { SecretCipher } from '../adapters/secrets/secret-cipher';
import type { ClientDirectory } from '../client/client-directory';
import type { EncryptedSecret } from '../domain/client-settings';
import { fetchAvailableInvoicePage } from './fetch-available-invoices';
import { callOutside } from './failures';
import type { PowerOfficeAccess } from './verify-client-access';

/**
 * The activities of the PowerOffice task queues (workflows/poweroffice-queues.ts). Each attempt
 * makes exactly one HTTP request to PowerOffice (the connector's oneRequestPerCall view: no second
 * try inside a call, a token request takes the attempt's request and the call follows in the next
 * attempt), so the server's dispatch rate for the queue is the request rate PowerOffice sees.
 *
 * What they read goes into workflow history, so personal data (the client's EHF names the buyer,
 * a customer card holds names and addresses) is sealed with the worker's cipher (AES-256-GCM, the
 * key that seals client keys) and opened only inside the activities that use it.
 */
export interface PowerOfficeCallDeps {
  clients: ClientDirectory;
  /** One request per call: `PowerOfficeConnector.oneRequestPerCall()`. */
  powerOffice: PowerOfficeAccess;
  cipher: SecretCipher;
}

/** One customer card as the batch read it: sealed JSON of PowerOffice's v2 Customer; null when PowerOffice has no such customer. */
export interface SealedCustomerCard {
  card: EncryptedSecret | null;
}

export interface CustomerCardsInput {
  clientId: string;
  customerNos: number[];
}

export interface CustomerCards {
  cards: { customerNo: number; card: EncryptedSecret | null }[];
}

/** v2 `Customers` answers up to 1,000 rows in one page; more numbers would take a second request. */
export const MAX_CUSTOMERS_PER_READ = 999;

export function createPowerOfficeV1Activities(deps: PowerOfficeCallDeps) {
  const v1Of = async (clientId: string) => deps.powerOffice.v1(await deps.clients.clientKey(clientId));
  return {
    /** One page of available invoices: one `GET Factoring/AvailableInvoices`. */
    fetchAvailableInvoicePage: fetchAvailableInvoicePage(v1Of),

    /** The client's EHF of one invoice, sealed: one `GET Factoring/InvoiceEhf`. */
    async readInvoiceEhf({ clientId, invoiceId }: { clientId: string; invoiceId: string }): Promise<EncryptedSecret> {
      const v1 = await v1Of(clientId);
      const xml = await callOutside(() => v1.invoiceEhf(invoiceId));
      return deps.cipher.seal(xml);
    },
  };
}

export function createPowerOfficeV2Activities(deps: PowerOfficeCallDeps) {
  return {
    /**
     * The customer cards of a page of invoices, in one `GET Customers?customerNos=…`: v2 allows 10
     * requests a second for every client together, so a card per invoice would make 10 invoices a
     * second the bound of a batch.
     */
    async readCustomerCards({ clientId, customerNos }: CustomerCardsInput): Promise<CustomerCards> {
      const wanted = [...new Set(customerNos)];
      if (wanted.length === 0) return { cards: [] };
      if (wanted.length > MAX_CUSTOMERS_PER_READ) throw new Error(`at most ${MAX_CUSTOMERS_PER_READ} customers per read, got ${wanted.length}`);
      const v2 = deps.powerOffice.v2(await deps.clients.clientKey(clientId));
      const found = await callOutside(() => v2.customersByNumber(wanted));
      return {
        cards: wanted.map((customerNo) => {
          const customer = found.find((c) => c.number === customerNo);
          return { customerNo, card: customer ? deps.cipher.seal(JSON.stringify(customer)) : null };
        }),
      };
    },
  };
}

export type PowerOfficeV1Activities = ReturnType<typeof createPowerOfficeV1Activities>;
export type PowerOfficeV2Activities = ReturnType<typeof createPowerOfficeV2Activities>;
