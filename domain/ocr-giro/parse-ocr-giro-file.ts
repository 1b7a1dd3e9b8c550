import type { OcrGiroAssignment, OcrGiroError, OcrGiroFile, OcrGiroParse, OcrGiroTransaction, OcrGiroTransactionKind, OcrGiroTransactionType } from './model';
import { readRecord, type FileRecord } from './read-record';
import { decodeLatin1, splitRecordLines } from './record-lines';
import { groupRecords, type AssignmentRecords, type TransactionRecords, type TransmissionRecords } from './structure';
import { checkAssignmentTotals, checkTransmissionTotals } from './totals';

/**
 * Reads an OCR giro file (the bytes as received, ISO-8859-1). The file is taken whole or refused
 * whole: with any error nothing is handed out, so a payment can never be half-imported, and the
 * errors list everything found, in line order, for the operator to take up with the bank.
 */
export function parseOcrGiroFile(bytes: Uint8Array): OcrGiroParse {
  const lines = splitRecordLines(decodeLatin1(bytes));
  if (lines.every((line) => line.text.trim() === '')) {
    return refuse([{ line: null, field: null, message: 'the file is empty: an OCR giro file has at least a transmission start (record 10) and a transmission end (record 89)' }]);
  }
  const errors: OcrGiroError[] = [];
  const records: FileRecord[] = lines.map((line) => {
    const read = readRecord(line);
    errors.push(...read.errors);
    return read.record;
  });
  const transmission = groupRecords(records);
  errors.push(...transmission.errors, ...transmission.assignments.flatMap(checkAssignmentTotals), ...checkTransmissionTotals(transmission));
  return errors.length > 0 ? refuse(errors) : { ok: true, file: toFile(transmission) };
}

function refuse(errors: OcrGiroError[]): OcrGiroParse {
  // Stable sort: within a line, the order found (position order); file-wide errors last.
  const lineOf = (error: OcrGiroError) => error.line ?? Number.MAX_SAFE_INTEGER;
  return { ok: false, errors: [...errors].sort((a, b) => lineOf(a) - lineOf(b)) };
}

/** Only called without errors, so every record is present and intact. */
function toFile(transmission: TransmissionRecords): OcrGiroFile {
  const assignments = transmission.assignments.map(toAssignment);
  return {
    transmission: { start: present(transmission.start?.fields), end: present(transmission.end?.fields) },
    assignments,
    transactions: assignments.flatMap((assignment) => assignment.transactions),
  };
}

function toAssignment(records: AssignmentRecords): OcrGiroAssignment {
  const start = present(records.start.fields);
  return {
    start,
    end: present(records.end?.fields),
    transactions: records.transactions.map((transaction) => toTransaction(transaction, start)),
  };
}

function toTransaction(records: TransactionRecords, assignment: OcrGiroAssignment['start']): OcrGiroTransaction {
  const item1 = present(records.item1.fields);
  const item2 = present(records.item2?.fields);
  return {
    line: records.item1.line,
    agreementId: assignment.agreementId,
    assignmentAccount: assignment.assignmentAccount,
    transactionType: item1.transactionType,
    kind: transactionKind(item1.transactionType),
    transactionNumber: item1.transactionNumber,
    netsDate: item1.netsDate,
    centreId: item1.centreId,
    dayCode: item1.dayCode,
    partialSettlementNumber: item1.partialSettlementNumber,
    partialSettlementSerialNumber: item1.partialSettlementSerialNumber,
    creditNote: item1.creditNote,
    amountOre: item1.amountOre,
    kid: item1.kid,
    formNumber: item2.formNumber,
    archiveReference: item2.archiveReference,
    bankDate: item2.bankDate,
    debitAccount: item2.debitAccount,
    freeText: records.item3?.fields?.freeText ?? null,
  };
}

/** 10–17 pay into the account; 18 and 20 reverse, 19 and 21 are terminal purchases. */
export function transactionKind(type: OcrGiroTransactionType): OcrGiroTransactionKind {
  if (type <= 17) return 'payment';
  return type === 18 || type === 20 ? 'reversal' : 'purchase';
}

function present<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('OCR giro: a record is missing although no error was found; this is a bug in the parser');
  return value;
}
