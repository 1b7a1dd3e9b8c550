import type { Ore } from '../money';
import type { AssignmentEnd, AssignmentStart, OcrGiroTransactionType, TransmissionEnd, TransmissionStart } from './model';
import { field, type RecordFieldReader } from './record-fields';

/**
 * The fields of each OCR giro record, positions as in ../shared/reference/ocr-giro.md. Fillers are
 * not read: the spec says zeros, but Nets' own example files carry digits in record 31's filler
 * (35–41), and a reader that refused them would refuse Nets' files.
 */
export const TRANSACTION_NUMBER = field('transaction number', 9, 15);

export const TRANSMISSION_START_FIELDS = {
  dataTransmitter: field('data transmitter', 9, 16),
  transmissionNumber: field('transmission number', 17, 23),
  dataRecipient: field('data recipient', 24, 31),
};

export const ASSIGNMENT_START_FIELDS = {
  agreementId: field('agreement ID', 9, 17),
  assignmentNumber: field('assignment number', 18, 24),
  assignmentAccount: field('assignment account', 25, 35),
};

export const AMOUNT_ITEM_1_FIELDS = {
  netsDate: field('Nets date', 16, 21),
  centreId: field('centre ID', 22, 23),
  dayCode: field('day code', 24, 25),
  partialSettlementNumber: field('partial settlement number', 26, 26),
  partialSettlementSerialNumber: field('serial number', 27, 31),
  sign: field('sign', 32, 32),
  amount: field('amount', 33, 49),
  kid: field('KID', 50, 74),
};

export const AMOUNT_ITEM_2_FIELDS = {
  formNumber: field('form number', 16, 25),
  archiveReference: field('archive reference', 26, 34),
  bankDate: field('bank date', 42, 47),
  debitAccount: field('debit account', 48, 58),
};

export const AMOUNT_ITEM_3_FIELDS = {
  freeText: field('free text', 16, 55),
};

export const ASSIGNMENT_END_FIELDS = {
  transactionCount: field('number of transactions', 9, 16),
  recordCount: field('number of records', 17, 24),
  totalAmount: field('total amount', 25, 41),
  netsDate: field('Nets date', 42, 47),
  earliestNetsDate: field('earliest Nets date', 48, 53),
  latestNetsDate: field('latest Nets date', 54, 59),
};

export const TRANSMISSION_END_FIELDS = {
  transactionCount: field('number of transactions', 9, 16),
  recordCount: field('number of records', 17, 24),
  totalAmount: field('total amount', 25, 41),
  netsDate: field('Nets date', 42, 47),
};

/** What records 30, 31 and 32 of one transaction share: the type and the number. */
export interface TransactionKey {
  transactionType: OcrGiroTransactionType;
  transactionNumber: number;
}

export interface AmountItem1 extends TransactionKey {
  netsDate: string;
  centreId: string;
  dayCode: number;
  partialSettlementNumber: number;
  partialSettlementSerialNumber: string;
  creditNote: boolean;
  amountOre: Ore;
  kid: string | null;
}

export interface AmountItem2 extends TransactionKey {
  formNumber: string;
  archiveReference: string;
  bankDate: string | null;
  debitAccount: string | null;
}

export interface AmountItem3 extends TransactionKey {
  freeText: string;
}

export function readTransmissionStart(reader: RecordFieldReader): TransmissionStart {
  const f = TRANSMISSION_START_FIELDS;
  return {
    line: reader.line,
    dataTransmitter: reader.digits(f.dataTransmitter),
    transmissionNumber: reader.digits(f.transmissionNumber),
    dataRecipient: reader.digits(f.dataRecipient),
  };
}

export function readAssignmentStart(reader: RecordFieldReader): AssignmentStart {
  const f = ASSIGNMENT_START_FIELDS;
  return {
    line: reader.line,
    agreementId: reader.digits(f.agreementId),
    assignmentNumber: reader.digits(f.assignmentNumber),
    assignmentAccount: reader.digits(f.assignmentAccount),
  };
}

export function readAmountItem1(reader: RecordFieldReader, transactionType: OcrGiroTransactionType): AmountItem1 {
  const f = AMOUNT_ITEM_1_FIELDS;
  return {
    transactionType,
    transactionNumber: reader.count(TRANSACTION_NUMBER),
    netsDate: reader.date(f.netsDate),
    centreId: reader.digits(f.centreId),
    dayCode: reader.count(f.dayCode),
    partialSettlementNumber: reader.count(f.partialSettlementNumber),
    partialSettlementSerialNumber: reader.digits(f.partialSettlementSerialNumber),
    creditNote: reader.oneOf(f.sign, ['0', '-']) === '-',
    amountOre: reader.amount(f.amount),
    kid: reader.kid(f.kid),
  };
}

export function readAmountItem2(reader: RecordFieldReader, transactionType: OcrGiroTransactionType): AmountItem2 {
  const f = AMOUNT_ITEM_2_FIELDS;
  const debitAccount = reader.digits(f.debitAccount);
  return {
    transactionType,
    transactionNumber: reader.count(TRANSACTION_NUMBER),
    formNumber: reader.digits(f.formNumber),
    archiveReference: reader.digits(f.archiveReference),
    bankDate: reader.optionalDate(f.bankDate),
    // All zeros: Nets does not know the payer's account.
    debitAccount: /^0+$/.test(debitAccount) ? null : debitAccount,
  };
}

export function readAmountItem3(reader: RecordFieldReader, transactionType: OcrGiroTransactionType): AmountItem3 {
  return {
    transactionType,
    transactionNumber: reader.count(TRANSACTION_NUMBER),
    freeText: reader.text(AMOUNT_ITEM_3_FIELDS.freeText),
  };
}

export function readAssignmentEnd(reader: RecordFieldReader): AssignmentEnd {
  const f = ASSIGNMENT_END_FIELDS;
  return {
    line: reader.line,
    transactionCount: reader.count(f.transactionCount),
    recordCount: reader.count(f.recordCount),
    totalAmountOre: reader.amount(f.totalAmount),
    netsDate: reader.date(f.netsDate),
    earliestNetsDate: reader.optionalDate(f.earliestNetsDate),
    latestNetsDate: reader.optionalDate(f.latestNetsDate),
  };
}

export function readTransmissionEnd(reader: RecordFieldReader): TransmissionEnd {
  const f = TRANSMISSION_END_FIELDS;
  return {
    line: reader.line,
    transactionCount: reader.count(f.transactionCount),
    recordCount: reader.count(f.recordCount),
    totalAmountOre: reader.amount(f.totalAmount),
    netsDate: reader.date(f.netsDate),
  };
}
