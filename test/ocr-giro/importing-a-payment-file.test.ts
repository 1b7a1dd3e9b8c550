import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { importOcrFile, type OcrImportOutcome } from '../../client/ocr-import';
import { listUnmatchedPayments } from '../../client/unmatched-payments';
import { generateKid, mod11CheckDigit, type KidScheme } from '../../domain/kid';
import { OCR_IMPORT_MAX_TRANSACTIONS } from '../../domain/ocr-giro';
import { prepareOcrImport } from '../../client/ocr-import';
import { ocrImportWorkflow, ocrImportWorkflowId, type OcrImportStatus } from '../../workflows/ocr-import-workflow';
import { eventually } from '../helpers/eventually';
import { runProjectCommand } from '../helpers/run-command';
import { LEDGER_API_KEY, seedWithInvoices, startService, type ServiceUnderTest } from '../helpers/service';
import { startLocalTemporal } from '../helpers/temporal';
import { indexOfRecord, ocrFile, ocrRecords, withField, type TransactionSpec } from '../../scripts/lib/ocr-file-builder';

/**
 * `npm run import-ocr` as an operator runs it, against the real worker, the dev server (operators
 * list what was kept aside through visibility) and the ledger emulator over HTTP: the invoices are
 * booked in the ledger, the file pays some of them.
 */
const CLIENT = `ocr${randomUUID().slice(0, 6)}`;
const SCHEME: KidScheme = { method: 'MOD10', length: 15, clientNumber: 4242 };

function imported(outcome: OcrImportOutcome): OcrImportStatus & { workflowId: string; alreadyImported: boolean } {
  if (outcome.refused) throw new Error(`the file was refused: ${outcome.errors.map((e) => e.message).join('; ')}`);
  return { ...outcome.result, workflowId: outcome.workflowId, alreadyImported: outcome.alreadyImported };
}

