import type { OcrGiroError } from './model';
import { field, fieldError, recordError } from './record-fields';
import { TRANSACTION_NUMBER } from './record-layouts';
import { recordName, withArticle, type FileRecord, type ParsedRecord, type RecordType } from './read-record';

export type RecordOf<T extends RecordType> = Extract<ParsedRecord, { recordType: T }>;

/** Amount items 1, 2 and 3 of one transaction, as far as the file has them. */
export interface TransactionRecords {
  item1: RecordOf<'30'>;
  item2: RecordOf<'31'> | null;
  item3: RecordOf<'32'> | null;
}

export interface AssignmentRecords {
  start: RecordOf<'20'>;
  end: RecordOf<'88'> | null;
  /** Every record from the start to the end, both included, unknown ones too. */
  records: FileRecord[];
  transactions: TransactionRecords[];
}

export interface TransmissionRecords {
  start: RecordOf<'10'> | null;
  end: RecordOf<'89'> | null;
  /** Every record from the first through the transmission end. */
  records: FileRecord[];
  assignments: AssignmentRecords[];
  errors: OcrGiroError[];
}

const TRANSACTION_TYPE = field('transaction type', 5, 6);

/**
 * Checks the order of the records (10, then assignments 20 … 88 of transactions 30, 31 [, 32],
 * then 89) and groups them. Every error is collected. After a record whose type cannot be told
 * (its own error is listed), the next record's place is not judged, so one broken line does not
 * drown the operator in consequences.
 */
export function groupRecords(records: readonly FileRecord[]): TransmissionRecords {
  const grouping = new RecordGrouping();
  records.forEach((record) => grouping.add(record));
  grouping.finish(records.at(-1)?.line ?? 0);
  return grouping.result;
}

type Pending = { transaction: TransactionRecords; expects: '31' | '32' };

class RecordGrouping {
  readonly result: TransmissionRecords = { start: null, end: null, records: [], assignments: [], errors: [] };
  private open: AssignmentRecords | null = null;
  private pending: Pending | null = null;
  private afterUnknown = false;
  private reported = { noStart: false, afterEnd: false, outsideAssignment: false };

  add(record: FileRecord): void {
    if (this.result.end !== null) return this.afterTransmissionEnd(record, this.result.end.line);
    this.result.records.push(record);
    this.open?.records.push(record);
    if (record.recordType === null) {
      this.pending = null;
      this.afterUnknown = true;
      return;
    }
    if (this.result.start === null && record.recordType !== '10') this.noTransmissionStart(record);
    this.place(record);
    this.afterUnknown = false;
  }

  finish(lastLine: number): void {
    if (this.pending) this.missingItem(this.pending, null, lastLine);
    if (this.open) this.unendedAssignment(this.open);
    if (this.result.end === null && lastLine > 0) {
      this.error({ line: null, field: null, message: `the file ends on line ${lastLine} without a transmission end (record 89)` });
    }
  }

  private place(record: ParsedRecord): void {
    switch (record.recordType) {
      case '10':
        return this.transmissionStart(record);
      case '20':
        return this.assignmentStart(record);
      case '30':
      case '31':
      case '32':
        return this.amountItem(record);
      case '88':
        return this.assignmentEnd(record);
      case '89':
        return this.transmissionEnd(record);
    }
  }

  private transmissionStart(record: RecordOf<'10'>): void {
    const first = this.result.start;
    if (first === null) {
      this.result.start = record;
      return;
    }
    this.error(recordError(record.line, `a second transmission start (record 10); the transmission began on line ${first.line}, and a file holds one`));
  }

  private assignmentStart(record: RecordOf<'20'>): void {
    this.closePending(record);
    if (this.open) this.unendedAssignment(this.open, record);
    this.open = { start: record, end: null, records: [record], transactions: [] };
    this.reported.outsideAssignment = false;
  }

  private assignmentEnd(record: RecordOf<'88'>): void {
    this.closePending(record);
    if (!this.open) {
      this.error(recordError(record.line, 'an assignment end (record 88) without an assignment start (record 20) before it'));
      return;
    }
    this.open.end = record;
    this.result.assignments.push(this.open);
    this.open = null;
    this.reported.outsideAssignment = false;
  }

  private transmissionEnd(record: RecordOf<'89'>): void {
    this.closePending(record);
    if (this.open) this.unendedAssignment(this.open, record);
    this.open = null;
    this.result.end = record;
  }

