import { ApplicationFailure } from '@temporalio/activity';
import { ExternalServiceError } from '../../adapters/external-service-error';
import type { LedgerEventType } from '../../adapters/ledger/ledger-api';
import type { FactoringLedger } from '../../adapters/ledger/ledger-client';
import type { Voucher } from '../../adapters/poweroffice/v2-schemas';
import type { ClientDirectory } from '../../client/client-directory';
import type { AccountMapping } from '../../domain/client-settings';
import { postingFor } from '../../domain/return-data/posting-rules';
import { resolveVoucher } from '../../domain/return-data/resolve-voucher';
import { VoucherPlanError, type Journal, type VoucherPlan } from '../../domain/return-data/voucher-plan';
import { callOutside } from '../failures';
import type { PowerOfficeAccess } from '../verify-client-access';
import { lookUpPowerOfficeIds, type CustomerWanted } from './poweroffice-ids';

export interface ReturnDataDeps {
  clients: ClientDirectory;
  powerOffice: PowerOfficeAccess;
  ledger: FactoringLedger;
}

export type AccountCheck = { ok: true } | { ok: false; problems: string[] };

/** One ledger event's voucher, with PowerOffice's ids, ready to post. */
export interface PreparedVoucher {
  eventId: string;
  eventType: LedgerEventType;
  journal: Journal;
  voucher: Voucher;
}

export type PreparedPage =
  | { ok: true; vouchers: PreparedVoucher[]; nextCursor: string | null; hasMore: boolean }
  /** Nothing of the page may be posted: an account, a customer or the VAT code is missing. */
  | { ok: false; problems: string[] };

export interface PostedVoucherOutcome {
  /** `already-posted`: PowerOffice holds a voucher with this ExternalImportReference (a rerun or a retry). */
  outcome: 'posted' | 'already-posted';
  voucherNo?: number;
}

/**
 * PowerOffice's words for a second voucher with the same ExternalImportReference (the v2 spec's
 * example ProblemDetails, and the emulator): the event was posted before, which is what we want.
 */
const DUPLICATE_REFERENCE = /ExternalImportReference is already in use/i;

export function createReturnDataActivities(deps: ReturnDataDeps) {
  async function mappingOf(clientId: string): Promise<AccountMapping> {
    const settings = await deps.clients.settings(clientId);
    if (!settings.accountMapping) {
      throw ApplicationFailure.nonRetryable(`Client ${clientId} has not ordered return data (no account mapping)`, 'InvalidClientSettings');
    }
    return settings.accountMapping;
  }
  const v2Of = async (clientId: string) => deps.powerOffice.v2(await deps.clients.clientKey(clientId));

  return {
    /** Of the given clients, those whose settings hold an account mapping (return data ordered). */
    async clientsWithReturnData(clientIds: string[]): Promise<{ ordered: string[]; notOrdered: string[] }> {
      const ordered: string[] = [];
      const notOrdered: string[] = [];
      for (const clientId of clientIds) ((await deps.clients.settings(clientId)).accountMapping ? ordered : notOrdered).push(clientId);
      return { ordered, notOrdered };
    },

    /** Before a run posts anything: every mapped account exists and is active, VAT code 0 exists. */
    async checkReturnDataAccounts({ clientId }: { clientId: string }): Promise<AccountCheck> {
      const mapping = await mappingOf(clientId);
      const v2 = await v2Of(clientId);
      const lookup = await callOutside(() => lookUpPowerOfficeIds(v2, mapping, []));
      return lookup.ok ? { ok: true } : { ok: false, problems: lookup.problems };
    },

    /**
     * One page of the client's ledger feed as vouchers with PowerOffice's ids, looked up once for
     * the whole page. Reading again after a retry gives the same page: the feed is append-only.
     */
    async prepareReturnDataPage({ clientId, after, limit }: { clientId: string; after?: string; limit: number }): Promise<PreparedPage> {
      const mapping = await mappingOf(clientId);
      const page = await callOutside(() => deps.ledger.events(clientId, { limit, ...(after === undefined ? {} : { after }) }));
      let plans: VoucherPlan[];
      try {
        plans = page.events.map((event) => postingFor(event, mapping));
      } catch (err) {
        // Only a mapping naming one account for two roles makes a plan break the rules.
        if (err instanceof VoucherPlanError) return { ok: false, problems: [err.message] };
        throw err;
      }
      if (plans.length === 0) return { ok: true, vouchers: [], nextCursor: page.nextCursor, hasMore: page.hasMore };

      const customers: CustomerWanted[] = page.events.flatMap((event) =>
        event.type === 'payment' ? [{ customerNo: event.customerNo, why: `end customer of invoice ${event.invoiceNo}, paid in ledger event ${event.eventId}` }] : [],
      );
      const v2 = await v2Of(clientId);
      const lookup = await callOutside(() => lookUpPowerOfficeIds(v2, mapping, customers));
      if (!lookup.ok) return lookup;
      const vouchers = plans.map((plan) => ({ eventId: plan.eventId, eventType: plan.eventType, journal: plan.journal, voucher: resolveVoucher(plan, lookup.ids) }));
      return { ok: true, vouchers, nextCursor: page.nextCursor, hasMore: page.hasMore };
    },

    /** Posts one voucher; PowerOffice's duplicate guard turns a second post into "already posted". */
    async postReturnDataVoucher({ clientId, prepared }: { clientId: string; prepared: PreparedVoucher }): Promise<PostedVoucherOutcome> {
      const v2 = await v2Of(clientId);
      const post = () => (prepared.journal === 'bank' ? v2.postBankJournal(prepared.voucher) : v2.postManualJournal(prepared.voucher));
      return callOutside(async () => {
        try {
          const posted = await post();
          return { outcome: 'posted', ...(posted.voucherNo != null ? { voucherNo: posted.voucherNo } : {}) };
        } catch (err) {
          if (err instanceof ExternalServiceError && !err.retryable && err.httpStatus === 400 && DUPLICATE_REFERENCE.test(err.message)) {
            return { outcome: 'already-posted' };
          }
          throw err;
        }
      });
    },
  };
}
