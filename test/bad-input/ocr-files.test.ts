import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { generateKid } from '../../domain/kid';
import { ocrImportWorkflowId } from '../../workflows/ocr-import-workflow';
import { eventually } from '../helpers/eventually';
import { hasStackTrace, runProjectCommand, type CommandRun } from '../helpers/run-command';
import { LEDGER_API_KEY, seedWithInvoices, startService, type ServiceUnderTest } from '../helpers/service';
import { startLocalTemporal } from '../helpers/temporal';
import { indexOfRecord, ocrFile, ocrRecords, withField } from '../../scripts/lib/ocr-file-builder';

/**
 * Bad OCR giro files and bad calls of `npm run -s import-ocr -- FILE`, run as an operator runs the
 * command, against the dev server, a worker and the ledger emulator. Each row: the exact sentences
 * a person reads, the exit code, and that nothing was imported: no OCR import workflow more in
 * Temporal, no payment more at the ledger. Every broken file is a good file that pays a booked
 * invoice with one thing broken, so a file let through would register a payment.
 */
const CLIENT = `bad${randomUUID().slice(0, 6)}`;
const INVOICE_NO = 500_011;
const KID = generateKid({ method: 'MOD10', length: 15, clientNumber: 4242 }, INVOICE_NO);
const AMOUNT_ORE = 10_000;
const HEADER_LINE = (file: string) => `${file} was refused; nothing was imported:`;

/** The records of the good file: one payment of the booked invoice. */
const goodRecords = () => ocrRecords({ assignments: [{ transactions: [{ amountOre: AMOUNT_ORE, kid: KID }] }] });
const withRecords = (change: (records: string[]) => void) => {
  const records = goodRecords();
  change(records);
  return ocrFile(records);
};
const setField = (records: string[], index: number, from: number, to: number, value: string) => {
  records[index] = withField(records[index] ?? '', from, to, value);
};

interface BrokenFile {
  name: string;
  bytes: () => Uint8Array;
  /** Every error line the operator reads under the header, in order. */
  errors: string[];
}

const brokenFiles: BrokenFile[] = [
  {
    name: 'a record one character short',
    bytes: () => withRecords((r) => (r[2] = (r[2] ?? '').slice(0, 79))),
    errors: ['line 3: the record has 79 characters; every record has exactly 80'],
  },
  {
    name: 'a record one character long',
    bytes: () => withRecords((r) => (r[2] = `${r[2] ?? ''}0`)),
    errors: ['line 3: the record has 81 characters; every record has exactly 80'],
  },
  {
    name: 'a file saved as UTF-8 ("å" in a free text is two bytes)',
    bytes: () => Buffer.from(`${ocrRecords({ assignments: [{ transactions: [{ type: 20, amountOre: AMOUNT_ORE, freeText: 'Betaling for vår faktura' }] }] }).join('\n')}\n`, 'utf8'),
    errors: ['line 5: the record has 81 characters; every record has exactly 80 (it looks UTF-8 encoded; OCR giro files are ISO-8859-1, one byte per character)'],
  },
  {
    name: 'an empty file',
    bytes: () => new Uint8Array(),
    errors: ['file: the file is empty: an OCR giro file has at least a transmission start (record 10) and a transmission end (record 89)'],
  },
  {
    name: 'a file of blank lines',
    bytes: () => Buffer.from('\n\n   \n'),
    errors: ['file: the file is empty: an OCR giro file has at least a transmission start (record 10) and a transmission end (record 89)'],
  },
  {
    name: 'a PDF instead of an OCR giro file',
    bytes: () => Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n', 'latin1'),
    errors: [
      'line 1: the record has 8 characters; every record has exactly 80',
      'line 2: the record has 5 characters; every record has exactly 80',
      'line 3: the record has 7 characters; every record has exactly 80',
      'file: the file ends on line 3 without a transmission end (record 89)',
    ],
  },
  {
    name: "the transmission end's total amount differs from the transactions",
    bytes: () => withRecords((r) => setField(r, indexOfRecord(r, '89'), 25, 41, '00000000000010001')),
    errors: ['line 6, total amount (positions 25–41): the transmission end says 10001 øre (NOK 100,01); the amounts of its transactions add up to 10000 øre (NOK 100,00)'],
  },
  {
    name: "the assignment end's number of transactions differs",
    bytes: () => withRecords((r) => setField(r, indexOfRecord(r, '88'), 9, 16, '00000002')),
    errors: ['line 5, number of transactions (positions 9–16): the assignment end says 2; counted 1 (transactions in lines 2–5)'],
  },
  {
    name: 'a letter in the KID',
    bytes: () => withRecords((r) => setField(r, 2, 50, 74, '          04242000500011A')),
    errors: ['line 3, KID (positions 50–74): a KID is digits right-aligned after leading blanks (a MOD11 KID may end in "-"), found "          04242000500011A"'],
  },
  {
    name: 'a "-" inside the KID rather than at its end',
    bytes: () => withRecords((r) => setField(r, 2, 50, 74, '          0424200-0500011')),
    errors: ['line 3, KID (positions 50–74): a KID is digits right-aligned after leading blanks (a MOD11 KID may end in "-"), found "          0424200-0500011"'],
  },
  {
    name: 'an amount that is not digits (letter O for zero)',
    bytes: () => withRecords((r) => setField(r, 2, 33, 49, '0000000000001000O')),
    errors: ['line 3, amount (positions 33–49): must be 17 digits, found "0000000000001000O"'],
  },
  {
    name: 'a Nets date that does not exist (31 February)',
    bytes: () => withRecords((r) => setField(r, 2, 16, 21, '310226')),
    errors: ['line 3, Nets date (positions 16–21): must be a date DDMMYY, found "310226"'],
  },
  {
    name: 'an unknown record type',
    bytes: () => withRecords((r) => setField(r, 2, 7, 8, '39')),
    errors: ['line 3, record type (positions 7–8): "39" is not an OCR giro record type (10, 20, 30, 31, 32, 88, 89)'],
  },
  {
    name: 'a service code other than OCR giro',
    bytes: () => withRecords((r) => setField(r, 2, 3, 4, '00')),
    errors: ['line 3, service code (positions 3–4): must be "09" (OCR giro) in an amount item 1 (record 30), found "00"'],
  },
  {
    name: 'amount item 2 before amount item 1 (records out of order)',
    bytes: () =>
      withRecords((r) => {
        [r[2], r[3]] = [r[3] ?? '', r[2] ?? ''];
      }),
    errors: [
      'line 3: an amount item 2 (record 31) without the amount items before it',
      'line 4: amount item 2 (record 31) of transaction 0000001 (amount item 1 on line 4) expected on line 5, found an assignment end (record 88)',
    ],
  },
  {
    name: 'the assignment end after the transmission end',
    bytes: () => withRecords((r) => r.push(...r.splice(indexOfRecord(r, '88'), 1))),
    errors: [
      'line 2: the assignment starting here has no assignment end (record 88); line 5 holds a transmission end (record 89)',
      'line 5, number of records (positions 17–24): the transmission end says 6; counted 5 (records in lines 1–5, start and end included)',
      'line 6: a record after the transmission end (record 89) on line 5, which must be the last record',
    ],
  },
  {
    name: 'no transmission end (a cut-off file)',
    bytes: () => withRecords((r) => r.pop()),
    errors: ['file: the file ends on line 5 without a transmission end (record 89)'],
  },
  {
    name: 'two transmission starts',
    bytes: () => withRecords((r) => r.splice(1, 0, r[0] ?? '')),
    errors: [
      'line 2: a second transmission start (record 10); the transmission began on line 1, and a file holds one',
      'line 7, number of records (positions 17–24): the transmission end says 6; counted 7 (records in lines 1–7, start and end included)',
    ],
  },
  {
    name: 'more transactions than one import takes (2,001)',
    bytes: () => ocrFile(ocrRecords({ assignments: [{ transactions: Array.from({ length: 2001 }, () => ({ amountOre: 100 })) }] })),
    errors: ['line 4003: transaction 2001 is one too many: one import takes at most 2000 transactions and this file holds 2001; ask the bank to split the transmission'],
  },
];

