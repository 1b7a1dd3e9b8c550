import { easterSunday, isNorwegianWorkingDay, nonWorkingReason, norwegianPublicHolidays } from '../../domain/norwegian-calendar';

/**
 * The official Norwegian public holidays 2025-2030 (as published in the almanac, e.g.
 * kalender.no / Lovdata's helligdagsliste), written out by hand, not computed.
 */
const PUBLISHED: Record<number, string[]> = {
  2025: ['2025-01-01', '2025-04-17', '2025-04-18', '2025-04-20', '2025-04-21', '2025-05-01', '2025-05-17', '2025-05-29', '2025-06-08', '2025-06-09', '2025-12-25', '2025-12-26'],
  2026: ['2026-01-01', '2026-04-02', '2026-04-03', '2026-04-05', '2026-04-06', '2026-05-01', '2026-05-14', '2026-05-17', '2026-05-24', '2026-05-25', '2026-12-25', '2026-12-26'],
  2027: ['2027-01-01', '2027-03-25', '2027-03-26', '2027-03-28', '2027-03-29', '2027-05-01', '2027-05-06', '2027-05-16', '2027-05-17', '2027-05-17', '2027-12-25', '2027-12-26'],
  2028: ['2028-01-01', '2028-04-13', '2028-04-14', '2028-04-16', '2028-04-17', '2028-05-01', '2028-05-17', '2028-05-25', '2028-06-04', '2028-06-05', '2028-12-25', '2028-12-26'],
  2029: ['2029-01-01', '2029-03-29', '2029-03-30', '2029-04-01', '2029-04-02', '2029-05-01', '2029-05-10', '2029-05-17', '2029-05-20', '2029-05-21', '2029-12-25', '2029-12-26'],
  2030: ['2030-01-01', '2030-04-18', '2030-04-19', '2030-04-21', '2030-04-22', '2030-05-01', '2030-05-17', '2030-05-30', '2030-06-09', '2030-06-10', '2030-12-25', '2030-12-26'],
};

describe('the Norwegian working-day calendar', () => {
  test.each(Object.entries(PUBLISHED))('the public holidays of %s are the published ones', (year, dates) => {
    expect(norwegianPublicHolidays(Number(year)).map((h) => h.date)).toEqual([...dates].sort());
  });

  test('Easter Sunday for years with known dates', () => {
    expect(easterSunday(2026)).toEqual({ month: 4, day: 5 });
    expect(easterSunday(2027)).toEqual({ month: 3, day: 28 });
    expect(easterSunday(2038)).toEqual({ month: 4, day: 25 }); // latest possible
    expect(easterSunday(2285)).toEqual({ month: 3, day: 22 }); // earliest possible
  });

  test('every weekday holiday 2025-2030 is a non-working day, with its name', () => {
    for (const dates of Object.values(PUBLISHED)) {
      for (const date of dates) expect(isNorwegianWorkingDay(date)).toBe(false);
    }
    expect(nonWorkingReason('2026-05-14')).toBe('public holiday (Kristi himmelfartsdag)');
    expect(nonWorkingReason('2026-05-25')).toBe('public holiday (Andre pinsedag)');
  });

  test('weekends are not working days; an ordinary weekday and Christmas Eve are', () => {
    expect(nonWorkingReason('2026-11-28')).toBe('Saturday');
    expect(nonWorkingReason('2026-11-29')).toBe('Sunday');
    expect(isNorwegianWorkingDay('2026-11-30')).toBe(true);
    expect(isNorwegianWorkingDay('2026-12-24')).toBe(true);
  });

  test('a malformed or impossible date is an error, not a guess', () => {
    expect(() => isNorwegianWorkingDay('2026-02-30')).toThrow('no such date: 2026-02-30');
    expect(() => isNorwegianWorkingDay('30.11.2026')).toThrow('expected a date as YYYY-MM-DD');
  });
});
