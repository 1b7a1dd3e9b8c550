import { ActivityFailure, ApplicationFailure, defineQuery, patched, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { KeptAsideOcrPayment, MatchedOcrPayment } from '../activities/ocr-import/ocr-import-activities';
import { ocrImportEnvelopeErrors } from '../domain/ocr-giro/import-envelope';
import type { OcrImportInput } from '../domain/ocr-giro/ocr-payment';
import { ledgerReads, ledgerWrites } from './activity-policies';
import { UnmatchedPayments } from './search-attributes';
import { failureReason } from './failure-reason';
import { inLanes } from './in-lanes';

/** Business ID: the file's content hash, so importing the same file again starts nothing new. */
export function ocrImportWorkflowId(fileSha256: string): string {
  return `ocr-import-${fileSha256.slice(0, 32)}`;
}

export interface RegisteredPayment {
  line: number;
  identity: string;
  clientId: string;
  invoiceNo: number;
  amountOre: number;
  /** The `payment` event in the client's ledger feed, which return data posts. */
  eventId: string;
}

export interface OcrImportStatus {
  fileSha256: string;
  transmissionNumber: string;
  transactions: number;
  state: 'Matching' | 'Registering' | 'Done';
  registered: RegisteredPayment[];
  /** Unmatched, ambiguous and duplicate payments, and any the ledger refused: for an operator. */
  keptAside: KeptAsideOcrPayment[];
}

export const ocrImportStatusQuery = defineQuery<OcrImportStatus>('ocrImportStatus');

/** Registrations in flight at once: the ledger is ours, but a file of thousands must not flood it. */
const CONCURRENT_REGISTRATIONS = 20;
/** Patch id: registrations in lanes replaced groups of 20 that each waited for their slowest member. */
const REGISTRATIONS_IN_LANES = 'ocr-registrations-in-lanes';

/**
 * Imports the payments of one OCR giro file (parsed and stripped of personal data by
 * `npm run import-ocr`): matches each to a booked invoice by KID in Factoring Finans' ledger and
 * registers each match there once (Idempotency-Key = the transaction's identity, sent with this
 * import's id, so a replayed receipt tells a lost answer of our own from a transaction of an earlier
 * file); the ledger then feeds it to return data. Whatever does not match exactly one invoice is
 * kept aside, counted in the search attribute UnmatchedPayments and listed by
 * `npm run unmatched-payments`.
 */
export async function ocrImportWorkflow(input: OcrImportInput): Promise<OcrImportStatus> {
  // The import as a whole, as the command checks it before start (domain/ocr-giro/import-envelope.ts).
  // Each payment is read by the matching activity with the command's zod schema, not here: whatever
  // a workflow imports is evaluated again for every open workflow. One payment the import cannot
  // take is that payment's problem, kept aside by the activity, never the whole file's. The
  // commands are those the workflow gave when it read the payments itself, so its histories replay.
  const envelope = ocrImportEnvelopeErrors(input);
  if (envelope.length > 0) throw ApplicationFailure.nonRetryable(`invalid OCR import: ${envelope.map((error) => error.message).join('; ')}`, 'InvalidInput');
  const status: OcrImportStatus = {
    fileSha256: input.fileSha256,
    transmissionNumber: input.transmissionNumber,
    transactions: input.payments.length,
    state: 'Matching',
    registered: [],
    keptAside: [],
  };
  setHandler(ocrImportStatusQuery, () => status);

  const matching = await ledgerReads.matchOcrPayments({ payments: input.payments });
  status.keptAside.push(...matching.keptAside);
  status.state = 'Registering';

  if (patched(REGISTRATIONS_IN_LANES)) {
    // With upstream faults nearly every group of 20 held one slow call: 1,000 payments took 6 min.
    await inLanes(matching.matched, CONCURRENT_REGISTRATIONS, (match) => register(match, status));
  } else {
    for (let i = 0; i < matching.matched.length; i += CONCURRENT_REGISTRATIONS) {
      await Promise.all(matching.matched.slice(i, i + CONCURRENT_REGISTRATIONS).map((match) => register(match, status)));
    }
  }
  status.registered.sort((a, b) => a.line - b.line);
  status.keptAside.sort((a, b) => a.line - b.line);
  status.state = 'Done';
  upsertSearchAttributes([{ key: UnmatchedPayments, value: status.keptAside.length }]);
  return status;
}

async function register(match: MatchedOcrPayment, status: OcrImportStatus): Promise<void> {
  const { payment, invoice } = match;
  const aside = { line: payment.line, identity: payment.identity, amountOre: payment.amountOre, kid: payment.kid };
  // The import's identity: one per file (the workflow id is the file's hash), the same in a re-run of a failed import.
  const importId = workflowInfo().workflowId;
  try {
    const receipt = await ledgerWrites.registerOcrPayment({ ...match, importId });
    // A replay naming this import is our own registration whose answer was lost: Temporal retried it.
    // Receipts without `registeredBy` (in histories from before it existed) stay duplicates, as they were.
    if (receipt.replayed && receipt.registeredBy !== importId) {
      const earlier = receipt.registeredBy === undefined ? '' : `import ${receipt.registeredBy}, `;
      status.keptAside.push({
        ...aside,
        status: 'duplicate',
        reason: 'already-imported',
        explanation: `line ${payment.line}: transaction ${payment.identity} was registered from an earlier file (${earlier}ledger event ${receipt.eventId}); it is not registered again`,
      });
      return;
    }
    status.registered.push({ line: payment.line, identity: payment.identity, clientId: invoice.clientId, invoiceNo: invoice.invoiceNo, amountOre: payment.amountOre, eventId: receipt.eventId });
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    // Never dropped: a payment the ledger would not take is listed for an operator like an unmatched one.
    status.keptAside.push({
      ...aside,
      status: 'unmatched',
      reason: 'refused-by-ledger',
      explanation: `line ${payment.line}: the ledger refused the payment of invoice ${invoice.invoiceNo} of client ${invoice.clientId}: ${failureReason(err)}`,
    });
  }
}