interface BadCall {
  name: string;
  /** The command's arguments, given a scratch directory holding `good.ocr` (a file that would import). */
  args: (dir: string) => string[];
  stderr: (dir: string) => string;
  code: 1 | 2;
}

const USAGE_HINT = '(npm run -s import-ocr -- --help shows every option)\n';
const badCalls: BadCall[] = [
  { name: 'a file that does not exist', args: (dir) => [join(dir, 'missing.ocr')], stderr: (dir) => `Cannot read ${join(dir, 'missing.ocr')}: there is no such file.\n`, code: 1 },
  {
    name: 'a directory instead of a file',
    args: (dir) => [join(dir, 'a-folder')],
    stderr: (dir) => `Cannot read ${join(dir, 'a-folder')}: it is a directory; give the OCR giro file itself.\n`,
    code: 1,
  },
  {
    name: 'a path through a file',
    args: (dir) => [join(dir, 'good.ocr', 'x.ocr')],
    stderr: (dir) => `Cannot read ${join(dir, 'good.ocr', 'x.ocr')}: a part of the path is not a directory.\n`,
    code: 1,
  },
  { name: 'no file named', args: () => [], stderr: () => `error: missing required argument 'file'\n${USAGE_HINT}`, code: 2 },
  { name: 'two files named', args: (dir) => [join(dir, 'good.ocr'), join(dir, 'good.ocr')], stderr: () => `error: too many arguments. Expected 1 argument but got 2.\n${USAGE_HINT}`, code: 2 },
  { name: 'an unknown option', args: (dir) => [join(dir, 'good.ocr'), '--dry-run'], stderr: () => `error: unknown option '--dry-run'\n${USAGE_HINT}`, code: 2 },
];

