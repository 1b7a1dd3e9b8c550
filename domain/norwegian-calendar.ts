/**
 * Norwegian working days: Monday to Friday except the public holidays (helligdager, lov om
 * helligdager og helligdagsfred § 1, and 1 and 17 May by lov 26. april 1947). The movable ones hang
 * on Easter Sunday, computed here, so no year has to be typed in.
 * Dates are calendar dates in Europe/Oslo, as 'YYYY-MM-DD'.
 */

export interface PublicHoliday {
  date: string;
  name: string;
}

/** Easter Sunday (Gregorian), by the Meeus/Jones/Butcher algorithm. */
export function easterSunday(year: number): { month: number; day: number } {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { month, day };
}

/** Calendar arithmetic in UTC: a date has no time of day, so no DST can shift it. */
function isoDate(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

function plusDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return isoDate(y, m, d + days);
}

export function norwegianPublicHolidays(year: number): PublicHoliday[] {
  const { month, day } = easterSunday(year);
  const easter = isoDate(year, month, day);
  return [
    { date: isoDate(year, 1, 1), name: 'Første nyttårsdag' },
    { date: plusDays(easter, -3), name: 'Skjærtorsdag' },
    { date: plusDays(easter, -2), name: 'Langfredag' },
    { date: easter, name: 'Første påskedag' },
    { date: plusDays(easter, 1), name: 'Andre påskedag' },
    { date: isoDate(year, 5, 1), name: 'Offentlig høytidsdag (1. mai)' },
    { date: plusDays(easter, 39), name: 'Kristi himmelfartsdag' },
    { date: isoDate(year, 5, 17), name: 'Grunnlovsdag (17. mai)' },
    { date: plusDays(easter, 49), name: 'Første pinsedag' },
    { date: plusDays(easter, 50), name: 'Andre pinsedag' },
    { date: isoDate(year, 12, 25), name: 'Første juledag' },
    { date: isoDate(year, 12, 26), name: 'Andre juledag' },
  ].sort((x, y) => x.date.localeCompare(y.date));
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parse(date: string): { year: number; weekday: number } {
  const match = DATE.exec(date);
  if (!match) throw new Error(`expected a date as YYYY-MM-DD, got "${date}"`);
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const utc = new Date(Date.UTC(y, m - 1, d));
  if (utc.toISOString().slice(0, 10) !== date) throw new Error(`no such date: ${date}`);
  return { year: y, weekday: utc.getUTCDay() };
}

export function publicHolidayOn(date: string): PublicHoliday | undefined {
  return norwegianPublicHolidays(parse(date).year).find((h) => h.date === date);
}

/** Why a date is not a working day, or undefined when it is one. */
export function nonWorkingReason(date: string): string | undefined {
  const { weekday } = parse(date);
  if (weekday === 0) return 'Sunday';
  if (weekday === 6) return 'Saturday';
  const holiday = publicHolidayOn(date);
  return holiday ? `public holiday (${holiday.name})` : undefined;
}

export function isNorwegianWorkingDay(date: string): boolean {
  return nonWorkingReason(date) === undefined;
}

/** Public holidays from Monday to Friday: the ones a weekday schedule must skip explicitly. */
export function weekdayHolidays(fromYear: number, toYear: number): PublicHoliday[] {
  const years = Array.from({ length: toYear - fromYear + 1 }, (_, i) => fromYear + i);
  return years.flatMap(norwegianPublicHolidays).filter((h) => {
    const { weekday } = parse(h.date);
    return weekday >= 1 && weekday <= 5;
  });
}
