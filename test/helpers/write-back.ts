import type { WorkflowHandle } from '@temporalio/client';
import got from 'got';
import type { invoiceWorkflow } from '../../workflows/invoice-workflow';
import { invoiceStatusQuery, writeBackRequestedSignal, type InvoiceStatus } from '../../workflows/messages';
import type { DistributionStateValue } from '../../workflows/search-attributes';
import { eventually } from './eventually';

/**
 * An invoice workflow completes only once PowerOffice GO knows every send. On the time-skipping
 * server (no visibility, so no write-back run can list it) the test asks the invoice directly, as
 * the 15:30 run would, once it has reached `settledIn`, and then waits for its result.
 */
export async function resultAfterWriteBack(handle: WorkflowHandle<typeof invoiceWorkflow>, settledIn: DistributionStateValue = 'Delivered'): Promise<InvoiceStatus> {
  const settled = await eventually(() => handle.query(invoiceStatusQuery), (s) => s.state === settledIn, 90_000);
  if (settled.state !== settledIn) throw new Error(`The invoice is ${settled.state}, not ${settledIn}`);
  await handle.signal(writeBackRequestedSignal, {});
  const written = await eventually(() => handle.query(invoiceStatusQuery), (s) => s.writeBack?.state === 'Done', 60_000);
  if (written.writeBack?.state !== 'Done') throw new Error(`The write-back did not finish: ${JSON.stringify(written.writeBack)}`);
  return handle.result();
}

/** What the PowerOffice GO emulator recorded for one invoice: the delivered report and the status history. */
export interface WrittenBackInvoice {
  id: string;
  invoiceNo: number;
  isDelivered: boolean;
  deliveredCalls: number;
  delivery: { invoiceCid: string; comment: string; file: { fileName: string; base64EncodedData: string } } | null;
  statusHistory: { factoringInvoiceStatus: number; factoringInvoiceStatusDescription: string | null }[];
}

export async function powerOfficeInvoices(powerOfficeUrl: string, clientId: string): Promise<WrittenBackInvoice[]> {
  const body = await got(`${powerOfficeUrl}_emulator/companies/${clientId}/invoices`).json<{ invoices: WrittenBackInvoice[] }>();
  return body.invoices;
}
