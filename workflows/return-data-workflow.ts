import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  setCurrentDetails,
  setHandler,
  startChild,
  workflowInfo,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { osloDate } from '../domain/oslo-time';
import { powerOfficeReads } from './activity-policies';
import { returnDataCurrentDetails } from './summaries';
import { clientReturnDataWorkflow } from './client-return-data-workflow';
import {
  clientReturnDataReportedSignal,
  clientReturnDataWorkflowId,
  returnDataRequestedSignal,
  returnDataRunQuery,
  type ReturnDataRequest,
  type ReturnDataRunReport,
} from './return-data-messages';
import { ClientId, ReturnData } from './search-attributes';
import { refuseOnNonWorkingDay } from './working-day';

/** The schedule passes `{}`; an operator may add force. Checked, because it comes from outside. */
export interface ReturnDataWorkflowInput {
  /** Run even on a weekend or public holiday (an operator's explicit decision). */
  force?: boolean;
  /** Ledger events per page (each page's accounts and customers are looked up together); the ledger serves at most 500. */
  pageSize?: number;
  /** How long the run waits for the clients' reports before it returns without the missing ones. */
  reportWaitMs?: number;
}

const DEFAULT_PAGE_SIZE = 100;
const LEDGER_MAX_PAGE_SIZE = 500;
const DEFAULT_REPORT_WAIT_MS = 6 * 60 * 60 * 1000;

/**
 * The input with its defaults, or every problem with it. Plain checks, not a zod schema: whatever
 * a workflow imports is evaluated again for each open workflow, and zod alone cost about 0.6 MB each.
 */
export function readReturnDataInput(raw: unknown): { ok: true; input: Required<ReturnDataWorkflowInput> } | { ok: false; problems: string[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, problems: ['the input must be an object'] };
  const { force, pageSize = DEFAULT_PAGE_SIZE, reportWaitMs = DEFAULT_REPORT_WAIT_MS, ...unknown } = raw as Record<string, unknown>;
  const problems = [
    ...Object.keys(unknown).map((key) => `unknown field "${key}"`),
    ...(force === undefined || typeof force === 'boolean' ? [] : ['force: must be true or false']),
    ...(Number.isSafeInteger(pageSize) && (pageSize as number) >= 1 && (pageSize as number) <= LEDGER_MAX_PAGE_SIZE ? [] : [`pageSize: must be a whole number from 1 to ${LEDGER_MAX_PAGE_SIZE}`]),
    ...(Number.isSafeInteger(reportWaitMs) && (reportWaitMs as number) > 0 ? [] : ['reportWaitMs: must be a whole number of milliseconds above 0']),
  ];
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, input: { force: force === true, pageSize: pageSize as number, reportWaitMs: reportWaitMs as number } };
}

/** Wakes the client's own workflow (starting it the first time) with this run's request. */
async function requestPosting(clientId: string, request: ReturnDataRequest): Promise<void> {
  const workflowId = clientReturnDataWorkflowId(clientId);
  try {
    await startChild(clientReturnDataWorkflow, {
      workflowId,
      args: [{ clientId, pending: [request] }],
      // It outlives every run: it holds the client's cursor into the ledger's feed.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      // Only if it was terminated: a new one reads the feed from the start, and the vouchers'
      // ExternalImportReferences keep PowerOffice from posting any event twice.
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      staticSummary: `Return data of client ${clientId}`,
      typedSearchAttributes: [
        { key: ClientId, value: clientId },
        { key: ReturnData, value: 'Idle' },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    await getExternalWorkflowHandle(workflowId).signal(returnDataRequestedSignal, request);
  }
}

/**
 * The daily return-data run (schedule `return-data`, 06:30 on working days, or `npm run
 * return-data`): every active client that ordered return data gets its new ledger events posted
 * into its PowerOffice GO as vouchers, by its own workflow; the run collects their reports.
 */
export async function returnDataWorkflow(rawInput: ReturnDataWorkflowInput = {}): Promise<ReturnDataRunReport> {
  const reading = readReturnDataInput(rawInput);
  if (!reading.ok) throw ApplicationFailure.nonRetryable(`invalid return-data input: ${reading.problems.join('; ')}`, 'InvalidInput');
  const { input } = reading;
  // Date.now() in a workflow is the task's time, the same on every replay.
  const today = osloDate(new Date(Date.now()));
  if (!input.force) refuseOnNonWorkingDay('nothing was posted', 'return-data run');
  const request: ReturnDataRequest = { replyTo: workflowInfo().workflowId, pageSize: input.pageSize };

  const report: ReturnDataRunReport = { date: today, clients: {}, skipped: [], done: false };
  setHandler(returnDataRunQuery, () => report);
  // No command: the Web UI's current details follow the reports without changing what replays.
  let asked = 0;
  const showProgress = () => setCurrentDetails(returnDataCurrentDetails(report, asked));
  setHandler(clientReturnDataReportedSignal, (clientReport) => {
    if (clientReport.replyTo === request.replyTo) report.clients[clientReport.clientId] = clientReport;
    showProgress();
  });

  const { ordered, notOrdered } = await powerOfficeReads.clientsWithReturnData(await powerOfficeReads.listActiveClients());
  report.skipped = notOrdered;
  asked = ordered.length;
  showProgress();
  await Promise.all(ordered.map((clientId) => requestPosting(clientId, request)));

  await condition(() => ordered.every((clientId) => report.clients[clientId] !== undefined), input.reportWaitMs);
  for (const clientId of ordered) {
    report.clients[clientId] ??= { clientId, replyTo: request.replyTo, status: 'not-reported', posted: 0, postedByType: {}, alreadyPosted: 0 };
  }
  report.done = true;
  showProgress();
  await condition(allHandlersFinished);
  return report;
}
