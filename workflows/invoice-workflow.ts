import {
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
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
  writeBackRequestedSignal,
  type InvoiceAssessed,
  type InvoiceStatus,
  type InvoiceWriteBackOutcome,
  type WriteBackRequest,
  type WriteBackStatus,
} from './messages';
import { Channel as ChannelKey, DistributionState, WriteBack, type DistributionStateValue } from './search-attributes';

export interface InvoiceWorkflowInput {
  document: FactoringDocument;
}

/** MISSION.md §3: not opened within 4 days after the e-mail → a letter as well. */
export const OPENING_WAIT = '4 days';
/** After the letter, a late opening is still recorded for this long. */
export const LATE_OPENING_WINDOW = '14 days';

/**
 * One invoice or credit note, from fetched to distributed and written back: assess (data quality,
 * EHF rules, KID, channel) → book at Factoring Finans → send → for e-mail with link and code, wait
 * up to 4 days for "opened", else send a letter. Every step's state shows in the Web UI
 * (DistributionState). Alongside, whenever the 15:30 write-back run asks, it reports its sends to
 * PowerOffice GO (WriteBack); it completes only once every send has been reported.
 */
export async function invoiceWorkflow({ document }: InvoiceWorkflowInput): Promise<InvoiceStatus> {
  let status: InvoiceStatus = { state: 'Fetched', sends: [] };
  const seenEvents = new Set<string>();
  setHandler(invoiceStatusQuery, () => status);
  setHandler(invoiceOpenedSignal, ({ eventId, openedAt }) => {
    if (seenEvents.has(eventId) || status.openedAt) return;
    seenEvents.add(eventId);
    status = { ...status, openedAt, ...(status.state === 'LetterSent' ? { openedAfterLetter: true } : {}) };
  });
  const writeBackRequests: WriteBackRequest[] = [];
  let answeringWriteBack = false;
  setHandler(writeBackRequestedSignal, (request) => {
    writeBackRequests.push(request);
  });
  serveWriteBacks().catch((err: unknown) => {
    // Cancelling the workflow ends the loop; anything else is a bug that must not pass silently.
    if (!isCancellation(err)) throw err;
  });

  const moveTo = (state: DistributionStateValue, change: Partial<InvoiceStatus> = {}): void => {
    status = { ...status, ...change, state };
    upsertSearchAttributes([{ key: DistributionState, value: state }, ...(status.channel ? [{ key: ChannelKey, value: status.channel }] : [])]);
  };
  const send = async (channel: Channel, kid: string): Promise<PartnerReceipt> => {
    const receipt = await partnerSends.sendInvoice({ document, channel, kid });
    status = { ...status, sends: [...status.sends, { channel, deliveryId: receipt.deliveryId, sentAt: receipt.acceptedAt }] };
    const { writtenBackAt, reportedSends = 0 } = status.writeBack ?? {};
    setWriteBack({ state: 'Pending', reportedSends, ...(writtenBackAt ? { writtenBackAt } : {}) });
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
    moveTo('Booked');
    moveTo('Sending');
    await send(channel, kid);
    if (channel !== 'email-link') {
      moveTo('Delivered');
      return await finished();
    }

    moveTo('Waiting');
    if (await condition(() => status.openedAt !== undefined, OPENING_WAIT)) {
      moveTo('Opened');
      return await finished();
    }
    await send('letter', kid);
    moveTo('LetterSent');
    await condition(() => status.openedAt !== undefined, LATE_OPENING_WINDOW);
    return await finished();
  } catch (err) {
    if (err instanceof ApplicationFailure && err.type === 'InvoiceRejected') throw err;
    const reason = failureReason(err);
    moveTo('Failed', { reasons: [reason] });
    throw ApplicationFailure.nonRetryable(`Invoice ${document.invoiceNo} of client ${document.clientId} failed: ${reason}`, 'InvoiceFailed');
  }

  function setWriteBack(writeBack: WriteBackStatus): void {
    status = { ...status, writeBack };
    upsertSearchAttributes([{ key: WriteBack, value: writeBack.state }]);
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

  /** Tells the batch that started this invoice (if it still runs) how it was assessed. */
  async function tellBatch(outcome: Pick<InvoiceAssessed, 'channel' | 'rejectedReasons'>): Promise<void> {
    const parent = workflowInfo().parent;
    if (!parent) return;
    try {
      // By workflow id only: the batch may have continued as new since it started this child.
      await getExternalWorkflowHandle(parent.workflowId).signal(invoiceAssessedSignal, {
        clientId: document.clientId,
        invoiceNo: document.invoiceNo,
        documentType: document.documentType,
        ...outcome,
      });
    } catch {
      // The batch has finished (or was terminated): the invoice goes on regardless.
    }
  }
}
