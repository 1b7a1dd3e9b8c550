import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { osloCompact, osloDate, osloIso, osloNorwegianDate } from '../../domain/oslo-time';

/**
 * domain/oslo-time.ts reads Oslo's wall clock from Intl instead of date-fns (workflows import it,
 * and each open workflow evaluates what they import). A workflow that asked the date before the
 * change must get the same answer after it on replay: the two are compared instant by instant.
 */
const dateFns = {
  osloDate: (instant: Date) => format(new TZDate(instant.getTime(), 'Europe/Oslo'), 'yyyy-MM-dd'),
  osloIso: (instant: Date) => format(new TZDate(instant.getTime(), 'Europe/Oslo'), "yyyy-MM-dd'T'HH:mm:ssXXX"),
  osloCompact: (instant: Date) => format(new TZDate(instant.getTime(), 'Europe/Oslo'), "yyyyMMdd'T'HHmmss"),
  osloNorwegianDate: (instant: Date) => format(new TZDate(instant.getTime(), 'Europe/Oslo'), 'dd.MM.yyyy'),
};
const intl = { osloDate, osloIso, osloCompact, osloNorwegianDate };

const HOUR = 3_600_000;

function instantsEvery(stepMs: number, from: string, to: string): Date[] {
  const instants: Date[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += stepMs) instants.push(new Date(t));
  return instants;
}

/** Both ways, every instant, every function; the first difference is enough to tell. */
function firstDifference(instants: Date[]): string | undefined {
  for (const instant of instants) {
    for (const name of Object.keys(intl) as (keyof typeof intl)[]) {
      const expected = dateFns[name](instant);
      const actual = intl[name](instant);
      if (actual !== expected) return `${name}(${instant.toISOString()}): ${actual}, date-fns said ${expected}`;
    }
  }
  return undefined;
}

describe('Oslo time without date-fns', () => {
  test('gives what date-fns gave every 5 h 7 min from 2024 to 2031 (every hour of the day, many minutes)', () => {
    expect(firstDifference(instantsEvery(5 * HOUR + 7 * 60_000, '2024-01-01T00:00:00Z', '2031-12-31T23:00:00Z'))).toBeUndefined();
  });

  test('gives what date-fns gave each second around the summer-time changes, and at odd milliseconds', () => {
    const around = (utc: string) => instantsEvery(1000, new Date(Date.parse(utc) - 2 * 60_000).toISOString(), new Date(Date.parse(utc) + 2 * 60_000).toISOString());
    // 2026-03-29 01:00 UTC clocks go to summer time, 2026-10-25 01:00 UTC back; midnight in Oslo at 22:00/23:00 UTC.
    const instants = [...around('2026-03-29T01:00:00Z'), ...around('2026-10-25T01:00:00Z'), ...around('2026-06-30T22:00:00Z'), ...around('2026-12-31T23:00:00Z')];
    // Spread over a year, a prime number of milliseconds apart: every second and millisecond of a minute turns up.
    const odd = Array.from({ length: 2000 }, (_, i) => new Date(Date.parse('2026-01-01T00:00:00Z') + i * 15_768_017));
    expect(firstDifference([...instants, ...odd])).toBeUndefined();
  });

  test('the values themselves', () => {
    const winter = new Date('2026-11-28T15:05:00Z');
    const summerMidnight = new Date('2027-06-30T22:00:00.999Z');
    expect([osloDate(winter), osloIso(winter), osloCompact(winter), osloNorwegianDate(winter)]).toEqual(['2026-11-28', '2026-11-28T16:05:00+01:00', '20261128T160500', '28.11.2026']);
    expect([osloDate(summerMidnight), osloIso(summerMidnight), osloCompact(summerMidnight)]).toEqual(['2027-07-01', '2027-07-01T00:00:00+02:00', '20270701T000000']);
  });

  test('refuses an invalid date as date-fns did', () => {
    expect(() => osloDate(new Date(Number.NaN))).toThrow(RangeError);
  });
});
