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
import type { PowerOfficeAccess } from '../poweroffice-access';
import { powerOfficeStepMoved } from '../step-moved';
import { mappedAccountNos, resolvePowerOfficeIds, type CustomerWanted, type PowerOfficeAnswers } from './poweroffice-ids';

/** The main queue's return-data steps: the ledger, the client's settings, no PowerOffice. */
export interface ReturnDataDeps {
  clients: ClientDirectory;
  ledger: FactoringLedger;
}

/** Posting a voucher, on the v2 PowerOffice queue: one request per call. */
export interface VoucherPostingDeps {
  clients: ClientDirectory;
  powerOffice: PowerOfficeAccess;
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

/**
 * One page of the ledger's feed as voucher plans, before PowerOffice's ids are known: what the
 * workflow reads PowerOffice for (the mapping's accounts, the customers), then resolves.
 */
export type PlannedPage =
  | { ok: true; mapping: AccountMapping; accountNos: number[]; plans: VoucherPlan[]; customers: CustomerWanted[]; nextCursor: string | null; hasMore: boolean }
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

  return {
    /** Of the given clients, those whose settings hold an account mapping (return data ordered). */
    async clientsWithReturnData(clientIds: string[]): Promise<{ ordered: string[]; notOrdered: string[] }> {
      const ordered: string[] = [];
      const notOrdered: string[] = [];
      for (const clientId of clientIds) ((await deps.clients.settings(clientId)).accountMapping ? ordered : notOrdered).push(clientId);
      return { ordered, notOrdered };
    },

    // The two steps below read PowerOffice themselves (three v2 requests each, off the rate-limited
    // queues) in runs recorded before the lookups moved to the v2 queue. Kept by name for a task such a
    // run scheduled before the upgrade; it fails at once and the workflow reads on the queue instead.
    async checkReturnDataAccounts(_input: { clientId: string }): Promise<AccountCheck> {
      return powerOfficeStepMoved('checkReturnDataAccounts');
    },
    async prepareReturnDataPage(_input: { clientId: string; after?: string; limit: number }): Promise<PreparedPage> {
      return powerOfficeStepMoved('prepareReturnDataPage');
    },

    /** The client's account mapping, and the GL account numbers to look up in PowerOffice (readLedgerAccounts). */
    async returnDataMapping({ clientId }: { clientId: string }): Promise<{ mapping: AccountMapping; accountNos: number[] }> {
      const mapping = await mappingOf(clientId);
      return { mapping, accountNos: mappedAccountNos(mapping) };
    },

    /** Before a run posts anything: every mapped account exists and is active, VAT code 0 exists (from the v2 queue's answers). */
    async resolveReturnDataAccounts({ mapping, answers }: { mapping: AccountMapping; answers: Omit<PowerOfficeAnswers, 'customers'> }): Promise<AccountCheck> {
      const lookup = resolvePowerOfficeIds(mapping, [], { ...answers, customers: [] });
      return lookup.ok ? { ok: true } : { ok: false, problems: lookup.problems };
    },

    /**
     * One page of the client's ledger feed as voucher plans, with what PowerOffice must be asked
     * for them. Reading again after a retry gives the same page: the feed is append-only.
     */
    async planReturnDataPage({ clientId, after, limit }: { clientId: string; after?: string; limit: number }): Promise<PlannedPage> {
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
      const customers: CustomerWanted[] = page.events.flatMap((event) =>
        event.type === 'payment' ? [{ customerNo: event.customerNo, why: `end customer of invoice ${event.invoiceNo}, paid in ledger event ${event.eventId}` }] : [],
      );
      return { ok: true, mapping, accountNos: mappedAccountNos(mapping), plans, customers, nextCursor: page.nextCursor, hasMore: page.hasMore };
    },

    /** The page's vouchers with PowerOffice's ids, from the v2 queue's answers; nothing of the page when one is missing. */
    async resolveReturnDataPage({ page, answers }: { page: Extract<PlannedPage, { ok: true }>; answers: PowerOfficeAnswers }): Promise<PreparedPage> {
      if (page.plans.length === 0) return { ok: true, vouchers: [], nextCursor: page.nextCursor, hasMore: page.hasMore };
      const lookup = resolvePowerOfficeIds(page.mapping, page.customers, answers);
      if (!lookup.ok) return lookup;
      const vouchers = page.plans.map((plan) => ({ eventId: plan.eventId, eventType: plan.eventType, journal: plan.journal, voucher: resolveVoucher(plan, lookup.ids) }));
      return { ok: true, vouchers, nextCursor: page.nextCursor, hasMore: page.hasMore };
    },

    // Posting moved to the v2 queue (returnDataVoucherPosting); a task scheduled here before: see above.
    async postReturnDataVoucher(_input: { clientId: string; prepared: PreparedVoucher }): Promise<PostedVoucherOutcome> {
      return powerOfficeStepMoved('postReturnDataVoucher');
    },
  };
}

/** Posting one voucher, on the v2 PowerOffice queue. */
export function returnDataVoucherPosting(deps: VoucherPostingDeps) {
  return {
    /** Posts one voucher; PowerOffice's duplicate guard turns a second post into "already posted". One request. */
    async postReturnDataVoucher({ clientId, prepared }: { clientId: string; prepared: PreparedVoucher }): Promise<PostedVoucherOutcome> {
      const v2 = deps.powerOffice.v2(await deps.clients.clientKey(clientId));
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