describe('bad OCR giro files and calls of import-ocr: a sentence, an exit code, nothing imported', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest;
  let dir: string;

  const importOcr = (args: string[]) =>
    runProjectCommand('client/import-ocr.ts', args, { ...service.environment, TEMPORAL_ADDRESS: env.address, TEMPORAL_TASK_QUEUE: service.taskQueue });
  const ocrImports = async () => (await env.client.workflow.count("WorkflowType = 'ocrImportWorkflow'")).count;
  /** Counted at the ledger emulator, over HTTP. */
  const ledgerPayments = async () => {
    const response = await fetch(`${service.emulators.ledgerUrl}_emulator/payments`);
    return ((await response.json()) as { payments: unknown[] }).payments.length;
  };
  const counts = async () => ({ imports: await ocrImports(), payments: await ledgerPayments() });

  async function expectNotStarted(bytes: Uint8Array): Promise<void> {
    const workflowId = ocrImportWorkflowId(createHash('sha256').update(bytes).digest('hex'));
    await expect(env.client.workflow.getHandle(workflowId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  }

  function expectOneSentencePerLine(run: CommandRun): void {
    expect(hasStackTrace(run.stderr)).toBe(false);
    expect(run.stdout).toBe('');
  }

  beforeAll(async () => {
    env = await startLocalTemporal();
    service = await startService(env, seedWithInvoices(0, CLIENT), { onboard: false });
    dir = mkdtempSync(join(tmpdir(), 'bad-ocr-'));
    mkdirSync(join(dir, 'a-folder'));
    writeFileSync(join(dir, 'good.ocr'), ocrFile(goodRecords()));
    const invoiceId = randomUUID();
    const booked = await fetch(`${service.emulators.ledgerUrl}v1/clients/${CLIENT}/invoices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${LEDGER_API_KEY}`, 'idempotency-key': `book:${CLIENT}:${invoiceId}`, 'content-type': 'application/json' },
      body: JSON.stringify({ invoiceId, invoiceNo: INVOICE_NO, documentType: 'Invoice', customerNo: 10010, amountOre: AMOUNT_ORE, currency: 'NOK', invoiceDate: '2026-02-10', dueDate: '2026-02-24', kid: KID }),
    });
    if (booked.status !== 201) throw new Error(`could not book the invoice: HTTP ${booked.status}`);
  });
  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await service?.stop();
    await env?.teardown();
  });

  test.each(brokenFiles)('$name is refused with its line and reason (exit 1)', async ({ name, bytes, errors }) => {
    const file = join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.ocr`);
    const content = bytes();
    writeFileSync(file, content);
    const before = await counts();

    const run = await importOcr([file]);

    expect(run.stderr).toBe(`${[HEADER_LINE(file), ...errors.map((error) => `  ${error}`)].join('\n')}\n`);
    expect(run.code).toBe(1);
    expectOneSentencePerLine(run);
    expect(await counts()).toEqual(before);
    await expectNotStarted(content);
  });

  test.each(badCalls)('$name is refused in one sentence (exit $code)', async ({ args, stderr, code }) => {
    const before = await counts();

    const run = await importOcr(args(dir));

    expect(run.stderr).toBe(stderr(dir));
    expect(run.code).toBe(code);
    expectOneSentencePerLine(run);
    expect(await counts()).toEqual(before);
  });

  // A payment whose KID cannot be matched is money that arrived: the file is imported, and the
  // payment kept aside for a person, never registered against an invoice.
  test.each([
    {
      name: 'a KID whose check digit is wrong (a mistyped KID)',
      kid: '042420005000117',
      keptAside: 'line 3: transaction 0000001 (2026-03-02, NOK 100,00) has KID 042420005000117, which is not a valid KID (MOD10 check digit should be 2, not 7; MOD11 check digit should be 3, not 7); the payer may have mistyped it',
    },
    {
      name: 'a valid KID of no booked invoice',
      kid: '042420005000120',
      keptAside: 'line 3: transaction 0000001 (2026-03-02, NOK 100,00) has KID 042420005000120, which belongs to no invoice',
    },
  ])('$name: the payment is kept aside, nothing is registered (exit 0)', async ({ kid, keptAside }) => {
    const before = await counts();

    const run = await importOcr([writeFile(`kept-aside-${kid}.ocr`, ocrFile(ocrRecords({ assignments: [{ transactions: [{ amountOre: AMOUNT_ORE, kid }] }] })))]);

    expect(run.stdout).toContain(`  registered in the ledger: 0\n  kept aside for an operator: 1\n    [unmatched] ${keptAside}\n`);
    expect(run.code).toBe(0);
    expect(await ledgerPayments()).toBe(before.payments);
    // The import itself is recorded, so the payment stays listed for a person (unmatched-payments).
    expect(await eventually(ocrImports, (imports) => imports === before.imports + 1)).toBe(before.imports + 1);
  });

  // The counters above can move: the good file imports, one workflow and one payment more.
  test('the good file every row breaks is imported: one import workflow and one payment more', async () => {
    const before = await counts();

    const run = await importOcr([join(dir, 'good.ocr')]);

    expect(run.stdout).toContain('  registered in the ledger: 1\n');
    expect(run.code).toBe(0);
    expect(await ledgerPayments()).toBe(before.payments + 1);
    expect(await eventually(ocrImports, (imports) => imports === before.imports + 1)).toBe(before.imports + 1);
  });

  function writeFile(name: string, bytes: Uint8Array): string {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    return file;
  }
});
