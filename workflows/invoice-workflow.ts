import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  ContinueAsNew,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { PartnerReceipt } from '../adapters/distribution/partner-api';
import type { Channel } from '../domain/channel';
import type { FactoringDocument } from '../domain/invoice';
import type { SealedCustomerCard } from '../activities/poweroffice-calls';
import type { HandedPowerOfficeData } from '../activities/invoice/invoice-context';
import type { Assessment } from '../activities/invoice/assess-invoice';
import {
  invoiceReads,
  ledgerWrites,
  localLedgerWrites,
  localPartnerSends,
  partnerSends,
  powerOfficeV1InvoiceReads,
  powerOfficeV1WriteBackChecks,
  powerOfficeV1WriteBackWrites,
  powerOfficeV2InvoiceReads,
  powerOfficeWrites,
} from './activity-policies';
import { failureReason } from './failure-reason';
import { countInvoiceState, countLetterAfterWait, countRejection, countWriteBack } from './invoice-metrics';
import { isPowerOfficeStepMoved } from './poweroffice-queues';
import {
  cancelLetterUpdate,
  invoiceAssessedSignal,
  invoiceOpenedSignal,
  invoiceStatusQuery,
  invoiceWriteBackOutcomeSignal,
  markOpenedUpdate,
  MAX_IGNORED_OPENINGS,
  reassessSignal,
  resendChannels,
  resendUpdate,
  retryUpdate,
  withdrawUpdate,
  writeBackRequestedSignal,
  type InvoiceAssessed,
  type InvoiceOpened,
  type InvoiceStatus,
  type InvoiceWriteBackOutcome,
  type OperatorAction,
  type OperatorActionKind,
  type OperatorRequest,
  type ResendChannel,
  type ResendRequest,
  type WriteBackRequest,
  type WriteBackStatus,
} from './messages';
import { Channel as ChannelKey, DistributionState, Kid, WriteBack, type DistributionStateValue } from './search-attributes';
import { invoiceCurrentDetails } from './summaries';

export interface InvoiceWorkflowInput {
  document: FactoringDocument;
  /**
   * The revision of the invoice's steps its starter knew (INVOICE_STEPS_REVISION). Runs started
   * before it existed replay as they ran. Versioned by input, not patched(): a patch marker is
   * itself a search-attribute upsert (TemporalChangeVersion), a visibility write per invoice.
   */
  stepsRevision?: number;
  /**
   * The customer card, sealed, as the batch read it for the whole page (one v2 request per page).
   * Absent when the invoice was started otherwise or before batches handed it: the invoice reads it.
   */
  customerCard?: SealedCustomerCard;
  /** Revision 6: a long-rejected invoice continued as new (MAX_REASSESSMENTS_PER_RUN); what the run before knew. */
  continued?: ContinuedRejection;
  /** A run an operator started (`invoice retry` of a Failed invoice): who, why and when, the first of its operatorActions. */
  startedByOperator?: OperatorAction;
  /** Reassessments after which a Rejected run continues as new (MAX_REASSESSMENTS_PER_RUN unless a test asks for less). */
  maxReassessmentsPerRun?: number;
  /**
   * A run an operator started to send a completed invoice once more (`invoice resend` after its
   * write-back): no assessment, no booking, one send, then open until the next write-back reports
   * it. Only such runs carry it, so every history recorded before replays as it ran (stepsRevision
   * stays 6: the field, not the revision, selects these steps).
   */
  resendOfCompletedRun?: ResendOfCompletedRun;
}

/** What a resend run starts from: the completed run's final status and the operator's resend. */
export interface ResendOfCompletedRun {
  /** The completed run, and its result (state, KID, channel, sends, write-back, operator actions). */
  runId: string;
  status: InvoiceStatus;
  /** The operator's resend (action 'resend', with who, why and the channel). */
  action: OperatorAction & { channel: ResendChannel };
  /** After every resend of the runs before (their operatorActions), so no key is used twice. */
  resendNo: number;
}

/** What a Rejected invoice carries into its next run: it waits on as it was. */
export interface ContinuedRejection {
  reasons: string[];
  reassessments: number;
  operatorActions?: OperatorAction[];
  /** The batch that started it has had its report: it is never counted twice there. */
  reportedToBatch: boolean;
  /** Batches that asked for a reassessment not yet made (they wait for the answer). */
  reassessRequests: string[];
}

