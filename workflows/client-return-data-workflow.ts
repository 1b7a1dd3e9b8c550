import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { AccountCheck, PreparedPage, PreparedVoucher } from '../activities/return-data/return-data-activities';
import { ledgerReads, powerOfficeReads, powerOfficeV2ReturnDataReads, powerOfficeV2VoucherWrites, powerOfficeVoucherWrites } from './activity-policies';
import { isPowerOfficeStepMoved } from './poweroffice-queues';
import {
  clientReturnDataQuery,
  clientReturnDataReportedSignal,
  returnDataRequestedSignal,
  type ClientReturnDataReport,
  type ClientReturnDataState,
  type ReturnDataRequest,
} from './return-data-messages';
import { failureReason } from './failure-reason';
import { inLanes } from './in-lanes';
import { ReturnData } from './search-attributes';

export interface ClientReturnDataInput {
  clientId: string;
  /** Carried across continue-as-new: the feed position after the last page fully posted. */
  cursor?: string;
  /** Requests not yet taken up, and the one in progress with its counts so far. */
  pending?: ReturnDataRequest[];
  current?: { request: ReturnDataRequest; report: ClientReturnDataReport; accountsChecked: boolean };
  lastReport?: ClientReturnDataReport;
}

type Current = NonNullable<ClientReturnDataInput['current']>;

/**
 * Vouchers of one page posted at once. Each voucher is its own entry with its own reference, so
 * their order in PowerOffice GO does not matter; one by one, a voucher riding out a slow or faulty
 * call held up all the others (1,000 payments under 20% faults: about 0.3 vouchers/s; with five
 * lanes 1.1/s). Ten lanes still ask less than PowerOffice's limit allows, which the rate limiter
 * enforces anyway: most of a lane's time is spent waiting on a call, not making one.
 */
const VOUCHER_LANES = 10;
/** Patch id: a page's vouchers posted in lanes, where runs recorded before posted them one by one. */
const VOUCHERS_IN_LANES = 'return-data-vouchers-in-lanes';
/**
 * Patch id: each voucher posted on the v2 PowerOffice task queue (workflows/poweroffice-queues.ts),
 * one request per attempt under the deployment's shared rate limit.
 */
const VOUCHERS_ON_POWEROFFICE_QUEUE = 'return-data-vouchers-on-poweroffice-queue';
/**
 * Patch id: the account check's and each page's id lookups (the mapped GL accounts, the page's
 * customers, VAT code 0) as one-request activities on the v2 queue, the answers (numbers, ids,
 * active flags) resolved on the main queue, which has no PowerOffice connection. Runs recorded
 * before did them in checkReturnDataAccounts and prepareReturnDataPage, off the rate limit.
 */
const LOOKUPS_ON_POWEROFFICE_QUEUE = 'return-data-lookups-on-poweroffice-queue';


/**
 * One long-running workflow per client that ordered return data, `return-data-client-<clientId>`.
 * It is the durable home of the client's cursor into the ledger's feed: the cursor lives in this
 * workflow's state (Temporal's database), moves on only after a whole page is in PowerOffice GO,
 * and crosses continue-as-new in the input. Each daily run wakes it by signal; it posts every new
 * event as one voucher, a page at a time (the page's vouchers in lanes), and signals the run its report.
 *
 * If this workflow is ever terminated, the next run starts a new one from the start of the feed:
 * nothing is posted twice, because each voucher's ExternalImportReference comes from its event.
 */