  private amountItem(record: RecordOf<'30' | '31' | '32'>): void {
    if (!this.open) return this.outsideAssignment(record);
    if (record.recordType === '30') {
      this.closePending(record);
      const transaction: TransactionRecords = { item1: record, item2: null, item3: null };
      this.open.transactions.push(transaction);
      this.pending = { transaction, expects: '31' };
      return;
    }
    const pending = this.pending;
    if (pending === null || pending.expects !== record.recordType) {
      if (pending) this.missingItem(pending, record, record.line);
      else if (!this.afterUnknown) this.error(recordError(record.line, `${withArticle(recordName(record.recordType))} without the amount items before it`));
      this.pending = null;
      return;
    }
    this.continueTransaction(pending, record);
  }

  private continueTransaction(pending: Pending, record: RecordOf<'31' | '32'>): void {
    const transaction = pending.transaction;
    this.checkSameTransaction(transaction.item1, record);
    if (record.recordType === '31') transaction.item2 = record;
    else transaction.item3 = record;
    const needsItem3 = record.recordType === '31' && hasItem3(transaction.item1);
    this.pending = needsItem3 ? { transaction, expects: '32' } : null;
  }

  /** Amount items 2 and 3 must carry the transaction number and type of their amount item 1. */
  private checkSameTransaction(item1: RecordOf<'30'>, item: RecordOf<'31' | '32'>): void {
    if (!item1.fields || !item.fields) return;
    const name = RECORD_ITEM_NAMES[item.recordType];
    const number = item.fields.transactionNumber;
    const expected = item1.fields.transactionNumber;
    if (number !== expected) {
      this.error(
        fieldError(item.line, TRANSACTION_NUMBER, `${name} is for transaction ${pad7(number)}, but the amount item 1 before it (line ${item1.line}) is for transaction ${pad7(expected)}; the amount items of one transaction carry the same number`),
      );
    }
    if (item.fields.transactionType !== item1.fields.transactionType) {
      this.error(
        fieldError(item.line, TRANSACTION_TYPE, `${name} has transaction type ${item.fields.transactionType}, but its amount item 1 (line ${item1.line}) has ${item1.fields.transactionType}`),
      );
    }
  }

  /** A record arrived where the pending transaction's next amount item belongs. */
  private closePending(found: ParsedRecord): void {
    if (this.pending) this.missingItem(this.pending, found, found.line);
    this.pending = null;
  }

  private missingItem(pending: Pending, found: ParsedRecord | null, line: number): void {
    if (this.afterUnknown) return;
    const { item1, item2 } = pending.transaction;
    const number = item1.fields ? `transaction ${pad7(item1.fields.transactionNumber)}` : 'the transaction';
    const previous = item2 ?? item1;
    const why = pending.expects === '32' ? `transaction type ${item1.fields?.transactionType} has three amount items; ` : '';
    const where = found ? `expected on line ${line}, found ${withArticle(recordName(found.recordType))}` : `missing: the file ends on line ${line}`;
    this.error(
      recordError(previous.line, `${recordName(pending.expects)} of ${number} (${why}${RECORD_ITEM_NAMES[previous.recordType]} on line ${previous.line}) ${where}`),
    );
  }

  private outsideAssignment(record: ParsedRecord): void {
    if (this.reported.outsideAssignment || this.afterUnknown) return;
    this.reported.outsideAssignment = true;
    this.error(recordError(record.line, `${withArticle(recordName(record.recordType))} outside an assignment: no assignment start (record 20) before it`));
  }

  private unendedAssignment(assignment: AssignmentRecords, next?: ParsedRecord): void {
    this.result.assignments.push(assignment);
    // The unreadable record just before may well have been the assignment end.
    if (this.afterUnknown) return;
    const cut = next ? `; line ${next.line} holds ${withArticle(recordName(next.recordType))}` : ' before the file ends';
    this.error(recordError(assignment.start.line, `the assignment starting here has no assignment end (record 88)${cut}`));
  }

  private noTransmissionStart(record: ParsedRecord): void {
    if (this.reported.noStart) return;
    this.reported.noStart = true;
    this.error(recordError(record.line, `the file must begin with a transmission start (record 10), found ${withArticle(recordName(record.recordType))}`));
  }

  private afterTransmissionEnd(record: FileRecord, endLine: number): void {
    if (this.reported.afterEnd) return;
    this.reported.afterEnd = true;
    this.error(recordError(record.line, `a record after the transmission end (record 89) on line ${endLine}, which must be the last record`));
  }

  private error(error: OcrGiroError): void {
    this.result.errors.push(error);
  }
}

const RECORD_ITEM_NAMES = { '30': 'amount item 1', '31': 'amount item 2', '32': 'amount item 3' } as const;

/** Types 20 and 21 (terminal transactions with free text) have a third amount item. */
export function hasItem3(item1: RecordOf<'30'>): boolean {
  const type = item1.fields?.transactionType;
  return type === 20 || type === 21;
}

function pad7(transactionNumber: number): string {
  return String(transactionNumber).padStart(7, '0');
}
