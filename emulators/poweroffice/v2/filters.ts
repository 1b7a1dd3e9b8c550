/**
 * The v2 filter syntaxes (spec parameter descriptions): comma-separated number lists with ranges
 * ("10000-11000, 12000, 13000-", inclusive), and `…DateTimeOffsetGreaterThan` timestamps
 * (exclusive). A malformed value is a 400 "Unable to cast object(s)", as in the spec's example.
 */
export class FilterError extends Error {}

export type NumberTest = (n: number) => boolean;

/** Whitespace or nothing means "filter not used" (undefined). */
export function parseNumberRanges(name: string, raw: string | undefined): NumberTest | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const tests = raw
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token !== '')
    .map((token): NumberTest => {
      const single = /^\d+$/.exec(token);
      if (single) return (n) => n === Number(token);
      const range = /^(\d+)\s*-\s*(\d*)$/.exec(token);
      if (!range) throw new FilterError(`${name} contains an invalid number or range: '${token}'. Use comma-separated numbers and ranges such as "10000-11000, 12000, 13000-".`);
      const from = Number(range[1]);
      const to = range[2] ? Number(range[2]) : Number.POSITIVE_INFINITY;
      return (n) => n >= from && n <= to;
    });
  return (n) => tests.some((test) => test(n));
}

/** Contact group ids: single positive numbers only (spec example message). */
export function parsePositiveIds(name: string, raw: string | undefined): number[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const tokens = raw.split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (tokens.some((t) => !/^\d+$/.test(t))) {
    throw new FilterError(`${name} contains negative numbers and/or range of numbers. '-' is not allowed, only comma ',' separated single positive numbers are allowed.`);
  }
  return tokens.map(Number);
}

/** A point in time with .NET's 100 ns ticks, so "greater than" is exact for 7-digit fractions. */
export interface Instant {
  ms: number;
  ticks: number;
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,7}))?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** ISO 8601 or .NET's "2021-09-25 08:03:00.1234567 -00:00"; no offset means UTC. */
export function parseInstant(raw: string): Instant | undefined {
  const match = DATE_TIME.exec(raw.trim());
  if (!match) return undefined;
  const [, date, time = '', fraction = '', offset = 'Z'] = match;
  const zone = offset.toUpperCase() === 'Z' ? 'Z' : `${offset.slice(0, 3)}:${offset.slice(-2)}`;
  const ms = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}${zone}`);
  if (Number.isNaN(ms)) return undefined;
  const digits = fraction.padEnd(7, '0');
  return { ms: ms + Number(digits.slice(0, 3)), ticks: Number(digits.slice(3)) };
}

export function parseInstantFilter(name: string, raw: string | undefined): Instant | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const instant = parseInstant(raw);
  if (!instant) throw new FilterError(`${name} must be a timestamp such as 2021-09-25T08:03:00.1234567+00:00, got '${raw}'.`);
  return instant;
}

export function isAfter(value: string | null | undefined, threshold: Instant): boolean {
  const instant = value ? parseInstant(value) : undefined;
  if (!instant) return false;
  return instant.ms > threshold.ms || (instant.ms === threshold.ms && instant.ticks > threshold.ticks);
}
