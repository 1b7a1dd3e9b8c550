import { formatKroner, type Ore } from '../money';
import type { OcrGiroError } from './model';
import { fieldError, type Field } from './record-fields';
import { ASSIGNMENT_END_FIELDS, TRANSMISSION_END_FIELDS } from './record-layouts';
import type { FileRecord } from './read-record';
import type { AssignmentRecords, RecordOf, TransmissionRecords } from './structure';

/**
 * The end records (88, 89) state what their assignment or transmission holds; a difference means
 * a lost, extra or altered record, and the file is refused. Record counts are counted lines and
 * always checked; transaction counts, amounts and dates are checked only when every record in
 * scope could be read, since an unreadable record (already an error) would make them differ too.
 */
export function checkAssignmentTotals(assignment: AssignmentRecords): OcrGiroError[] {
  const end = assignment.end;
  if (!end?.fields) return [];
  const f = ASSIGNMENT_END_FIELDS;
  const claims = end.fields;
  const lines = `lines ${assignment.start.line}–${end.line}`;
  const errors = [
    ...differs(end.line, f.recordCount, 'the assignment end', claims.recordCount, end.line - assignment.start.line + 1, `records in ${lines}, start and end included`),
  ];
  const content = readableContent(assignment.records);
  if (content === null) return errors;
  errors.push(
    ...differs(end.line, f.transactionCount, 'the assignment end', claims.transactionCount, content.items1.length, `transactions in ${lines}`),
    ...amountDiffers(end.line, f.totalAmount, 'the assignment end', claims.totalAmountOre, content.sum),
  );
  const [earliest, latest] = [content.earliest(), content.latest()];
  if (earliest && latest) {
    errors.push(
      ...dateDiffers(end.line, f.earliestNetsDate, claims.earliestNetsDate, 'earliest', earliest),
      ...dateDiffers(end.line, f.latestNetsDate, claims.latestNetsDate, 'latest', latest),
    );
  }
  return errors;
}

export function checkTransmissionTotals(transmission: TransmissionRecords): OcrGiroError[] {
  const end = transmission.end;
  if (!end?.fields) return [];
  const f = TRANSMISSION_END_FIELDS;
  const claims = end.fields;
  const firstLine = transmission.start?.line ?? 1;
  const errors = [
    ...differs(end.line, f.recordCount, 'the transmission end', claims.recordCount, end.line - firstLine + 1, `records in lines ${firstLine}–${end.line}, start and end included`),
  ];
  const content = readableContent(transmission.records);
  if (content === null) return errors;
  return errors.concat(
    differs(end.line, f.transactionCount, 'the transmission end', claims.transactionCount, content.items1.length, 'transactions in the file'),
    amountDiffers(end.line, f.totalAmount, 'the transmission end', claims.totalAmountOre, content.sum),
  );
}

type Item1 = RecordOf<'30'> & { fields: NonNullable<RecordOf<'30'>['fields']> };

interface Content {
  items1: Item1[];
  /** Exact: a sum of many øre amounts may pass what a number holds. */
  sum: bigint;
  earliest(): Item1 | undefined;
  latest(): Item1 | undefined;
}

/** The amount items 1 in scope, or null when any record in scope could not be read. */
function readableContent(records: readonly FileRecord[]): Content | null {
  if (records.some((record) => record.recordType === null || !record.intact)) return null;
  const items1 = records.filter((record): record is Item1 => record.recordType === '30' && record.fields !== null);
  const byDate = [...items1].sort((a, b) => a.fields.netsDate.localeCompare(b.fields.netsDate) || a.line - b.line);
  return {
    items1,
    sum: items1.reduce((sum, item) => sum + BigInt(item.fields.amountOre), 0n),
    earliest: () => byDate[0],
    latest: () => byDate.at(-1),
  };
}

function differs(line: number, where: Field, who: string, claimed: number, counted: number, what: string): OcrGiroError[] {
  if (claimed === counted) return [];
  return [fieldError(line, where, `${who} says ${claimed}; counted ${counted} (${what})`)];
}

function amountDiffers(line: number, where: Field, who: string, claimed: Ore, sum: bigint): OcrGiroError[] {
  if (BigInt(claimed) === sum) return [];
  return [fieldError(line, where, `${who} says ${describeOre(BigInt(claimed))}; the amounts of its transactions add up to ${describeOre(sum)}`)];
}

function dateDiffers(line: number, where: Field, claimed: string | null, which: 'earliest' | 'latest', item: Item1): OcrGiroError[] {
  const actual = item.fields.netsDate;
  if (claimed === actual) return [];
  const said = claimed === null ? 'no date (000000)' : withFileForm(claimed);
  return [fieldError(line, where, `the assignment end says ${said}; the ${which} transaction is dated ${withFileForm(actual)} (line ${item.line})`)];
}

/** "2026-03-02 (020326)": readable, and findable in the file. */
function withFileForm(isoDate: string): string {
  return `${isoDate} (${isoDate.slice(8, 10)}${isoDate.slice(5, 7)}${isoDate.slice(2, 4)})`;
}

/** "5144900 øre (NOK 51 449,00)": the file's unit, and the one an operator thinks in. */
function describeOre(ore: bigint): string {
  const inKroner = ore <= BigInt(Number.MAX_SAFE_INTEGER) ? ` (NOK ${formatKroner(Number(ore) as Ore)})` : '';
  return `${ore} øre${inKroner}`;
}