describe('importing an OCR giro payment file', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest;
  let nextInvoiceNo = 50_000;

  /** Books an invoice of CLIENT in the ledger, as the invoice workflow does; its KID is what payers type. */
  function bookedInvoice(amountOre: number): { invoiceNo: number; kid: string } {
    nextInvoiceNo += 1;
    const kid = generateKid(SCHEME, nextInvoiceNo);
    const booked = service.emulators.ledger.store.book(CLIENT, `book:${CLIENT}:${nextInvoiceNo}`, {
      invoiceId: randomUUID(),
      invoiceNo: nextInvoiceNo,
      documentType: 'Invoice',
      customerNo: 10010,
      amountOre,
      currency: 'NOK',
      invoiceDate: '2026-02-10',
      dueDate: '2026-02-24',
      kid,
    });
    if (booked.outcome !== 'created') throw new Error(`could not book invoice ${nextInvoiceNo}`);
    return { invoiceNo: nextInvoiceNo, kid };
  }
  /**
   * Books an invoice whose KID is a MOD11 KID ending in "-" (remainder 1), over the ledger's HTTP
   * API: Factoring Finans never issues one, but an invoice bought with its own KID may carry it.
   */
  async function bookedInvoiceWithHyphenKid(amountOre: number): Promise<{ invoiceNo: number; kid: string }> {
    let body = '';
    do {
      nextInvoiceNo += 1;
      body = `04243${String(nextInvoiceNo).padStart(10, '0')}`;
    } while (mod11CheckDigit(body) !== '-');
    const kid = `${body}-`;
    const invoiceId = randomUUID();
    const response = await fetch(`${service.emulators.ledgerUrl}v1/clients/${CLIENT}/invoices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${LEDGER_API_KEY}`, 'idempotency-key': `book:${CLIENT}:${invoiceId}`, 'content-type': 'application/json' },
      body: JSON.stringify({ invoiceId, invoiceNo: nextInvoiceNo, documentType: 'Invoice', customerNo: 10010, amountOre, currency: 'NOK', invoiceDate: '2026-02-10', dueDate: '2026-02-24', kid }),
    });
    if (response.status !== 201) throw new Error(`the ledger did not book invoice ${nextInvoiceNo} with KID ${kid}: HTTP ${response.status} ${await response.text()}`);
    return { invoiceNo: nextInvoiceNo, kid };
  }
  /** `npm run -s import-ocr -- FILE --json` in its own process, against this test's Temporal and worker. */
  async function runImportCommand(bytes: Uint8Array) {
    const file = join(mkdtempSync(join(tmpdir(), 'ocr-import-')), 'payments.ocr');
    writeFileSync(file, bytes);
    return runProjectCommand('client/import-ocr.ts', [file, '--json'], { ...service.environment, TEMPORAL_ADDRESS: env.address, TEMPORAL_TASK_QUEUE: service.taskQueue });
  }
  const fileOf = (...transactions: TransactionSpec[]) => ocrFile(ocrRecords({ assignments: [{ transactions }] }));
  const importFile = (bytes: Uint8Array) => importOcrFile(env.client, service.taskQueue, bytes);
  const paymentsInLedger = () => service.emulators.ledger.payments.registeredPayments(CLIENT);

  beforeAll(async () => {
    env = await startLocalTemporal();
    service = await startService(env, seedWithInvoices(0, CLIENT), { onboard: false });
  });
  afterAll(async () => {
    await service?.stop();
    await env?.teardown();
  });

  test('a valid file registers each matched payment in the ledger once; importing it again adds nothing', async () => {
    const first = bookedInvoice(125_000);
    const second = bookedInvoice(40_050);
    const bytes = fileOf({ amountOre: 125_000, kid: first.kid }, { amountOre: 40_050, kid: second.kid });
    const before = paymentsInLedger().length;

    const result = imported(await importFile(bytes));

    expect(result.registered.map(({ line, clientId, invoiceNo, amountOre }) => ({ line, clientId, invoiceNo, amountOre }))).toEqual([
      { line: 3, clientId: CLIENT, invoiceNo: first.invoiceNo, amountOre: 125_000 },
      { line: 5, clientId: CLIENT, invoiceNo: second.invoiceNo, amountOre: 40_050 },
    ]);
    expect(result.keptAside).toEqual([]);
    // Each registration is a payment event in the client's feed, which return data posts.
    const feed = service.emulators.ledger.store.readEvents(CLIENT, undefined, 500);
    expect(feed.ok && feed.events.filter((event) => result.registered.some((p) => p.eventId === event.eventId))).toEqual([
      expect.objectContaining({ type: 'payment', invoiceNo: first.invoiceNo, kid: first.kid, amountOre: 125_000, paidOn: '2026-03-02', customerNo: 10010 }),
      expect.objectContaining({ type: 'payment', invoiceNo: second.invoiceNo, kid: second.kid, amountOre: 40_050, paidOn: '2026-03-02' }),
    ]);

    const again = imported(await importFile(bytes));

    expect(again).toMatchObject({ alreadyImported: true, workflowId: result.workflowId });
    expect(paymentsInLedger()).toHaveLength(before + 2);
    expect(paymentsInLedger().every((payment) => payment.requests === 1)).toBe(true);
  });

  test('a transaction already registered from an earlier file is kept aside as a duplicate when another file carries it again', async () => {
    const paidTwice = bookedInvoice(77_700);
    const paidOnce = bookedInvoice(12_300);
    const transaction: TransactionSpec = { number: 1, amountOre: 77_700, kid: paidTwice.kid, archiveReference: '888000111' };
    const before = paymentsInLedger().length;
    const earlier = imported(await importFile(fileOf(transaction)));
    expect(earlier.registered.map((p) => p.invoiceNo)).toEqual([paidTwice.invoiceNo]);

    // Another file (its own hash, so its own import) with the same transaction and one new payment.
    const later = imported(await importFile(fileOf(transaction, { number: 2, amountOre: 12_300, kid: paidOnce.kid })));

    expect(later.workflowId).not.toBe(earlier.workflowId);
    expect(later.registered.map((p) => p.invoiceNo)).toEqual([paidOnce.invoiceNo]);
    expect(later.keptAside).toEqual([
      expect.objectContaining({
        line: 3,
        status: 'duplicate',
        reason: 'already-imported',
        explanation: expect.stringContaining(`was registered from an earlier file (import ${earlier.workflowId}, ledger event ${earlier.registered[0]!.eventId})`),
      }),
    ]);
    // In the ledger, and so in the return-data feed, each payment once: the repeat was a replay.
    const added = paymentsInLedger().slice(before);
    expect(added.map((p) => [p.payment.invoiceId === added[0]!.payment.invoiceId, p.importId, p.requests])).toEqual([
      [true, earlier.workflowId, 2],
      [false, later.workflowId, 1],
    ]);
    const feed = service.emulators.ledger.store.readEvents(CLIENT, undefined, 500);
    const paymentEvents = feed.ok ? feed.events.filter((event) => event.type === 'payment' && [paidTwice.kid, paidOnce.kid].includes(event.kid)) : [];
    expect(paymentEvents.map((event) => event.eventId)).toEqual([earlier.registered[0]!.eventId, later.registered[0]!.eventId]);
  });

  test('a payment with an unknown KID and a transaction repeated in the file are kept aside and listed for operators', async () => {
    const invoice = bookedInvoice(99_900);
    const unknownKid = generateKid(SCHEME, 49_999);
    const repeated: TransactionSpec = { number: 2, amountOre: 99_900, kid: invoice.kid, archiveReference: '777000222' };
    const before = paymentsInLedger().length;

    const result = imported(await importFile(fileOf({ number: 1, amountOre: 31_000, kid: unknownKid }, repeated, repeated)));

    expect(result.registered.map((p) => p.invoiceNo)).toEqual([invoice.invoiceNo]);
    expect(paymentsInLedger()).toHaveLength(before + 1);
    expect(result.keptAside).toEqual([
      expect.objectContaining({ line: 3, status: 'unmatched', reason: 'no-invoice', explanation: expect.stringContaining(`has KID ${unknownKid}, which belongs to no invoice`) }),
      expect.objectContaining({ line: 7, status: 'duplicate', reason: 'repeated-in-file', explanation: expect.stringContaining('repeats the transaction on line 5') }),
    ]);
    const listed = await eventually(
      () => listUnmatchedPayments(env.client),
      (imports) => imports.some((entry) => entry.workflowId === result.workflowId),
    );
    expect(listed.find((entry) => entry.workflowId === result.workflowId)?.keptAside).toEqual(result.keptAside);
  });

  test('a file with a record of the wrong length is refused with the line, and nothing is imported', async () => {
    const invoice = bookedInvoice(10_000);
    const records = ocrRecords({ assignments: [{ transactions: [{ amountOre: 10_000, kid: invoice.kid }] }] });
    records[2] = (records[2] ?? '').slice(0, 79);
    const bytes = ocrFile(records);
    const before = paymentsInLedger().length;

    const outcome = await importFile(bytes);

    expect(outcome).toEqual({ refused: true, errors: [{ line: 3, field: 'record length', message: 'line 3: the record has 79 characters; every record has exactly 80' }] });
    expect(paymentsInLedger()).toHaveLength(before);
    const workflowId = ocrImportWorkflowId(createHash('sha256').update(bytes).digest('hex'));
    await expect(env.client.workflow.getHandle(workflowId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  test('a file whose end totals disagree with its transactions is refused with the field, and nothing is imported', async () => {
    const invoice = bookedInvoice(10_000);
    const records = ocrRecords({ assignments: [{ transactions: [{ amountOre: 10_000, kid: invoice.kid }] }] });
    const end = indexOfRecord(records, '89');
    records[end] = withField(records[end] ?? '', 25, 41, '00000000000010001');
    const before = paymentsInLedger().length;

    const outcome = await importFile(ocrFile(records));

    expect(outcome.refused).toBe(true);
    expect(outcome.refused && outcome.errors).toEqual([
      expect.objectContaining({ line: end + 1, field: 'total amount', message: expect.stringContaining('the transmission end says 10001 øre') }),
    ]);
    expect(paymentsInLedger()).toHaveLength(before);
  });
  test('a payment with a MOD11 KID ending in "-" that pays a booked invoice is registered in the ledger', async () => {
    const { invoiceNo, kid } = await bookedInvoiceWithHyphenKid(77_700);
    const before = paymentsInLedger().length;

    const run = await runImportCommand(fileOf({ amountOre: 77_700, kid }));

    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const printed = JSON.parse(run.stdout) as OcrImportStatus & { refused: boolean };
    expect(printed).toMatchObject({ refused: false, alreadyImported: false, result: { state: 'Done', transactions: 1, keptAside: [] } });
    expect(paymentsInLedger()).toHaveLength(before + 1);
    expect(paymentsInLedger().at(-1)?.payment).toMatchObject({ kid, amountOre: 77_700, paidOn: '2026-03-02' });
    const feed = service.emulators.ledger.store.readEvents(CLIENT, undefined, 500);
    expect(feed.ok && feed.events.at(-1)).toMatchObject({ type: 'payment', invoiceNo, kid, amountOre: 77_700 });
  });

  test('a MOD11 KID ending in "-" of no invoice, and one whose "-" is the wrong check, are kept aside with their reasons; the rest of the file is registered', async () => {
    const invoice = bookedInvoice(12_300);
    const noInvoiceKid = '1000005-';
    const wrongCheckKid = '1234567-';

    const result = imported(await importFile(fileOf({ amountOre: 5_000, kid: noInvoiceKid }, { amountOre: 6_000, kid: wrongCheckKid }, { amountOre: 12_300, kid: invoice.kid })));

    expect(result.state).toBe('Done');
    expect(result.registered.map((p) => p.invoiceNo)).toEqual([invoice.invoiceNo]);
    expect(result.keptAside).toEqual([
      expect.objectContaining({ line: 3, kid: noInvoiceKid, status: 'unmatched', reason: 'no-invoice', explanation: 'line 3: transaction 0000001 (2026-03-02, NOK 50,00) has KID 1000005-, which belongs to no invoice' }),
      expect.objectContaining({
        line: 5,
        kid: wrongCheckKid,
        status: 'unmatched',
        reason: 'invalid-kid',
        explanation: expect.stringContaining('has KID 1234567-, which is not a valid KID (MOD10 check digit should be 4, not -; MOD11 check digit should be 4, not -)'),
      }),
    ]);
  });

  test('a payment the workflow cannot take is kept aside with its reason, never failing the file', async () => {
    const invoice = bookedInvoice(8_800);
    const prepared = prepareOcrImport(fileOf({ amountOre: 8_800, kid: invoice.kid }, { amountOre: 1_000, kid: generateKid(SCHEME, 49_998) }));
    if (prepared.refused) throw new Error('the file was refused');
    const [good, other] = prepared.input.payments;
    // Started directly, past the command's check: as an older client, or another caller, might.
    const input = { ...prepared.input, payments: [good, { ...other, kid: 'not a KID' }] };

    const result = await env.client.workflow.execute(ocrImportWorkflow, { workflowId: `ocr-import-test-${randomUUID()}`, taskQueue: service.taskQueue, args: [input as typeof prepared.input] });

    expect(result.state).toBe('Done');
    expect(result.registered.map((p) => p.invoiceNo)).toEqual([invoice.invoiceNo]);
    expect(result.keptAside).toEqual([
      expect.objectContaining({
        line: 5,
        status: 'unmatched',
        reason: 'unusable',
        explanation: 'line 5, KID: must be 1–25 digits, of which the last may be "-" (a MOD11 check), found "not a KID": the import cannot take this transaction, so it is kept aside for a person',
      }),
    ]);
  });
  test(`a file of the most transactions one import takes (${OCR_IMPORT_MAX_TRANSACTIONS}), every one kept aside with a long reason, completes`, async () => {
    // Mistyped 25-digit KIDs and ten-billion-krone amounts: the longest explanations matching writes.
    const transactions = Array.from({ length: OCR_IMPORT_MAX_TRANSACTIONS }, (_, i) => ({ amountOre: 1_000_000_000_000 + i, kid: `${String(i).padStart(24, '9')}0` }));

    const result = imported(await importFile(fileOf(...transactions)));

    expect(result.state).toBe('Done');
    expect(result.keptAside).toHaveLength(OCR_IMPORT_MAX_TRANSACTIONS);
    expect(result.keptAside.filter((payment) => payment.reason === 'invalid-kid').length).toBeGreaterThan(OCR_IMPORT_MAX_TRANSACTIONS * 0.8);
    // Temporal refuses payloads over 2 MB; the result must stay clear of it.
    expect(JSON.stringify(result).length).toBeLessThan(1_500_000);
  });
});