export async function clientReturnDataWorkflow(input: ClientReturnDataInput): Promise<void> {
  const { clientId } = input;
  let cursor = input.cursor;
  const pending: ReturnDataRequest[] = [...(input.pending ?? [])];
  let current: Current | undefined = input.current;
  let lastReport = input.lastReport;

  setHandler(returnDataRequestedSignal, (request) => {
    // The same run asking twice (a retried signal) is answered once.
    if (current?.request.replyTo !== request.replyTo && !pending.some((p) => p.replyTo === request.replyTo)) pending.push(request);
  });
  setHandler(clientReturnDataQuery, (): ClientReturnDataState => ({
    clientId,
    ...(cursor !== undefined ? { cursor } : {}),
    waitingRequests: pending.length,
    ...(lastReport ? { lastReport } : {}),
  }));

  const carryOn = async (): Promise<never> => {
    await condition(allHandlersFinished);
    return continueAsNew<typeof clientReturnDataWorkflow>({ clientId, ...(cursor !== undefined ? { cursor } : {}), pending, ...(current ? { current } : {}), ...(lastReport ? { lastReport } : {}) });
  };

  /** Posts from the cursor to the end of the feed; false when the history asks for continue-as-new first. */
  async function post(work: Current): Promise<boolean> {
    const { report } = work;
    if (!work.accountsChecked) {
      const check = await checkAccounts();
      if (!check.ok) {
        Object.assign(report, { status: 'blocked', problems: check.problems });
        return true;
      }
      work.accountsChecked = true;
    }
    for (;;) {
      const page = await preparePage({ clientId, limit: work.request.pageSize, ...(cursor !== undefined ? { after: cursor } : {}) });
      if (!page.ok) {
        Object.assign(report, { status: 'blocked', problems: page.problems });
        return true;
      }
      if (patched(VOUCHERS_IN_LANES)) {
        if (!(await inLanes(page.vouchers, VOUCHER_LANES, (prepared) => postOne(prepared, report)))) return true;
      } else {
        for (const prepared of page.vouchers) {
          if (!(await postOne(prepared, report))) return true;
        }
      }
      // Only now: a page cut short by a failure is read again, and its posted vouchers count as already posted.
      if (page.nextCursor !== null) cursor = page.nextCursor;
      if (!page.hasMore) {
        report.status = 'done';
        return true;
      }
      if (workflowInfo().continueAsNewSuggested) return false;
    }
  }

  /**
   * The steps of runs recorded before (patched: false only when replaying them), and a task such a
   * run scheduled on the main queue before the upgrade: it fails as moved (the main queue no longer
   * calls PowerOffice), and the step is done on the v2 queue instead.
   */
  async function oldOrOnQueue<T>(onQueue: () => Promise<T>, old: () => Promise<T>): Promise<T> {
    if (patched(LOOKUPS_ON_POWEROFFICE_QUEUE)) return onQueue();
    try {
      return await old();
    } catch (err) {
      if (!isPowerOfficeStepMoved(err)) throw err;
      return onQueue();
    }
  }

  function checkAccounts(): Promise<AccountCheck> {
    return oldOrOnQueue(
      async () => {
        const { mapping, accountNos } = await ledgerReads.returnDataMapping({ clientId });
        const reads = powerOfficeV2ReturnDataReads();
        const { accounts } = await reads.readLedgerAccounts({ clientId, accountNos });
        const { noVatCodes } = await reads.readNoVatCodes({ clientId });
        return ledgerReads.resolveReturnDataAccounts({ mapping, answers: { accounts, noVatCodes } });
      },
      () => powerOfficeReads.checkReturnDataAccounts({ clientId }),
    );
  }

  function preparePage(input: { clientId: string; limit: number; after?: string }): Promise<PreparedPage> {
    return oldOrOnQueue(
      async () => {
        const page = await ledgerReads.planReturnDataPage(input);
        if (!page.ok || page.plans.length === 0) return page.ok ? { ok: true, vouchers: [], nextCursor: page.nextCursor, hasMore: page.hasMore } : page;
        const reads = powerOfficeV2ReturnDataReads();
        const customerNos = [...new Set(page.customers.map((c) => c.customerNo))];
        const { accounts } = await reads.readLedgerAccounts({ clientId, accountNos: page.accountNos });
        const { customers } = customerNos.length > 0 ? await reads.readCustomerSubledgerIds({ clientId, customerNos }) : { customers: [] };
        const { noVatCodes } = await reads.readNoVatCodes({ clientId });
        return ledgerReads.resolveReturnDataPage({ page, answers: { accounts, customers, noVatCodes } });
      },
      () => powerOfficeReads.prepareReturnDataPage(input),
    );
  }

  async function postOne(prepared: PreparedVoucher, report: ClientReturnDataReport): Promise<boolean> {
    try {
      const input = { clientId, prepared };
      const outcome = patched(VOUCHERS_ON_POWEROFFICE_QUEUE)
        ? await powerOfficeV2VoucherWrites().postReturnDataVoucher(input)
        : await powerOfficeVoucherWrites.postReturnDataVoucher(input).catch((err: unknown) => {
            // Scheduled on the main queue before the upgrade: posted on the v2 queue instead.
            if (isPowerOfficeStepMoved(err)) return powerOfficeV2VoucherWrites().postReturnDataVoucher(input);
            throw err;
          });
      if (outcome.outcome === 'already-posted') {
        report.alreadyPosted += 1;
      } else {
        report.posted += 1;
        report.postedByType[prepared.eventType] = (report.postedByType[prepared.eventType] ?? 0) + 1;
      }
      return true;
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      Object.assign(report, { status: 'failed', failure: { eventId: prepared.eventId, reason: failureReason(err) } });
      return false;
    }
  }

  for (;;) {
    if (!current) {
      await condition(() => pending.length > 0);
      const request = pending.shift()!;
      current = { request, accountsChecked: false, report: { clientId, replyTo: request.replyTo, status: 'done', posted: 0, postedByType: {}, alreadyPosted: 0 } };
    }
    upsertSearchAttributes([{ key: ReturnData, value: 'Posting' }]);
    let finished: boolean;
    try {
      finished = await post(current);
    } catch (err) {
      // The ledger or PowerOffice stayed unreachable past the retry policy: reported, and this
      // workflow (with its cursor) lives on for the next run.
      if (!(err instanceof ActivityFailure)) throw err;
      Object.assign(current.report, { status: 'failed', failure: { reason: failureReason(err) } });
      finished = true;
    }
    if (!finished) await carryOn();

    const report = current.report;
    upsertSearchAttributes([{ key: ReturnData, value: report.status === 'done' ? 'Idle' : 'Blocked' }]);
    lastReport = report;
    current = undefined;
    try {
      await getExternalWorkflowHandle(report.replyTo).signal(clientReturnDataReportedSignal, report);
    } catch (err) {
      // The run gave up waiting and closed; the report stays in lastReport for the Web UI.
      log.warn('return-data run to report to is gone', { clientId, replyTo: report.replyTo, error: failureReason(err) });
    }
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > 2000) await carryOn();
  }
}
