import type { Client } from '@temporalio/client';
import type { KeptAsideOcrPayment } from '../activities/ocr-import/ocr-import-activities';
import { ocrImportStatusQuery, type ocrImportWorkflow, type OcrImportStatus } from '../workflows/ocr-import-workflow';

export interface ImportWithUnmatched {
  workflowId: string;
  transmissionNumber: string;
  importedAt: Date;
  keptAside: KeptAsideOcrPayment[];
}

/** Imports with payments kept aside, from visibility (search attribute UnmatchedPayments > 0), newest first. */
export async function listUnmatchedPayments(client: Client): Promise<ImportWithUnmatched[]> {
  const imports: ImportWithUnmatched[] = [];
  const query = "WorkflowType = 'ocrImportWorkflow' AND UnmatchedPayments > 0";
  for await (const execution of client.workflow.list({ query })) {
    const handle = client.workflow.getHandle<typeof ocrImportWorkflow>(execution.workflowId, execution.runId);
    // A finished import's result needs no worker; a running one answers the query.
    const status: OcrImportStatus = execution.status.name === 'RUNNING' ? await handle.query(ocrImportStatusQuery) : await handle.result();
    imports.push({ workflowId: execution.workflowId, transmissionNumber: status.transmissionNumber, importedAt: execution.startTime, keptAside: status.keptAside });
  }
  return imports.sort((a, b) => b.importedAt.getTime() - a.importedAt.getTime());
}
