import type { Ore } from '../money';

/**
 * An OCR giro file (Mastercard Payment Services, ex-Nets, service code 09) as read by
 * `parseOcrGiroFile`: one transmission of assignments of transactions, see
 * ../shared/reference/ocr-giro.md. Dates are ISO "YYYY-MM-DD"; amounts are whole øre; numbers that
 * identify something (accounts, agreement IDs, archive references) stay strings so leading zeros
 * survive. Every part keeps its 1-based line number, so an operator can find it in the file.
 */
export interface OcrGiroFile {
  transmission: OcrGiroTransmission;
  assignments: OcrGiroAssignment[];
  /** Every transaction of every assignment, in file order. */
  transactions: OcrGiroTransaction[];
}

export interface OcrGiroTransmission {
  start: TransmissionStart;
  end: TransmissionEnd;
}

/** Record 10. */
export interface TransmissionStart {
  line: number;
  /** Nets' ID, normally "00008080". */
  dataTransmitter: string;
  /** Serial number set by Nets. */
  transmissionNumber: string;
  /** The payee's customer unit ID. */
  dataRecipient: string;
}

/** Record 89: what Nets says the transmission holds; checked against the content. */
export interface TransmissionEnd {
  line: number;
  transactionCount: number;
  /** All records, including the 10 and the 89. */
  recordCount: number;
  totalAmountOre: Ore;
  netsDate: string;
}

export interface OcrGiroAssignment {
  start: AssignmentStart;
  end: AssignmentEnd;
  transactions: OcrGiroTransaction[];
}

/** Record 20. */
export interface AssignmentStart {
  line: number;
  agreementId: string;
  /** Serial number of the assignment within the transmission. */
  assignmentNumber: string;
  /** The payee's account credited by this assignment's transactions. */
  assignmentAccount: string;
}

/** Record 88: what Nets says the assignment holds; checked against the content. */
export interface AssignmentEnd {
  line: number;
  transactionCount: number;
  /** All records of the assignment, including its 20 and 88. */
  recordCount: number;
  totalAmountOre: Ore;
  /** The day the assignment was produced. */
  netsDate: string;
  /** Null when the field is 000000 ("no date"). */
  earliestNetsDate: string | null;
  latestNetsDate: string | null;
}

/** Spec codes 10–21 in positions 5–6 of records 30, 31 and 32. */
export type OcrGiroTransactionType = 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17 | 18 | 19 | 20 | 21;

/**
 * Our reading of the type, not a spec term: 10–17 are payments into the account; 18–21 are
 * "information transactions" from terminals and internet payments (reversals and purchases).
 */
export type OcrGiroTransactionKind = 'payment' | 'reversal' | 'purchase';

/** One transaction: amount item 1 (record 30) and 2 (record 31), and 3 (record 32) for types 20/21. */
export interface OcrGiroTransaction {
  /** Line of amount item 1. */
  line: number;
  agreementId: string;
  assignmentAccount: string;
  transactionType: OcrGiroTransactionType;
  kind: OcrGiroTransactionKind;
  /** Running number within the assignment (positions 9–15 of every amount item). */
  transactionNumber: number;
  /** The day Nets processed the transaction. */
  netsDate: string;
  centreId: string;
  /** Day of month the transaction was processed, 1–31. */
  dayCode: number;
  partialSettlementNumber: number;
  partialSettlementSerialNumber: string;
  /** Sign "-": an electronic credit note, where the payee's agreement allows them. */
  creditNote: boolean;
  /** As written in the file: never negative, the sign is `creditNote`. */
  amountOre: Ore;
  /** Right-aligned in its field; leading blanks trimmed, leading zeros kept. Null when blank. */
  kid: string | null;
  formNumber: string;
  /** Payer's agreement ID or the bank's archive reference; for types 18–21 BAX + session number. */
  archiveReference: string;
  /** Null when 000000. */
  bankDate: string | null;
  /** The payer's account; null when Nets does not know it (all zeros). */
  debitAccount: string | null;
  /** Free text of amount item 3 (types 20 and 21), trailing blanks trimmed; else null. */
  freeText: string | null;
}

/**
 * One thing wrong with a file. `message` is the whole sentence an operator reads, beginning with
 * the line (and the field with its positions) when there is one.
 */
export interface OcrGiroError {
  /** 1-based; null for what concerns the whole file (empty, no transmission end). */
  line: number | null;
  /** The field as the spec names it, e.g. "amount"; null when the whole record is meant. */
  field: string | null;
  message: string;
}

/** A file is taken whole or not at all: with any error, no transaction is handed out. */
export type OcrGiroParse = { ok: true; file: OcrGiroFile } | { ok: false; errors: OcrGiroError[] };
