import { format } from 'date-fns';
import { TZDate } from '@date-fns/tz';

export const OSLO = 'Europe/Oslo';

/** The calendar date in Oslo, YYYY-MM-DD, for an instant. */
export function osloDate(instant: Date): string {
  return format(new TZDate(instant.getTime(), OSLO), 'yyyy-MM-dd');
}

/** ISO 8601 with Oslo's offset, e.g. 2026-11-28T16:05:00+01:00. */
export function osloIso(instant: Date): string {
  return format(new TZDate(instant.getTime(), OSLO), "yyyy-MM-dd'T'HH:mm:ssXXX");
}

/** Oslo wall-clock time as 20261128T160500, for readable IDs. */
export function osloCompact(instant: Date): string {
  return format(new TZDate(instant.getTime(), OSLO), "yyyyMMdd'T'HHmmss");
}

/** The Oslo calendar date as Norwegians write it, 30.11.2026, for texts a client's accountant reads. */
export function osloNorwegianDate(instant: Date): string {
  return format(new TZDate(instant.getTime(), OSLO), 'dd.MM.yyyy');
}
