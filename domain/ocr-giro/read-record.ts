import type { AssignmentEnd, AssignmentStart, OcrGiroError, OcrGiroTransactionType, TransmissionEnd, TransmissionStart } from './model';
import { field, RecordFieldReader, recordError } from './record-fields';
import {
  readAmountItem1,
  readAmountItem2,
  readAmountItem3,
  readAssignmentEnd,
  readAssignmentStart,
  readTransmissionEnd,
  readTransmissionStart,
  type AmountItem1,
  type AmountItem2,
  type AmountItem3,
} from './record-layouts';
import type { RecordLine } from './record-lines';

export const RECORD_LENGTH = 80;

export type RecordType = '10' | '20' | '30' | '31' | '32' | '88' | '89';

interface Parsed<T extends RecordType, F> {
  recordType: T;
  line: number;
  /** False when any field (or the length) is wrong; the record's error is then already listed. */
  intact: boolean;
  /** Null when the record has the wrong length, so no position can be trusted. */
  fields: F | null;
}

export type ParsedRecord =
  | Parsed<'10', TransmissionStart>
  | Parsed<'20', AssignmentStart>
  | Parsed<'30', AmountItem1>
  | Parsed<'31', AmountItem2>
  | Parsed<'32', AmountItem3>
  | Parsed<'88', AssignmentEnd>
  | Parsed<'89', TransmissionEnd>;

/** A line whose record type cannot be told; its error is listed, the structure check skips it. */
export interface UnknownRecord {
  recordType: null;
  line: number;
}

export type FileRecord = ParsedRecord | UnknownRecord;

const FORMAT_CODE = field('format code', 1, 2);
const SERVICE_CODE = field('service code', 3, 4);
const RECORD_TYPE = field('record type', 7, 8);

const TRANSACTION_TYPES = ['10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20', '21'] as const;

/** What positions 3–6 must hold in each record type. */
const RECORD_RULES: Record<RecordType, { name: string; serviceCode: '00' | '09'; typeField: string; types: readonly string[] }> = {
  '10': { name: 'transmission start', serviceCode: '00', typeField: 'transmission type', types: ['00'] },
  '20': { name: 'assignment start', serviceCode: '09', typeField: 'assignment type', types: ['00'] },
  '30': { name: 'amount item 1', serviceCode: '09', typeField: 'transaction type', types: TRANSACTION_TYPES },
  '31': { name: 'amount item 2', serviceCode: '09', typeField: 'transaction type', types: TRANSACTION_TYPES },
  // Only terminal transactions with free text have a third amount item.
  '32': { name: 'amount item 3', serviceCode: '09', typeField: 'transaction type', types: ['20', '21'] },
  '88': { name: 'assignment end', serviceCode: '09', typeField: 'assignment type', types: ['00'] },
  '89': { name: 'transmission end', serviceCode: '00', typeField: 'transmission type', types: ['00'] },
};

/** "amount item 2 (record 31)": the spec's name and the number an operator sees in the file. */
export function recordName(recordType: RecordType): string {
  return `${RECORD_RULES[recordType].name} (record ${recordType})`;
}

