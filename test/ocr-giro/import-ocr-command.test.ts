import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OCR_IMPORT_MAX_TRANSACTIONS } from '../../domain/ocr-giro';
import { hasStackTrace, runProjectCommand } from '../helpers/run-command';
import { indexOfRecord, ocrFile, ocrRecords, withField } from '../../scripts/lib/ocr-file-builder';

/**
 * `npm run -s import-ocr -- FILE` reads and checks the file before it contacts Temporal: with the
 * Temporal server down (an address where nothing listens) a broken file still gets its errors, and
 * a good one a sentence naming the address, each within seconds and without a stack.
 */
let dir: string;
let closedAddress: string;

/** A loopback port that was free a moment ago and has nothing listening now. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function writeOcrFile(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const importOcr = (args: string[]) => runProjectCommand('client/import-ocr.ts', args, { TEMPORAL_ADDRESS: closedAddress });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'import-ocr-'));
  closedAddress = `127.0.0.1:${await closedPort()}`;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('import-ocr with the Temporal server down', () => {
  test("a broken file's errors are shown at once, exit 1, without a stack", async () => {
    const records = ocrRecords({ assignments: [{ transactions: [{ amountOre: 10_000, kid: '1000005-' }] }] });
    const end = indexOfRecord(records, '89');
    records[end] = withField(records[end] ?? '', 25, 41, '00000000000010001');
    const file = writeOcrFile('wrong-total.ocr', ocrFile(records));

    const run = await importOcr([file]);

    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `${file} was refused; nothing was imported:\n` +
        '  line 6, total amount (positions 25–41): the transmission end says 10001 øre (NOK 100,01); the amounts of its transactions add up to 10000 øre (NOK 100,00)\n',
    );
    expect(run.stdout).toBe('');
    expect(hasStackTrace(run.stderr)).toBe(false);
    // Node and tsx take a few seconds to start on a busy machine; a connection attempt would add its 3 s timeout.
    expect(run.elapsedMs).toBeLessThan(8_000);
  });

  test(`a file of more than ${OCR_IMPORT_MAX_TRANSACTIONS} transactions is refused before start, with the line of the first one too many`, async () => {
    const transactions = Array.from({ length: OCR_IMPORT_MAX_TRANSACTIONS + 1 }, () => ({ amountOre: 100 }));
    const file = writeOcrFile('too-many.ocr', ocrFile(ocrRecords({ assignments: [{ transactions }] })));

    const run = await importOcr([file, '--json']);

    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      file,
      refused: true,
      errors: [
        {
          line: 4_003,
          field: null,
          message: 'line 4003: transaction 2001 is one too many: one import takes at most 2000 transactions and this file holds 2001; ask the bank to split the transmission',
        },
      ],
    });
    expect(run.stderr).toBe('');
  });

  test('a good file is answered in one sentence naming the address that could not be reached', async () => {
    const file = writeOcrFile('good.ocr', ocrFile(ocrRecords({ assignments: [{ transactions: [{ amountOre: 10_000, kid: '1000005-' }] }] })));

    const run = await importOcr([file]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Could not reach the Temporal server at ${closedAddress}`);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(hasStackTrace(run.stderr)).toBe(false);
    expect(run.elapsedMs).toBeLessThan(12_000);
  });
});