/**
 * 2: one search-attribute upsert per step (state, channel and write-back together).
 * 3: PowerOffice through its rate-limited task queues (workflows/poweroffice-queues.ts), one request
 *    per activity: the invoice's EHF read once and handed to the assessment and the sends, the
 *    write-back in one-request steps on the v1 queue (writeBackInSteps).
 * 4: the assessment itself on the v1 queue, reading the EHF as its one request: one activity fewer
 *    per invoice and one copy fewer of the EHF in history (bench: 1,500 invoices, ratio 1.74 with 3).
 * 5: booking and sends as local activities (activity-policies.ts, localPartnerSends): no activity
 *    task, no input in history, fewer workflow tasks per invoice.
 * 6: a rejection heals: the run stays open as Rejected and is assessed again (a batch's reassess
 *    signal, `invoice retry`) instead of failing; operator Updates (retry, resend, mark-opened,
 *    cancel-letter, withdraw); the KID as a search attribute.
 */
export const INVOICE_STEPS_REVISION = 6;

/**
 * A Rejected invoice is assessed again about twice a working day (both daily batches) for as long
 * as the client leaves the card unfixed; each reassessment adds some 20 events. After this many in
 * one run it continues as new, so a card left broken for months never grows one history past a
 * few thousand events.
 */
export const MAX_REASSESSMENTS_PER_RUN = 50;

/**
 * MISSION.md §3: not opened within 4 days after the e-mail → a letter as well. The deployment's
 * value (OPENING_WAIT_SECONDS, the same 4 days in production) comes with the assessment; this one
 * serves histories recorded before it did.
 */
export const OPENING_WAIT = '4 days';
/** After the letter, a late opening is still recorded for this long (LATE_OPENING_WINDOW_SECONDS, likewise). */
export const LATE_OPENING_WINDOW = '14 days';

/** The assessment's seconds as a timer duration (ms), or the fallback when an older history carries none. */
function waitOf(seconds: number | undefined, fallback: Duration): Duration {
  return seconds !== undefined && seconds > 0 ? seconds * 1000 : fallback;
}

/** Patch ids (workflow versioning): behaviour added after invoices were already running. */
const OPENED_ONLY_BY_OWN_EMAIL = 'opened-only-by-own-email';
const FAILURES_REPORTED_TO_BATCH = 'failures-reported-to-batch';
/**
 * The batch's patch id for reading a page's customer cards on PowerOffice's v2 queue. An invoice
 * takes the same change from its input (stepsRevision 3), not from a patch: see InvoiceWorkflowInput.
 */
export const POWEROFFICE_TASK_QUEUES = 'poweroffice-task-queues';
/**
 * Patch id: a run started before steps revision 3 (its starter handed no revision) reads its EHF
 * and customer card on the PowerOffice queues before its next step that needs them (a send, the
 * letter, a write-back), because the main queue no longer calls PowerOffice. Recorded histories of
 * such runs replay as they ran (patched: false only then); revision 3 runs never meet this patch.
 */
const OLDER_RUNS_READ_ON_POWEROFFICE_QUEUES = 'older-invoices-read-on-poweroffice-queues';
/** How long one write-back keeps checking and writing before it shows WriteBack=Failed (as powerOfficeWrites' hour). */
const WRITE_BACK_PATIENCE_MS = 60 * 60_000;

/**
 * One invoice or credit note, from fetched to distributed and written back: assess (data quality,
 * EHF rules, KID, channel) → book at Factoring Finans → send → for e-mail with link and code, wait
 * up to 4 days (the deployment's opening wait) for "opened", else send a letter. Every step's state
 * shows in the Web UI (DistributionState). Alongside, whenever the 15:30 write-back run asks, it reports its sends to
 * PowerOffice GO (WriteBack); it completes only once every send has been reported.
 */
