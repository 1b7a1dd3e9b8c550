import {
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { PartnerReceipt } from '../adapters/distribution/partner-api';
import type { Channel } from '../domain/channel';
import type { FactoringDocument } from '../domain/invoice';
import { invoiceReads, ledgerWrites, partnerSends, powerOfficeWrites } from './activity-policies';
import { failureReason } from './failure-reason';
import {
  invoiceAssessedSignal,
  invoiceOpenedSignal,
  invoiceStatusQuery,
  invoiceWriteBackOutcomeSignal,
  MAX_IGNORED_OPENINGS,
  writeBackRequestedSignal,
  type InvoiceAssessed,
  type InvoiceOpened,
  type InvoiceStatus,
  type InvoiceWriteBackOutcome,
  type WriteBackRequest,
  type WriteBackStatus,
} from './messages';
import { Channel as ChannelKey, DistributionState, WriteBack, type DistributionStateValue } from './search-attributes';

export interface InvoiceWorkflowInput {
  document: FactoringDocument;
  /**
   * The revision of the invoice's steps its starter knew (INVOICE_STEPS_REVISION). Runs started
   * before it existed replay as they ran. Versioned by input, not patched(): a patch marker is
   * itself a search-attribute upsert (TemporalChangeVersion), the very cost revision 2 saves.
   */
  stepsRevision?: number;
}

/** 2: one search-attribute upsert per step (state, channel and write-back together). */
export const INVOICE_STEPS_REVISION = 2;

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
 * One invoice or credit note, from fetched to distributed and written back: assess (data quality,
 * EHF rules, KID, channel) → book at Factoring Finans → send → for e-mail with link and code, wait
 * up to 4 days (the deployment's opening wait) for "opened", else send a letter. Every step's state
 * shows in the Web UI (DistributionState). Alongside, whenever the 15:30 write-back run asks, it reports its sends to
 * PowerOffice GO (WriteBack); it completes only once every send has been reported.
 */
export async function invoiceWorkflow({ document, stepsRevision = 1 }: InvoiceWorkflowInput): Promise<InvoiceStatus> {
  let status: InvoiceStatus = { state: 'Fetched', invoiceNo: document.invoiceNo, sends: [] };
  setHandler(invoiceStatusQuery, () => status);
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
  let reportedToBatch = false;
  const oneUpsertPerStep = stepsRevision >= 2;
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
    upsertSearchAttributes([
      { key: DistributionState, value: state },
      ...(status.channel ? [{ key: ChannelKey, value: status.channel }] : []),
      ...(pendingWriteBackUpsert && status.writeBack ? [{ key: WriteBack, value: status.writeBack.state }] : []),
    ]);
    pendingWriteBackUpsert = false;
  };
  const send = async (channel: Channel, kid: string, ehfFingerprint: string | undefined): Promise<PartnerReceipt> => {
    const receipt = await partnerSends.sendInvoice({ document, channel, kid, ...(ehfFingerprint !== undefined ? { ehfFingerprint } : {}) });
    status = { ...status, sends: [...status.sends, { channel, deliveryId: receipt.deliveryId, sentAt: receipt.acceptedAt }] };
    const { writtenBackAt, reportedSends = 0 } = status.writeBack ?? {};
    // Every send is followed at once by the step's move, which then carries the write-back state.
    setWriteBack({ state: 'Pending', reportedSends, ...(writtenBackAt ? { writtenBackAt } : {}) }, { withNextMove: oneUpsertPerStep });
    return receipt;
  };
  const allWrittenBack = (): boolean => (status.writeBack?.reportedSends ?? 0) >= status.sends.length;
  /**
   * Distribution is over; the workflow stays (visible as WriteBack Pending/Failed) until PowerOffice
   * GO knows every send, and until the runs that asked have their answers (completing first would
   * drop the answer signals).
   */
  const finished = async (): Promise<InvoiceStatus> => {
    await condition(() => allWrittenBack() && !answeringWriteBack && writeBackRequests.length === 0);
    return status;
  };

  try {
    const assessment = await invoiceReads.assessInvoice({ document });
    if (assessment.outcome === 'rejected') {
      moveTo('Rejected', { reasons: assessment.reasons });
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
    await tellBatch({ channel });

    await ledgerWrites.bookInvoice({ document, kid, issueDate: assessment.issueDate, dueDate: assessment.dueDate });
    // Booked and Sending in the same step: only Sending is ever seen from outside.
    if (!oneUpsertPerStep) moveTo('Booked');
    moveTo('Sending');
    await send(channel, kid, assessment.ehfFingerprint);
    if (channel !== 'email-link') {
      moveTo('Delivered');
      return await finished();
    }

    moveTo('Waiting');
    if (await condition(() => status.openedAt !== undefined, waitOf(assessment.openingWaitSeconds, OPENING_WAIT))) {
      moveTo('Opened');
      return await finished();
    }
    await send('letter', kid, assessment.ehfFingerprint);
    moveTo('LetterSent');
    await condition(() => status.openedAt !== undefined, waitOf(assessment.lateOpeningWindowSeconds, LATE_OPENING_WINDOW));
    return await finished();
  } catch (err) {
    if (err instanceof ApplicationFailure && err.type === 'InvoiceRejected') throw err;
    const reason = failureReason(err);
    moveTo('Failed', { reasons: [reason] });
    // Every end reports to the batch, so it never waits its full hour for an invoice that is over.
    if (patched(FAILURES_REPORTED_TO_BATCH)) await tellBatch({ failedReason: reason });
    throw ApplicationFailure.nonRetryable(`Invoice ${document.invoiceNo} of client ${document.clientId} failed: ${reason}`, 'InvoiceFailed');
  }

  function setWriteBack(writeBack: WriteBackStatus, { withNextMove = false } = {}): void {
    status = { ...status, writeBack };
    if (withNextMove) pendingWriteBackUpsert = true;
    else upsertSearchAttributes([{ key: WriteBack, value: writeBack.state }]);
  }

  /** Answers the write-back runs' requests one at a time, so two runs never write the same invoice at once. */
  async function serveWriteBacks(): Promise<void> {
    for (;;) {
      await condition(() => writeBackRequests.length > 0);
      answeringWriteBack = true;
      const requests = writeBackRequests.splice(0);
      const outcome = await writeBackNow();
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
      const { reportedSends } = await powerOfficeWrites.writeBackInvoice({ document, kid, sends });
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
