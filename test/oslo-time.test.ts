import { osloDate, osloNorwegianDate } from '../domain/oslo-time';

describe('dates in Oslo time', () => {
  test('half past midnight in Oslo is already the next day, though UTC is still on the last', () => {
    const instant = new Date('2026-11-30T23:30:00Z');
    expect(osloDate(instant)).toBe('2026-12-01');
    expect(osloNorwegianDate(instant)).toBe('01.12.2026');
  });

  test('in summer time the day changes at 22:00 UTC', () => {
    expect(osloNorwegianDate(new Date('2027-06-30T21:59:59Z'))).toBe('30.06.2027');
    expect(osloNorwegianDate(new Date('2027-06-30T22:00:00Z'))).toBe('01.07.2027');
  });
});