/** "an amount item 1 (record 30)", "a transmission start (record 10)". */
export function withArticle(name: string): string {
  return /^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`;
}

export function readRecord(record: RecordLine): { record: FileRecord; errors: OcrGiroError[] } {
  const recordType = knownRecordType(record.text.slice(RECORD_TYPE.from - 1, RECORD_TYPE.to));
  if (record.text.length !== RECORD_LENGTH) {
    // Positions cannot be trusted, but a recognisable record type keeps the structure check going.
    const known = recordType !== null && record.text.startsWith('NY');
    const unreadable: FileRecord = known ? { recordType, line: record.line, intact: false, fields: null } : { recordType: null, line: record.line };
    return { record: unreadable, errors: [lengthError(record)] };
  }
  const reader = new RecordFieldReader(record);
  if (recordType === null) {
    reader.fail(RECORD_TYPE, `"${reader.raw(RECORD_TYPE)}" is not an OCR giro record type (10, 20, 30, 31, 32, 88, 89)`);
    return { record: { recordType: null, line: record.line }, errors: reader.errors };
  }
  const transactionType = readHeader(reader, recordType);
  const parsed = readFields(reader, recordType, transactionType);
  return { record: parsed, errors: reader.errors };
}

function knownRecordType(text: string): RecordType | null {
  return Object.hasOwn(RECORD_RULES, text) ? (text as RecordType) : null;
}

/** Checks positions 1–6; returns the transaction type (meaningful for records 30–32 only). */
function readHeader(reader: RecordFieldReader, recordType: RecordType): OcrGiroTransactionType {
  const rule = RECORD_RULES[recordType];
  const typeField = field(rule.typeField, 5, 6);
  const name = recordName(recordType);
  if (reader.raw(FORMAT_CODE) !== 'NY') reader.fail(FORMAT_CODE, `must be "NY", found "${reader.raw(FORMAT_CODE)}"`);
  const serviceCode = reader.raw(SERVICE_CODE);
  if (serviceCode !== rule.serviceCode) {
    const what = rule.serviceCode === '09' ? ' (OCR giro)' : ' (transmission records)';
    reader.fail(SERVICE_CODE, `must be "${rule.serviceCode}"${what} in ${withArticle(name)}, found "${serviceCode}"`);
  }
  const type = reader.raw(typeField);
  if (!rule.types.includes(type)) reader.fail(typeField, `${describeAllowedTypes(rule.types, name)}, found "${type}"`);
  return (rule.types.includes(type) && recordType.startsWith('3') ? Number(type) : 10) as OcrGiroTransactionType;
}

function describeAllowedTypes(types: readonly string[], name: string): string {
  if (types === TRANSACTION_TYPES) return `must be a transaction type from 10 to 21 in ${withArticle(name)}`;
  if (types.length === 1) return `must be "${types[0]}" in ${withArticle(name)}`;
  return `${withArticle(name)} exists only for transaction types ${types.join(' and ')}`;
}

function readFields(reader: RecordFieldReader, recordType: RecordType, transactionType: OcrGiroTransactionType): ParsedRecord {
  const line = reader.line;
  // The intact flag is read after the fields, so that their errors count.
  switch (recordType) {
    case '10': {
      const fields = readTransmissionStart(reader);
      return { recordType, line, fields, intact: reader.intact };
    }
    case '20': {
      const fields = readAssignmentStart(reader);
      return { recordType, line, fields, intact: reader.intact };
    }
    case '30': {
      const fields = readAmountItem1(reader, transactionType);
      return { recordType, line, fields, intact: reader.intact };
    }
    case '31': {
      const fields = readAmountItem2(reader, transactionType);
      return { recordType, line, fields, intact: reader.intact };
    }
    case '32': {
      const fields = readAmountItem3(reader, transactionType);
      return { recordType, line, fields, intact: reader.intact };
    }
    case '88': {
      const fields = readAssignmentEnd(reader);
      return { recordType, line, fields, intact: reader.intact };
    }
    case '89': {
      const fields = readTransmissionEnd(reader);
      return { recordType, line, fields, intact: reader.intact };
    }
  }
}

/** Names the length, and the usual cause when the line looks UTF-8 encoded (æøå as two bytes). */
function lengthError(record: RecordLine): OcrGiroError {
  const looksUtf8 = record.text.length > RECORD_LENGTH && /[\u00c2\u00c3][\u0080-\u00bf]/.test(record.text);
  const hint = looksUtf8 ? ' (it looks UTF-8 encoded; OCR giro files are ISO-8859-1, one byte per character)' : '';
  return {
    ...recordError(record.line, `the record has ${record.text.length} characters; every record has exactly ${RECORD_LENGTH}${hint}`),
    field: 'record length',
  };
}
