import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { ocrImportInputErrors, parseOcrGiroFile, toOcrPayment, type OcrGiroError, type OcrImportInput } from '../domain/ocr-giro';
import { ocrImportWorkflow, ocrImportWorkflowId, type OcrImportStatus } from '../workflows/ocr-import-workflow';

/** What the command knows before it talks to Temporal: the file is refused, or this is the workflow's input. */
export type OcrFilePreparation =
  /** The file is broken, or holds what the import cannot take: nothing is started; every error, in line order. */
  | { refused: true; errors: OcrGiroError[] }
  | { refused: false; input: OcrImportInput; workflowId: string };

export interface OcrImportRun {
  workflowId: string;
  /** A workflow for this very file existed; its result is shown, nothing new was done. */
  alreadyImported: boolean;
  result: OcrImportStatus;
}

export type OcrImportOutcome = { refused: true; errors: OcrGiroError[] } | ({ refused: false } & OcrImportRun);

/**
 * Reads an OCR giro file on the operator's machine, without Temporal: the parser's errors, then
 * the import's own input check (domain/ocr-giro/import-input.ts: the envelope the workflow checks,
 * each payment as the matching activity reads it), so anything the import would not take is
 * refused here, with its line, before start. The input holds no payer's account or free text.
 */
export function prepareOcrImport(bytes: Uint8Array): OcrFilePreparation {
  const parsed = parseOcrGiroFile(bytes);
  if (!parsed.ok) return { refused: true, errors: parsed.errors };
  const { file } = parsed;
  const fileSha256 = createHash('sha256').update(bytes).digest('hex');
  const input: OcrImportInput = {
    fileSha256,
    transmissionNumber: file.transmission.start.transmissionNumber,
    payments: file.transactions.map(toOcrPayment),
  };
  const errors = ocrImportInputErrors(input);
  if (errors.length > 0) return { refused: true, errors };
  return { refused: false, input, workflowId: ocrImportWorkflowId(fileSha256) };
}

/**
 * Starts `ocrImportWorkflow` for a prepared file and waits for its result. The workflow ID is the
 * file's SHA-256, so the same file imported twice is one import; a failed import may be started
 * again (its registrations are idempotent in the ledger).
 */
export async function startOcrImport(client: Client, taskQueue: string, input: OcrImportInput): Promise<OcrImportRun> {
  const workflowId = ocrImportWorkflowId(input.fileSha256);
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
  return { workflowId, alreadyImported, result };
}

/** Prepares and imports in one go (for code that has a client at hand already). */
export async function importOcrFile(client: Client, taskQueue: string, bytes: Uint8Array): Promise<OcrImportOutcome> {
  const prepared = prepareOcrImport(bytes);
  if (prepared.refused) return prepared;
  return { refused: false, ...(await startOcrImport(client, taskQueue, prepared.input)) };
}

/** "line 4, field amount: …" is already in the message; file-wide errors say so. */
export function describeOcrError(error: OcrGiroError): string {
  return error.line === null ? `file: ${error.message}` : error.message;
}
