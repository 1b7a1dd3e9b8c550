import { prepareOcrImport } from '../../client/ocr-import';
import { validateKid } from '../../domain/kid';
import { OCR_IMPORT_MAX_TRANSACTIONS, ocrImportInputErrors, readOcrImportInput, type OcrImportInput } from '../../domain/ocr-giro';
import { ocrFile, ocrRecords, type TransactionSpec } from '../../scripts/lib/ocr-file-builder';

/**
 * What the command checks before it starts the import and what the workflow reads its input with
 * are one thing (domain/ocr-giro/import-input.ts on `ocrImportInputSchema`): a file the parser
 * takes is either taken by the workflow or refused by the command with its line and reason.
 */
const fileOf = (...transactions: TransactionSpec[]) => ocrFile(ocrRecords({ assignments: [{ transactions }] }));

function preparedInput(bytes: Uint8Array): OcrImportInput {
  const prepared = prepareOcrImport(bytes);
  if (prepared.refused) throw new Error(prepared.errors.map((error) => error.message).join('\n'));
  return prepared.input;
}

describe("checking an OCR import's input against the workflow's own schema", () => {
  test('a MOD11 KID ending in "-" is taken as the parser reads it', () => {
    expect(validateKid('1000005-', 'MOD11')).toEqual({ valid: true });

    const input = preparedInput(fileOf({ amountOre: 4_999, kid: '1000005-' }));

    expect(input.payments).toEqual([expect.objectContaining({ line: 3, kid: '1000005-', amountOre: 4_999 })]);
    expect(ocrImportInputErrors(input)).toEqual([]);
  });

  test(`a file of more than ${OCR_IMPORT_MAX_TRANSACTIONS} transactions is refused at the first one too many, before anything starts`, () => {
    const transactions = Array.from({ length: OCR_IMPORT_MAX_TRANSACTIONS + 1 }, () => ({ amountOre: 100 }));

    const prepared = prepareOcrImport(fileOf(...transactions));

    // Record 10, record 20, then two records per transaction: transaction 2001 begins on line 4003.
    expect(prepared).toEqual({
      refused: true,
      errors: [
        {
          line: 4_003,
          field: null,
          message: 'line 4003: transaction 2001 is one too many: one import takes at most 2000 transactions and this file holds 2001; ask the bank to split the transmission',
        },
      ],
    });
  });

  test('a payment the workflow cannot take is that payment\'s problem: named with its line and field, the others stay usable', () => {
    const input = preparedInput(fileOf({ amountOre: 10_000, kid: '1000005-' }, { amountOre: 20_000, kid: '0100100100234' }));
    const [first, second] = input.payments;
    const broken = { ...input, payments: [{ ...first, kid: '10000A5-' }, second] };

    const reading = readOcrImportInput(broken);

    expect(reading.ok && reading.input.payments).toEqual([second]);
    expect(reading.ok && reading.unusable).toEqual([
      expect.objectContaining({
        line: 3,
        kid: '10000A5-',
        errors: [{ line: 3, field: 'KID', message: 'line 3, KID: must be 1–25 digits, of which the last may be "-" (a MOD11 check), found "10000A5-"' }],
      }),
    ]);
    // The command refuses exactly that, before start.
    expect(ocrImportInputErrors(broken).map((error) => error.message)).toEqual([
      'line 3, KID: must be 1–25 digits, of which the last may be "-" (a MOD11 check), found "10000A5-"',
    ]);
  });

  test('an import that is wrong as a whole (its transmission number) cannot be read at all', () => {
    const input = preparedInput(fileOf({ amountOre: 10_000 }));

    expect(readOcrImportInput({ ...input, transmissionNumber: '12345678' })).toEqual({
      ok: false,
      errors: [{ line: 1, field: 'transmission number', message: 'line 1, transmission number: must be 1–7 digits' }],
    });
  });
});
