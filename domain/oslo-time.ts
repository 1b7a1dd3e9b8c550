/**
 * Oslo wall-clock time, from the runtime's own time-zone data (Intl, the same ICU data date-fns/tz
 * read). No imports: workflows use it, and every module a workflow imports is evaluated again for
 * each open workflow (see test/workflow-bundle-size.test.ts).
 */
export const OSLO = 'Europe/Oslo';

interface WallClock {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
  /** Oslo's offset from UTC at that instant, as +01:00 or +02:00. */
  offset: string;
}

let formatter: Intl.DateTimeFormat | undefined;

/** Made on first use, not at import: most workflows that import this module never ask the time. */
function osloFormatter(): Intl.DateTimeFormat {
  formatter ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: OSLO,
    numberingSystem: 'latn',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    // h23, not hour12: false, which some ICU versions print as "24" at midnight.
    hourCycle: 'h23',
  });
  return formatter;
}

const two = (n: number) => String(n).padStart(2, '0');

/** As date-fns wrote it (XXX): Z for UTC itself, which Oslo never is today. */
function offsetText(minutes: number): string {
  if (minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

function wallClock(instant: Date): WallClock {
  const time = instant.getTime();
  if (!Number.isFinite(time)) throw new RangeError('Invalid time value');
  const part = (parts: Intl.DateTimeFormatPart[], type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const parts = osloFormatter().formatToParts(instant);
  const [year, month, day, hour, minute, second] = (['year', 'month', 'day', 'hour', 'minute', 'second'] as const).map((type) => part(parts, type)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // The offset is what the wall clock is ahead of UTC (whole seconds: the formatter drops the milliseconds).
  const offsetMinutes = Math.round((Date.UTC(year, month - 1, day, hour, minute, second) - Math.floor(time / 1000) * 1000) / 60_000);
  return { year: String(year).padStart(4, '0'), month: two(month), day: two(day), hour: two(hour), minute: two(minute), second: two(second), offset: offsetText(offsetMinutes) };
}

/** The calendar date in Oslo, YYYY-MM-DD, for an instant. */
export function osloDate(instant: Date): string {
  const { year, month, day } = wallClock(instant);
  return `${year}-${month}-${day}`;
}

/** ISO 8601 with Oslo's offset, e.g. 2026-11-28T16:05:00+01:00. */
export function osloIso(instant: Date): string {
  const { year, month, day, hour, minute, second, offset } = wallClock(instant);
  return `${year}-${month}-${day}T${hour}:${minute}:${second}${offset}`;
}

/** Oslo wall-clock time as 20261128T160500, for readable IDs. */
export function osloCompact(instant: Date): string {
  const { year, month, day, hour, minute, second } = wallClock(instant);
  return `${year}${month}${day}T${hour}${minute}${second}`;
}

/** The Oslo calendar date as Norwegians write it, 30.11.2026, for texts a client's accountant reads. */
export function osloNorwegianDate(instant: Date): string {
  const { year, month, day } = wallClock(instant);
  return `${day}.${month}.${year}`;
}

/** Oslo wall-clock date and time as Norwegians write it, 30.11.2026 16:05, for operators' summaries. */
export function osloNorwegianDateTime(instant: Date): string {
  const { hour, minute } = wallClock(instant);
  return `${osloNorwegianDate(instant)} ${hour}:${minute}`;
}
