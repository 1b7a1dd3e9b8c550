import type { Ore } from '../money';
import type { OcrGiroError } from './model';
import { isoDateFromNetsDate, NO_NETS_DATE } from './nets-date';
import type { RecordLine } from './record-lines';

/** A field as the spec's tables give it: 1-based, inclusive positions. */
export interface Field {
  name: string;
  from: number;
  to: number;
}

export function field(name: string, from: number, to: number): Field {
  return { name, from, to };
}

/** "amount (positions 33–49)", "sign (position 32)": how the spec's tables name a place. */
export function describeField(where: Field): string {
  const positions = where.from === where.to ? `position ${where.from}` : `positions ${where.from}–${where.to}`;
  return `${where.name} (${positions})`;
}

export function recordError(line: number, problem: string): OcrGiroError {
  return { line, field: null, message: `line ${line}: ${problem}` };
}

export function fieldError(line: number, where: Field, problem: string): OcrGiroError {
  return { line, field: where.name, message: `line ${line}, ${describeField(where)}: ${problem}` };
}

const DIGITS = /^\d+$/;
/** Right-aligned digits after leading blanks; "-" only as the last character (a MOD11 check). */
const KID_FIELD = /^ *(\d+-?)?$/;

/**
 * Reads the fields of one 80-character record, collecting a precise error per bad field instead
 * of stopping at the first, so an operator sees everything wrong with the file at once. A bad
 * field reads as a placeholder (0, "", null); the record is then not `intact` and the file is
 * refused, so placeholders never leave the parser.
 */
export class RecordFieldReader {
  readonly errors: OcrGiroError[] = [];

  constructor(private readonly record: RecordLine) {}

  get line(): number {
    return this.record.line;
  }

  get intact(): boolean {
    return this.errors.length === 0;
  }

  raw(where: Field): string {
    return this.record.text.slice(where.from - 1, where.to);
  }

  digits(where: Field): string {
    const value = this.raw(where);
    if (!DIGITS.test(value)) this.fail(where, `must be ${width(where)} digits, found "${value}"`);
    return value;
  }

  /** Counts and running numbers: at most 8 digits, always exact in a number. */
  count(where: Field): number {
    const value = this.digits(where);
    return DIGITS.test(value) ? Number(value) : 0;
  }

  /** Whole øre. 17 digits can exceed what a number holds exactly; such an amount is refused. */
  amount(where: Field): Ore {
    const value = this.digits(where);
    if (!DIGITS.test(value)) return 0 as Ore;
    const ore = Number(value);
    if (!Number.isSafeInteger(ore)) {
      this.fail(where, `${value.replace(/^0+/, '')} øre is larger than the ${Number.MAX_SAFE_INTEGER} øre this system can add exactly`);
      return 0 as Ore;
    }
    return ore as Ore;
  }

  date(where: Field): string {
    return this.dateOrNull(where, false) ?? '';
  }

  /** A date that may be 000000, Nets' "no date". */
  optionalDate(where: Field): string | null {
    return this.dateOrNull(where, true);
  }

  oneOf<T extends string>(where: Field, allowed: readonly T[]): T {
    const value = this.raw(where);
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.fail(where, `must be ${allowed.map((a) => `"${a}"`).join(' or ')}, found "${value}"`);
    return allowed[0] as T;
  }

  kid(where: Field): string | null {
    const value = this.raw(where);
    if (!KID_FIELD.test(value)) {
      this.fail(where, `a KID is digits right-aligned after leading blanks (a MOD11 KID may end in "-"), found "${value}"`);
      return null;
    }
    const kid = value.trimStart();
    return kid === '' ? null : kid;
  }

  /** Free text, left-aligned and blank-filled: trailing blanks are filling, not text. */
  text(where: Field): string {
    return this.raw(where).trimEnd();
  }

  fail(where: Field, problem: string): void {
    this.errors.push(fieldError(this.record.line, where, problem));
  }

  private dateOrNull(where: Field, zeroMeansNone: boolean): string | null {
    const value = this.raw(where);
    if (zeroMeansNone && value === NO_NETS_DATE) return null;
    const iso = isoDateFromNetsDate(value);
    if (iso === null) this.fail(where, `must be a date DDMMYY, found "${value}"`);
    return iso;
  }
}

function width(where: Field): number {
  return where.to - where.from + 1;
}
