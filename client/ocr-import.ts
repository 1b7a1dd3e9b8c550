import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { OCR_IMPORT_MAX_TRANSACTIONS, parseOcrGiroFile, toOcrPayment, type OcrGiroError, type OcrImportInput } from '../domain/ocr-giro';
import { ocrImportWorkflow, ocrImportWorkflowId, type OcrImportStatus } from '../workflows/ocr-import-workflow';

export type OcrImportOutcome =
  /** The file is broken: nothing was imported; every error, in line order. */
  | { refused: true; errors: OcrGiroError[] }
  /** `alreadyImported`: a workflow for this very file existed; its result is shown, nothing new was done. */
  | { refused: false; workflowId: string; alreadyImported: boolean; result: OcrImportStatus };

/**
 * Parses an OCR giro file on the operator's machine and hands its payments, without the payers'
 * accounts or free texts, to `ocrImportWorkflow`, whose ID is the file's SHA-256: the same file
 * imported twice is one import. A failed import may be started again; its registrations are
 * idempotent in the ledger.
 */
export async function importOcrFile(client: Client, taskQueue: string, bytes: Uint8Array): Promise<OcrImportOutcome> {
  const parsed = parseOcrGiroFile(bytes);
  if (!parsed.ok) return { refused: true, errors: parsed.errors };
  const { file } = parsed;
  if (file.transactions.length > OCR_IMPORT_MAX_TRANSACTIONS) {
    const message = `the file holds ${file.transactions.length} transactions; one import takes at most ${OCR_IMPORT_MAX_TRANSACTIONS}: ask the bank to split the transmission`;
    return { refused: true, errors: [{ line: null, field: null, message }] };
  }
  const fileSha256 = createHash('sha256').update(bytes).digest('hex');
  const input: OcrImportInput = {
    fileSha256,
    transmissionNumber: file.transmission.start.transmissionNumber,
    payments: file.transactions.map(toOcrPayment),
  };
  const workflowId = ocrImportWorkflowId(fileSha256);
  let alreadyImported = false;
  try {
    await client.workflow.start(ocrImportWorkflow, {
      workflowId,
      taskQueue,
      args: [input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      staticSummary: `OCR giro transmission ${input.transmissionNumber}: ${input.payments.length} transactions`,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    alreadyImported = true;
  }
  const result = await client.workflow.getHandle<typeof ocrImportWorkflow>(workflowId).result();
  return { refused: false, workflowId, alreadyImported, result };
}

/** "line 4, field amount: …" is already in the message; file-wide errors say so. */
export function describeOcrError(error: OcrGiroError): string {
  return error.line === null ? `file: ${error.message}` : error.message;
}
