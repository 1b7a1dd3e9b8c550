/**
 * Nets dates are DDMMYY; "000000" means "no date". The two-digit year is read like C's and
 * Python's strptime %y (69–99 → 1969–1999, 00–68 → 2000–2068): files we receive are dated now, and
 * Nets' own example files (1992) then keep their real dates, as other OCR readers give them.
 */
export const NO_NETS_DATE = '000000';

const NETS_DATE = /^(\d{2})(\d{2})(\d{2})$/;

/** "020326" → "2026-03-02"; null when the text is not a date that exists in the calendar. */
export function isoDateFromNetsDate(netsDate: string): string | null {
  const match = NETS_DATE.exec(netsDate);
  if (!match) return null;
  const [, dd = '', mm = '', yy = ''] = match;
  const year = Number(yy) >= 69 ? 1900 + Number(yy) : 2000 + Number(yy);
  const month = Number(mm);
  const day = Number(dd);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return `${year}-${mm}-${dd}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