export async function invoiceWorkflow(input: InvoiceWorkflowInput): Promise<InvoiceStatus> {
  const { document, stepsRevision = 1, continued, maxReassessmentsPerRun, resendOfCompletedRun: resendOf } = input;
  let { customerCard } = input;
  /** Revision 6: a rejection waits to be assessed again; operators act through Updates. */
  const healing = stepsRevision >= 6;
  let status: InvoiceStatus = resendOf
    ? {
        // The invoice as its completed run left it (its state too: it was delivered, and still is).
        ...resendOf.status,
        operatorActions: [...(resendOf.status.operatorActions ?? []), resendOf.action],
        resentFrom: { runId: resendOf.runId, resendNo: resendOf.resendNo, action: resendOf.action, sendsBefore: resendOf.status.sends.length },
      }
    : continued
    ? {
        state: 'Rejected',
        invoiceNo: document.invoiceNo,
        sends: [],
        reasons: continued.reasons,
        reassessments: continued.reassessments,
        ...(continued.operatorActions?.length ? { operatorActions: continued.operatorActions } : {}),
      }
    : { state: 'Fetched', invoiceNo: document.invoiceNo, sends: [], ...(input.startedByOperator ? { operatorActions: [input.startedByOperator] } : {}) };
  // A continued or resend run is the same invoice: it was counted when it was fetched.
  if (!continued && !resendOf) countInvoiceState(document.clientId, status.state, undefined);
  setHandler(invoiceStatusQuery, () => status);
  setCurrentDetails(invoiceCurrentDetails(status));
  setHandler(invoiceOpenedSignal, (opened) => {
    if (status.openedAt) return;
    // Runs recorded before this rule replay as they ran (patched: false only when replaying them).
    const refusal = patched(OPENED_ONLY_BY_OWN_EMAIL) ? openingRefusal(opened) : undefined;
    if (refusal !== undefined) {
      ignoreOpening(opened, refusal);
      return;
    }
    status = { ...status, openedAt: opened.openedAt, ...(status.state === 'LetterSent' ? { openedAfterLetter: true } : {}) };
  });
  let reportedToBatch = continued?.reportedToBatch ?? false;
  const oneUpsertPerStep = stepsRevision >= 2;
  const invoiceSends = stepsRevision >= 5 ? localPartnerSends : partnerSends;
  const invoiceBookings = stepsRevision >= 5 ? localLedgerWrites : ledgerWrites;
  const writeBackRequests: WriteBackRequest[] = [];
  let answeringWriteBack = false;
  setHandler(writeBackRequestedSignal, (request) => {
    writeBackRequests.push(request);
  });
  serveWriteBacks().catch((err: unknown) => {
    // Cancelling the workflow ends the loop; anything else is a bug that must not pass silently.
    if (!isCancellation(err)) throw err;
  });

  /**
   * Each upsert is a visibility write on the server (a SQLite write on the dev server): a step
   * changes its state, channel and write-back in one (runs recorded before did one per change, and
   * replay as they ran: stepsRevision).
   */
  let pendingWriteBackUpsert = false;
  const moveTo = (state: DistributionStateValue, change: Partial<InvoiceStatus> = {}): void => {
    status = { ...status, ...change, state };
    countInvoiceState(document.clientId, state, status.channel);
    upsertSearchAttributes([
      { key: DistributionState, value: state },
      ...(status.channel ? [{ key: ChannelKey, value: status.channel }] : []),
      // Known from the assessment on: in the step's own upsert, never a visibility write of its own.
      ...(healing && status.kid ? [{ key: Kid, value: status.kid }] : []),
      ...(pendingWriteBackUpsert && status.writeBack ? [{ key: WriteBack, value: status.writeBack.state }] : []),
    ]);
    pendingWriteBackUpsert = false;
    setCurrentDetails(invoiceCurrentDetails(status));
  };
  /** What was read from PowerOffice on its queues; undefined in runs recorded before (the activities read it themselves). */
  let handed: HandedPowerOfficeData | undefined;
  const readCustomerCard = async (): Promise<SealedCustomerCard> => {
    if (document.customerCode === undefined) return { card: null };
    const { cards } = await powerOfficeV2InvoiceReads().readCustomerCards({ clientId: document.clientId, customerNos: [document.customerCode] });
    return { card: cards[0]?.card ?? null };
  };
  const readHanded = async (): Promise<HandedPowerOfficeData> => {
    const ehf = await powerOfficeV1InvoiceReads().readInvoiceEhf({ clientId: document.clientId, invoiceId: document.invoiceId });
    return { ehf, customer: customerCard ?? (await readCustomerCard()) };
  };
  /** A run started before revision 3: its EHF and card read on the queues now; false when replaying a history recorded before. */
  const handedForOlderRun = async (): Promise<boolean> => {
    if (handed) return true;
    if (!patched(OLDER_RUNS_READ_ON_POWEROFFICE_QUEUES)) return false;
    handed = await readHanded();
    return true;
  };
  /**
   * A step that an earlier version scheduled on the main queue without the EHF and card (in flight
   * across the upgrade) fails as moved, because the main queue no longer reads PowerOffice: they are
   * read on the queues, and the step runs again with them.
   */
  const withHanded = async <T>(step: () => Promise<T>): Promise<T> => {
    try {
      return await step();
    } catch (err) {
      if (handed || !isPowerOfficeStepMoved(err)) throw err;
      handed = await readHanded();
      return step();
    }
  };
  const send = async (channel: Channel, kid: string, ehfFingerprint: string | undefined, resendNo?: number): Promise<PartnerReceipt> => {
    await handedForOlderRun();
    const receipt = await withHanded(() =>
      invoiceSends.sendInvoice({ document, channel, kid, ...(ehfFingerprint !== undefined ? { ehfFingerprint } : {}), ...(handed ? { handed } : {}), ...(resendNo !== undefined ? { resendNo } : {}) }),
    );
    status = { ...status, sends: [...status.sends, { channel, deliveryId: receipt.deliveryId, sentAt: receipt.acceptedAt }] };
    const { writtenBackAt, reportedSends = 0 } = status.writeBack ?? {};
    // Every send of the invoice's own steps is followed at once by the step's move, which then
    // carries the write-back state; an operator's resend has no move after it.
    setWriteBack({ state: 'Pending', reportedSends, ...(writtenBackAt ? { writtenBackAt } : {}) }, { withNextMove: oneUpsertPerStep && resendNo === undefined });
    return receipt;
  };
  /** Revision 4: the assessment reads the EHF itself on the v1 queue and hands it on (assessInvoiceReadingEhf). */
  const assessOnPowerOfficeQueue = async (): Promise<Assessment> => {
    const customer = customerCard ?? (await readCustomerCard());
    const assessed = await powerOfficeV1InvoiceReads().assessInvoiceReadingEhf({ document, customer });
    if (assessed.outcome !== 'ready') return assessed;
    const { ehf, ...assessment } = assessed;
    handed = { ehf, customer };
    return assessment;
  };
  /** Revisions 1 to 3: the EHF read by an activity of its own (3) or by the assessment on the main queue (1, 2). */
  const assessThenHand = async (): Promise<Assessment> => {
    if (stepsRevision >= 3) {
      const ehf = await powerOfficeV1InvoiceReads().readInvoiceEhf({ clientId: document.clientId, invoiceId: document.invoiceId });
      handed = { ehf, customer: customerCard ?? (await readCustomerCard()) };
    }
    return withHanded(() => invoiceReads.assessInvoice({ document, ...(handed ? { handed } : {}) }));
  };
  const allWrittenBack = (): boolean => (status.writeBack?.reportedSends ?? 0) >= status.sends.length;
  /**
   * Distribution is over; the workflow stays (visible as WriteBack Pending/Failed) until PowerOffice
   * GO knows every send, and until the runs that asked have their answers (completing first would
   * drop the answer signals).
   */
  const finished = async (): Promise<InvoiceStatus> => {
    // Revision 6: an operator's Update (a resend under way) is answered, and its send reported, first.
    await condition(() => allWrittenBack() && !answeringWriteBack && writeBackRequests.length === 0 && (!healing || allHandlersFinished()));
    return status;
  };

  // Revision 6: reassessment and operator actions (operatorActions below).
  /** The first assessment, or Rejected and waiting to be (or being) assessed again: batches' requests wait for its outcome. */
  let awaitingAssessment = true;
  const reassessRequests: string[] = [...(continued?.reassessRequests ?? [])];
  let retryRequested = false;
  let withdrawn = false;
  /** A Rejected invoice's assessment under way: its outcome may send it at once. */
  let reassessing = false;
  /** Counts assessments whose outcome has taken effect (Rejected recorded, Sending, or Failed): `retry` answers after the next. */
  let settledAssessments = 0;
  /** Resends so far, the runs' before included: the next one's key is `…:resend-<resends + 1>`. */
  let resends = resendOf?.resendNo ?? 0;
  let assessedFingerprint: string | undefined;
  const reassessmentsAtStart = status.reassessments ?? 0;
  operatorActions();
  setHandler(reassessSignal, async ({ requestedBy }) => {
    if (healing && awaitingAssessment) {
      reassessRequests.push(requestedBy);
      return;
    }
    await answerBatch(requestedBy, { notRejected: true });
  });
  const assess = (): Promise<Assessment> => (stepsRevision >= 4 ? assessOnPowerOfficeQueue() : assessThenHand());

  try {
    if (resendOf) return await resendCompletedInvoice(resendOf);
    let assessment: Assessment | undefined = continued ? undefined : await assess();
    while (healing && assessment?.outcome !== 'ready') {
      if (assessment) {
        const { reasons } = assessment;
        // Still rejected after a reassessment: the reasons may differ, the list's state does not.
        if (status.state === 'Rejected') status = { ...status, reasons };
        else moveTo('Rejected', { reasons });
        countRejection(document.clientId, reasons);
        settledAssessments += 1;
        await reportAssessment({ rejectedReasons: reasons });
        const runFull = (status.reassessments ?? 0) - reassessmentsAtStart >= (maxReassessmentsPerRun ?? MAX_REASSESSMENTS_PER_RUN);
        // An operator's retry or withdraw waiting for its answer is taken in this run first: its
        // handler ends only once it has taken effect here.
        if (runFull) await condition(() => allHandlersFinished() || retryRequested || withdrawn);
        if (runFull && !retryRequested && !withdrawn) {
          await continueAsNew<typeof invoiceWorkflow>({
            document,
            stepsRevision,
            ...(maxReassessmentsPerRun !== undefined ? { maxReassessmentsPerRun } : {}),
            continued: {
              reasons,
              reassessments: status.reassessments ?? 0,
              ...(status.operatorActions ? { operatorActions: status.operatorActions } : {}),
              reportedToBatch,
              reassessRequests: reassessRequests.splice(0),
            },
          });
        }
      }
      // Waits, open and visible as Rejected, for the next batch that fetches it or an operator.
      await condition(() => reassessRequests.length > 0 || retryRequested || withdrawn);
      if (withdrawn) {
        awaitingAssessment = false;
        moveTo('Withdrawn');
        await answerWaitingBatches({ notRejected: true });
        return await finished();
      }
      retryRequested = false;
      status = { ...status, reassessments: (status.reassessments ?? 0) + 1 };
      // The client has fixed the card in PowerOffice GO (that is why it is asked): read it now.
      customerCard = undefined;
      reassessing = true;
      assessment = await assess();
      reassessing = false;
    }
    if (assessment === undefined) throw new Error('unreachable: a continued run reassesses before it goes on');
    if (assessment.outcome === 'rejected') {
      moveTo('Rejected', { reasons: assessment.reasons });
      countRejection(document.clientId, assessment.reasons);
      await tellBatch({ rejectedReasons: assessment.reasons });
      // A failed run lets the next batch try again (ALLOW_DUPLICATE_FAILED_ONLY): once the client
      // fixes the customer card, the invoice goes out without anyone restarting it.
      throw ApplicationFailure.nonRetryable(
        `Invoice ${document.invoiceNo} of client ${document.clientId} was not distributed: ${assessment.reasons.join('; ')}`,
        'InvoiceRejected',
        { reasons: assessment.reasons },
      );
    }
    const { kid, channel } = assessment;
    status = { ...status, kid, channel, channelReason: assessment.channelReason };
    assessedFingerprint = assessment.ehfFingerprint;
    if (healing) {
      awaitingAssessment = false;
      await reportAssessment({ channel });
    } else {
      await tellBatch({ channel });
    }

    await invoiceBookings.bookInvoice({ document, kid, issueDate: assessment.issueDate, dueDate: assessment.dueDate });
    // Booked and Sending in the same step: only Sending is ever seen from outside.
    if (!oneUpsertPerStep) moveTo('Booked');
    moveTo('Sending');
    settledAssessments += 1;
    await send(channel, kid, assessment.ehfFingerprint);
    if (channel !== 'email-link') {
      moveTo('Delivered');
      return await finished();
    }

    moveTo('Waiting');
    if (await condition(() => status.openedAt !== undefined || withdrawn, waitOf(assessment.openingWaitSeconds, OPENING_WAIT))) {
      moveTo(status.openedAt !== undefined ? 'Opened' : 'Withdrawn');
      return await finished();
    }
    if (status.letterCancelled) {
      moveTo('LetterCancelled');
      return await finished();
    }
    // Four days on, the letter goes to the address PowerOffice holds now, not the one of the batch.
    if (handed) handed = { ...handed, customer: await readCustomerCard() };
    await send('letter', kid, assessment.ehfFingerprint);
    countLetterAfterWait(document.clientId);
    moveTo('LetterSent');
    await condition(() => status.openedAt !== undefined, waitOf(assessment.lateOpeningWindowSeconds, LATE_OPENING_WINDOW));
    return await finished();
  } catch (err) {
    if (err instanceof ApplicationFailure && err.type === 'InvoiceRejected') throw err;
    if (err instanceof ContinueAsNew) throw err;
    const reason = failureReason(err);
    moveTo('Failed', { reasons: [reason] });
    // Every end reports to the batch, so it never waits its full hour for an invoice that is over.
    if (patched(FAILURES_REPORTED_TO_BATCH)) await tellBatch({ failedReason: reason });
    if (healing) {
      awaitingAssessment = false;
      settledAssessments += 1;
      await answerWaitingBatches({ failedReason: reason });
    }
    throw ApplicationFailure.nonRetryable(`Invoice ${document.invoiceNo} of client ${document.clientId} failed: ${reason}`, 'InvoiceFailed');
  }

  /**
   * A resend run: assessed and booked by the run before (the ledger's idempotency would refuse a
   * second booking anyway). The EHF and the customer card are read now on the PowerOffice queues,
   * as a running invoice's resend does: a new address is often why. The send's key continues the
   * resends of the runs before; the state stays as the completed run left it (the invoice was
   * delivered, and still is), the send shows in sends, WriteBack Pending until the next write-back.
   */
  async function resendCompletedInvoice({ action, resendNo }: ResendOfCompletedRun): Promise<InvoiceStatus> {
    awaitingAssessment = false;
    const { kid } = status;
    if (kid === undefined) throw ApplicationFailure.nonRetryable(`invoice ${document.invoiceNo} of client ${document.clientId} has no KID from its completed run`, 'InvoiceFailed');
    handed = await readHanded();
    await send(action.channel, kid, undefined, resendNo);
    return finished();
  }

  /** Revision 6: an assessment's outcome to the batch that started the invoice (once) and to every batch waiting for a reassessment. */
  async function reportAssessment(outcome: Pick<InvoiceAssessed, 'channel' | 'rejectedReasons'>): Promise<void> {
    if (!reportedToBatch) await tellBatch(outcome);
    await answerWaitingBatches(outcome);
  }

  async function answerWaitingBatches(outcome: Pick<InvoiceAssessed, 'channel' | 'rejectedReasons' | 'failedReason' | 'notRejected'>): Promise<void> {
    for (const batch of reassessRequests.splice(0)) await answerBatch(batch, outcome);
  }

  /** The answer to a batch's reassess request: counted there apart from the invoices it started. */
  async function answerBatch(batchWorkflowId: string, outcome: Pick<InvoiceAssessed, 'channel' | 'rejectedReasons' | 'failedReason' | 'notRejected'>): Promise<void> {
    try {
      await getExternalWorkflowHandle(batchWorkflowId).signal(invoiceAssessedSignal, {
        clientId: document.clientId,
        invoiceNo: document.invoiceNo,
        documentType: document.documentType,
        reassessed: true,
        ...outcome,
      });
    } catch {
      // The batch has finished: it stopped waiting; the outcome stays visible on this invoice.
    }
  }

  /**
   * Revision 6: the operators' Updates. Each validator refuses with a sentence where the action
   * does not apply (the client prints it); each handler records who, why and when in the status
   * (its input, with the reason, also stands in the history) and answers once the action has
   * taken effect. Registered in every run so an older run refuses with a sentence too.
   */
  function operatorActions(): void {
    const invoice = `invoice ${document.invoiceNo} of client ${document.clientId}`;
    const refuse = (why: string | undefined): void => {
      if (why !== undefined) throw ApplicationFailure.nonRetryable(why, 'OperatorActionRefused');
    };
    const requestRefusal = ({ by, reason }: OperatorRequest, action: OperatorActionKind, reasonRequired: boolean): string | undefined => {
      if (!healing) return `${invoice} was started by an older release (steps revision ${stepsRevision}), which takes no operator actions`;
      if (typeof by !== 'string' || by.trim() === '') return `${action} needs the operator's name (--by)`;
      if (reasonRequired && (typeof reason !== 'string' || reason.trim() === '')) return `${action} needs a reason (--reason), recorded in the invoice's history`;
      return undefined;
    };
    const record = (action: OperatorActionKind, { by, reason }: OperatorRequest, extra: Partial<OperatorAction> = {}): void => {
      const taken: OperatorAction = { action, by, ...(reason?.trim() ? { reason: reason.trim() } : {}), ...extra, at: new Date().toISOString() };
      status = { ...status, operatorActions: [...(status.operatorActions ?? []), taken] };
    };
    const ended = (): string | undefined => {
      switch (status.state) {
        case 'Withdrawn':
          return `${invoice} has been withdrawn`;
        case 'Failed':
          return `${invoice} failed (${status.reasons?.join('; ') ?? 'a technical failure'}); invoice retry starts it anew`;
        default:
          return undefined;
      }
    };

    setHandler(
      retryUpdate,
      async (request) => {
        record('retry', request);
        const before = settledAssessments;
        retryRequested = true;
        await condition(() => settledAssessments > before);
        return status;
      },
      {
        validator: (request: OperatorRequest) => {
          refuse(requestRefusal(request, 'retry', false));
          if (status.state !== 'Rejected' || !awaitingAssessment) {
            refuse(ended() ?? `${invoice} is ${status.state}, not Rejected: only a rejected invoice is assessed again`);
          }
        },
      },
    );

    setHandler(
      resendUpdate,
      async (request) => {
        resends += 1;
        const resendNo = resends;
        // A resend goes to the address PowerOffice GO holds now (a new address is often why).
        if (handed) handed = { ...handed, customer: await readCustomerCard() };
        await send(request.channel, status.kid!, assessedFingerprint, resendNo);
        record('resend', request, { channel: request.channel });
        return status;
      },
      {
        validator: (request: ResendRequest) => {
          refuse(requestRefusal(request, 'resend', false));
          if (!(resendChannels as readonly string[]).includes(request.channel)) refuse(`there is no channel "${String(request.channel)}": resend on ${resendChannels.join(', ')}`);
          refuse(ended());
          if (status.state === 'Rejected') refuse(`${invoice} is Rejected (${status.reasons?.join('; ') ?? ''}): it has not been sent; fix the card, then invoice retry`);
          if (status.sends.length === 0 || status.kid === undefined) refuse(`${invoice} has not been sent yet (${status.state}): a resend follows a first send`);
        },
      },
    );

    setHandler(
      markOpenedUpdate,
      async (request) => {
        record('mark-opened', request);
        status = { ...status, openedAt: new Date().toISOString(), ...(status.state === 'LetterSent' ? { openedAfterLetter: true } : {}) };
        await condition(() => status.state !== 'Waiting');
        return status;
      },
      {
        validator: (request: OperatorRequest) => {
          refuse(requestRefusal(request, 'mark-opened', true));
          if (status.openedAt !== undefined) refuse(`${invoice} was already opened (${status.openedAt})`);
          if (withdrawn) refuse(`${invoice} is being withdrawn`);
          if (status.state !== 'Waiting' && status.state !== 'LetterSent') {
            refuse(ended() ?? `${invoice} is ${status.state}: only an e-mail with link waiting to be opened (or followed by its letter) can be marked opened`);
          }
        },
      },
    );

    setHandler(
      cancelLetterUpdate,
      (request) => {
        record('cancel-letter', request);
        status = { ...status, letterCancelled: true };
        return status;
      },
      {
        validator: (request: OperatorRequest) => {
          refuse(requestRefusal(request, 'cancel-letter', true));
          if (status.letterCancelled) refuse(`the letter of ${invoice} has already been cancelled`);
          if (status.state !== 'Waiting' || withdrawn) {
            refuse(ended() ?? `${invoice} is ${status.state}: only the letter of an e-mail with link still waiting to be opened can be cancelled`);
          }
        },
      },
    );

    setHandler(
      withdrawUpdate,
      async (request) => {
        record('withdraw', request);
        withdrawn = true;
        await condition(() => status.state === 'Withdrawn');
        return status;
      },
      {
        validator: (request: OperatorRequest) => {
          refuse(requestRefusal(request, 'withdraw', true));
          refuse(ended());
          if (withdrawn) refuse(`${invoice} is being withdrawn`);
          if (status.state === 'Rejected' && (reassessing || !awaitingAssessment)) refuse(`${invoice} is being assessed again right now; try again in a minute`);
          if (status.state === 'Rejected' || status.state === 'Waiting') return;
          if (status.state === 'Fetched' || status.state === 'Booked' || status.state === 'Sending') refuse(`${invoice} is being assessed or sent right now (${status.state}); try again in a minute`);
          refuse(`${invoice} has already ended as ${status.state}: nothing more would go out to withdraw`);
        },
      },
    );
  }

  function setWriteBack(writeBack: WriteBackStatus, { withNextMove = false } = {}): void {
    status = { ...status, writeBack };
    if (withNextMove) pendingWriteBackUpsert = true;
    else upsertSearchAttributes([{ key: WriteBack, value: writeBack.state }]);
    setCurrentDetails(invoiceCurrentDetails(status));
  }

  /** Answers the write-back runs' requests one at a time, so two runs never write the same invoice at once. */
  async function serveWriteBacks(): Promise<void> {
    for (;;) {
      await condition(() => writeBackRequests.length > 0);
      answeringWriteBack = true;
      const requests = writeBackRequests.splice(0);
      const outcome = await writeBackNow();
      countWriteBack(document.clientId, outcome.outcome);
      for (const { requestedBy } of requests) {
        if (!requestedBy) continue;
        try {
          await getExternalWorkflowHandle(requestedBy).signal(invoiceWriteBackOutcomeSignal, { clientId: document.clientId, invoiceNo: document.invoiceNo, ...outcome });
        } catch {
          // The run has finished (it stopped waiting); the outcome stays visible on this invoice.
        }
      }
      answeringWriteBack = false;
    }
  }

  async function writeBackNow(): Promise<Pick<InvoiceWriteBackOutcome, 'outcome' | 'reason'>> {
    const kid = status.kid;
    if (allWrittenBack() || kid === undefined) return { outcome: 'up-to-date' };
    try {
      const sends = status.sends.map(({ channel, sentAt }) => ({ channel, sentAt }));
      // On the v1 queue, one request per step; runs recorded before wrote back in one main-queue
      // activity (replayed as they ran), and such a task in flight across the upgrade fails as moved.
      const inSteps = async (): Promise<{ reportedSends: number }> => writeBackInSteps({ document, kid, sends, handed: handed ?? (handed = await readHanded()) });
      const { reportedSends } = (await handedForOlderRun())
        ? await inSteps()
        : await powerOfficeWrites.writeBackInvoice({ document, kid, sends }).catch((err: unknown) => {
            if (isPowerOfficeStepMoved(err)) return inSteps();
            throw err;
          });
      // A letter may have gone out while PowerOffice was being told: then the next run reports it.
      setWriteBack({ state: reportedSends >= status.sends.length ? 'Done' : 'Pending', reportedSends, writtenBackAt: new Date().toISOString() });
      return { outcome: 'written-back' };
    } catch (err) {
      if (isCancellation(err)) throw err;
      const reason = failureReason(err);
      setWriteBack({ ...(status.writeBack ?? { reportedSends: 0 }), state: 'Failed', reason });
      return { outcome: 'failed', reason };
    }
  }

  /**
   * The write-back of activities/write-back/write-back-invoice.ts (writeBackSteps), one PowerOffice
   * request per activity on the v1 queue. Checked, then written: PowerOffice itself is the record,
   * so delivered is sent only when it does not hold our delivery, and the status only when it
   * differs. A write that failed (its answer may have been lost after PowerOffice did it) is never
   * sent again blindly: after a pause the check runs again and only what is missing is written,
   * for up to an hour (then WriteBack=Failed, and the next run tries again).
   */
  async function writeBackInSteps(input: { document: FactoringDocument; kid: string; sends: { channel: string; sentAt: string }[]; handed: HandedPowerOfficeData }): Promise<{ reportedSends: number }> {
    const { handed: _handed, ...check } = input;
    const checks = powerOfficeV1WriteBackChecks();
    const writes = powerOfficeV1WriteBackWrites();
    const giveUpAt = Date.now() + WRITE_BACK_PATIENCE_MS;
    for (let round = 1; ; round += 1) {
      const found = await checks.checkWrittenBack(check);
      if (found.delivered && found.statusUpToDate) return { reportedSends: input.sends.length };
      try {
        if (!found.delivered) {
          const delivery = await writes.deliverWriteBack(input);
          // Refused: an earlier attempt's delivery may have landed after all; the next check tells.
          if (delivery.outcome === 'refused') {
            const again = await checks.checkWrittenBack(check);
            if (!again.delivered) throw ApplicationFailure.nonRetryable(delivery.reason, 'ExternalServiceRefused');
            if (again.statusUpToDate) return { reportedSends: input.sends.length };
          }
        }
        await writes.updateWriteBackStatus(check);
        return { reportedSends: input.sends.length };
      } catch (err) {
        const cause = err instanceof ActivityFailure ? err.cause : undefined;
        const retryable = err instanceof ActivityFailure && !(cause instanceof ApplicationFailure && cause.nonRetryable);
        if (!retryable || Date.now() >= giveUpAt) throw err;
        await sleep(Math.min(2_000 * 2 ** (round - 1), 5 * 60_000));
      }
    }
  }

  /**
   * Only an e-mail with link that this invoice sent can be opened: an event naming any other
   * delivery (or arriving before the e-mail went out) would skip the 4-day wait and the letter.
   */
  function openingRefusal({ deliveryId }: InvoiceOpened): string | undefined {
    const linkSends = status.sends.filter((s) => s.channel === 'email-link');
    if (linkSends.length === 0) return `no e-mail with link has been sent for this invoice (state ${status.state})`;
    if (!linkSends.some((s) => s.deliveryId === deliveryId)) return `delivery ${deliveryId} is not the e-mail with link sent for this invoice`;
    return undefined;
  }

  /** Recorded for an operator (the latest few, and how many in all), never acted on. */
  function ignoreOpening({ eventId, deliveryId, openedAt }: InvoiceOpened, reason: string): void {
    const ignored = status.ignoredOpenings ?? [];
    if (ignored.some((i) => i.eventId === eventId)) return;
    status = {
      ...status,
      ignoredOpenings: [...ignored, { eventId, deliveryId, openedAt, reason }].slice(-MAX_IGNORED_OPENINGS),
      ignoredOpeningCount: (status.ignoredOpeningCount ?? 0) + 1,
    };
  }

  /** Tells the batch that started this invoice (if it still runs) how it was assessed, or that it failed. */
  async function tellBatch(outcome: Pick<InvoiceAssessed, 'channel' | 'rejectedReasons' | 'failedReason'>): Promise<void> {
    const parent = workflowInfo().parent;
    if (!parent) return;
    const followUp = reportedToBatch;
    reportedToBatch = true;
    try {
      // By workflow id only: the batch may have continued as new since it started this child.
      await getExternalWorkflowHandle(parent.workflowId).signal(invoiceAssessedSignal, {
        clientId: document.clientId,
        invoiceNo: document.invoiceNo,
        documentType: document.documentType,
        ...outcome,
        ...(followUp ? { followUp } : {}),
      });
    } catch {
      // The batch has finished (or was terminated): the invoice goes on regardless.
    }
  }
}
