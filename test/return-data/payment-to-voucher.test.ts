import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { importOcrFile } from '../../client/ocr-import';
import { batchWorkflow } from '../../workflows/batch-workflow';
import { returnDataWorkflow } from '../../workflows/return-data-workflow';
import { ocrFile, ocrRecords } from '../../scripts/lib/ocr-file-builder';
import { eventually } from '../helpers/eventually';
import { seedWithInvoices, startService, type ServiceUnderTest } from '../helpers/service';
import { startLocalTemporal } from '../helpers/temporal';
import { exampleMapping } from './ledger-events';

interface PostedVoucher {
  kind: 'BankJournals' | 'ManualJournals';
  dto: { ExternalImportReference: string; VoucherLines: { AccountId: number; SubledgerAccountId?: number | null; CurrencyAmount: number; InvoiceNo?: string | null }[] };
}

/**
 * The whole way of one payment, on the real dev server and the emulators over HTTP: the batch books
 * and sends an invoice with its KID; the end customer pays it through the bank; the bank's OCR giro
 * file is imported; the next return-data run posts the payment into the client's PowerOffice GO
 * against that invoice, once.
 */
describe('an end customer pays an invoice through the bank', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest | undefined;

  beforeAll(async () => {
    env = await startLocalTemporal();
  });
  afterAll(async () => {
    await service?.stop();
    await env?.teardown();
  });

  test("the payment from the OCR file reaches the client's PowerOffice GO as one bank voucher on the invoice", async () => {
    const seed = seedWithInvoices(1);
    service = await startService(env, seed, { clientSettings: { accountMapping: exampleMapping } });
    await env.client.workflow.execute(batchWorkflow, { workflowId: `batch-${seed.clientId}`, taskQueue: service.taskQueue, args: [{ force: true }] });
    // The batch ends once the invoice is assessed; booking follows in the invoice's own workflow.
    const [booked] = await eventually(async () => service!.emulators.ledger.store.bookedInvoices(seed.clientId), (list) => list.length === 1);
    const { kid, amountOre, invoiceNo } = booked!.booking;

    const outcome = await importOcrFile(env.client, service.taskQueue, ocrFile(ocrRecords({ assignments: [{ transactions: [{ amountOre, kid }] }] })));
    expect(outcome.refused).toBe(false);
    const runReturnData = () =>
      env.client.workflow.execute(returnDataWorkflow, { workflowId: `return-data-manual-${randomUUID()}`, taskQueue: service!.taskQueue, args: [{ force: true }] });
    const report = await runReturnData();
    const again = await runReturnData();

    expect(report.clients[seed.clientId]).toMatchObject({ status: 'done', posted: 1, postedByType: { payment: 1 } });
    expect(again.clients[seed.clientId]).toMatchObject({ status: 'done', posted: 0 });
    const vouchers = [...service.emulators.powerOffice.state.byClientId(seed.clientId)!.vouchers.values()] as unknown as PostedVoucher[];
    expect(vouchers).toHaveLength(1);
    expect(vouchers[0]!.kind).toBe('BankJournals');
    const lines = vouchers[0]!.dto.VoucherLines;
    expect(lines.map((line) => line.CurrencyAmount).sort((a, b) => a - b)).toEqual([-amountOre / 100, amountOre / 100]);
    expect(lines.find((line) => line.CurrencyAmount < 0)?.InvoiceNo).toBe(String(invoiceNo));
  });
});
