import { ExternalServiceError } from '../adapters/external-service-error';
import type { SecretCipher } from '../adapters/secrets/secret-cipher';
import type { ClientDirectory } from '../client/client-directory';
import type { EncryptedSecret } from '../domain/client-settings';
import { fetchAvailableInvoicePage } from './fetch-available-invoices';
import { callOutside } from './failures';
import { sealEhf } from './sealed-ehf';
import type { OtherPowerOfficeEnvironment, PowerOfficeAccess } from './poweroffice-access';

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
  /** Onboarding's probe of a refused key (one token request there); absent when not configured. */
  otherEnvironment?: OtherPowerOfficeEnvironment;
}

/**
 * Whose key a call uses: the stored client's (`clientId`), or the sealed key onboarding is checking
 * before anything is stored (`clientKey`).
 */
export interface KeyOf {
  clientId: string;
  clientKey?: EncryptedSecret;
}

/** What return data and onboarding need of a GL account: no names, only numbers and whether it can be posted to. */
export interface LedgerAccountFound {
  accountNo: number;
  id: number;
  /** PowerOffice's IsActive; null/absent counts as active. */
  active: boolean;
}

export interface CustomerSubledgerFound {
  customerNo: number;
  subledgerAccountId: number;
}

/** VAT code "0" (no VAT) as PowerOffice holds it; several rows when it keeps old ones. */
export interface NoVatCodeFound {
  id: number;
  active: boolean;
}

/** A key PowerOffice refused at the token endpoint (400/401): the answer, not a failure to retry. */
function isKeyRefused(err: unknown): boolean {
  return err instanceof ExternalServiceError && !err.retryable && (err.httpStatus === 400 || err.httpStatus === 401);
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

function keys(deps: PowerOfficeCallDeps) {
  return async ({ clientId, clientKey }: KeyOf): Promise<string> => (clientKey ? deps.cipher.open(clientKey) : deps.clients.clientKey(clientId));
}

export function createPowerOfficeV1Activities(deps: PowerOfficeCallDeps) {
  const v1Of = async (clientId: string) => deps.powerOffice.v1(await deps.clients.clientKey(clientId));
  const keyOf = keys(deps);
  return {
    /**
     * Onboarding: may this key use the v1 Factoring API? One `GET Factoring/AvailableInvoices?$top=1`.
     * A refusal is the answer (the workflow words it), not a failure.
     */
    async probeFactoringAccess(input: KeyOf & { clientKey: EncryptedSecret }): Promise<{ ok: true } | { ok: false; httpStatus: number | null; message: string }> {
      const v1 = deps.powerOffice.v1(await keyOf(input));
      try {
        await v1.availableInvoices({ top: 1 });
        return { ok: true };
      } catch (err) {
        if (err instanceof ExternalServiceError && !err.retryable) return { ok: false, httpStatus: err.httpStatus ?? null, message: err.message };
        return asFailure(err);
      }
    },

    /** One page of available invoices: one `GET Factoring/AvailableInvoices`. */
    fetchAvailableInvoicePage: fetchAvailableInvoicePage(v1Of),

    /** The client's EHF of one invoice, sealed: one `GET Factoring/InvoiceEhf`. */
    async readInvoiceEhf({ clientId, invoiceId }: { clientId: string; invoiceId: string }): Promise<EncryptedSecret> {
      const v1 = await v1Of(clientId);
      const xml = await callOutside(() => v1.invoiceEhf(invoiceId));
      return sealEhf(deps.cipher, xml);
    },
  };
}

export function createPowerOfficeV2Activities(deps: PowerOfficeCallDeps) {
  const keyOf = keys(deps);
  return {
    /**
     * Onboarding: does PowerOffice accept the key, and with which privileges? One request: the
     * token, or (the next attempt) `GET ClientIntegrationInformation`. A refused key is an answer.
     */
    async readClientIntegration(input: KeyOf & { clientKey: EncryptedSecret }): Promise<{ accepted: true; clientName?: string; validPrivileges: string[] } | { accepted: false }> {
      const v2 = deps.powerOffice.v2(await keyOf(input));
      try {
        const info = await v2.clientIntegrationInformation();
        return { accepted: true, ...(info.clientName ? { clientName: info.clientName } : {}), validPrivileges: info.validPrivileges };
      } catch (err) {
        if (isKeyRefused(err)) return { accepted: false };
        return asFailure(err);
      }
    },

    /**
     * Onboarding, for a key our environment refused: does the other environment (demo or
     * production) accept it? One token request there: a request to another PowerOffice deployment,
     * made on this queue all the same, so that no PowerOffice request is made off the queues.
     */
    async probeOtherEnvironment({ clientKey }: { clientKey: EncryptedSecret }): Promise<{ environment: 'demo' | 'production'; accepted: boolean } | { environment: null }> {
      const other = deps.otherEnvironment;
      if (!other) return { environment: null };
      try {
        await other.access.v2(deps.cipher.open(clientKey)).obtainToken();
        return { environment: other.name, accepted: true };
      } catch (err) {
        // Refused there too: the key itself is wrong.
        if (err instanceof ExternalServiceError && !err.retryable) return { environment: other.name, accepted: false };
        return asFailure(err);
      }
    },

    /** The GL accounts with these numbers: one `GET GeneralLedgerAccounts?accountNos=…`. Numbers and ids only. */
    async readLedgerAccounts(input: KeyOf & { accountNos: number[] }): Promise<{ accounts: LedgerAccountFound[] }> {
      const wanted = [...new Set(input.accountNos)];
      if (wanted.length === 0) return { accounts: [] };
      const v2 = deps.powerOffice.v2(await keyOf(input));
      const found = await callOutside(() => v2.generalLedgerAccounts(wanted));
      return { accounts: found.filter((a) => wanted.includes(a.accountNo)).map((a) => ({ accountNo: a.accountNo, id: a.id, active: a.isActive !== false })) };
    },

    /** The sub-ledger account ids of these customers: one `GET Customers?customerNos=…`; no names or addresses. */
    async readCustomerSubledgerIds(input: KeyOf & { customerNos: number[] }): Promise<{ customers: CustomerSubledgerFound[] }> {
      const wanted = [...new Set(input.customerNos)];
      if (wanted.length === 0) return { customers: [] };
      if (wanted.length > MAX_CUSTOMERS_PER_READ) throw new Error(`at most ${MAX_CUSTOMERS_PER_READ} customers per read, got ${wanted.length}`);
      const v2 = deps.powerOffice.v2(await keyOf(input));
      const found = await callOutside(() => v2.customersByNumber(wanted));
      return { customers: found.flatMap((c) => (c.number != null && wanted.includes(c.number) ? [{ customerNo: c.number, subledgerAccountId: c.subledgerAccountId }] : [])) };
    },

    /** VAT code "0" (no VAT), which every return-data line carries: one `GET VatCodes`. */
    async readNoVatCodes(input: KeyOf): Promise<{ noVatCodes: NoVatCodeFound[] }> {
      const v2 = deps.powerOffice.v2(await keyOf(input));
      const vatCodes = await callOutside(() => v2.vatCodes());
      return { noVatCodes: vatCodes.filter((vat) => vat.code === '0').map((vat) => ({ id: vat.id, active: vat.isActive !== false })) };
    },

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

/** An outside error that is not the answer: the Temporal failure callOutside makes of it. */
function asFailure(err: unknown): Promise<never> {
  return callOutside(() => {
    throw err;
  });
}

export type PowerOfficeV1Activities = ReturnType<typeof createPowerOfficeV1Activities>;
export type PowerOfficeV2Activities = ReturnType<typeof createPowerOfficeV2Activities>;
