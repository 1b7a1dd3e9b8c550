import { msToNumber } from '@temporalio/common/lib/time';
import { ConfigError, loadConfig } from '../../config/config';
import { LATE_OPENING_WINDOW, OPENING_WAIT } from '../../workflows/invoice-workflow';
import { productionEnvironment } from '../helpers/production-environment';

/**
 * OPENING_WAIT_SECONDS and LATE_OPENING_WINDOW_SECONDS: MISSION.md §3's 4 days (and the 14-day
 * late-opening window) by default; shorter only for test runs on a server that does not skip time
 * (npm run chaos). Production takes nothing but the defaults.
 */
function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env, 'worker');
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe('the opening wait and the late-opening window', () => {
  test('default to 4 and 14 days, the same as the workflow falls back to for histories without them', () => {
    const { openingWait } = loadConfig({}, 'worker');

    expect(openingWait).toEqual({ openingWaitSeconds: 345_600, lateOpeningWindowSeconds: 1_209_600 });
    expect(openingWait.openingWaitSeconds * 1000).toBe(msToNumber(OPENING_WAIT));
    expect(openingWait.lateOpeningWindowSeconds * 1000).toBe(msToNumber(LATE_OPENING_WINDOW));
  });

  test('in development a test run may shorten them to seconds', () => {
    expect(loadConfig({ OPENING_WAIT_SECONDS: '75', LATE_OPENING_WINDOW_SECONDS: '60' }, 'worker').openingWait).toEqual({
      openingWaitSeconds: 75,
      lateOpeningWindowSeconds: 60,
    });
  });

  test('a value that is not a whole number of seconds is refused, naming the variable and the value', () => {
    expect(problemsOf({ OPENING_WAIT_SECONDS: '4d', LATE_OPENING_WINDOW_SECONDS: '0' })).toEqual([
      'OPENING_WAIT_SECONDS: expected a number of seconds from 1 to 7776000 (got "4d")',
      'LATE_OPENING_WINDOW_SECONDS: expected a number of seconds from 1 to 7776000 (got "0")',
    ]);
  });

  test('production refuses any other wait, one sentence each saying why', () => {
    expect(problemsOf(productionEnvironment({ OPENING_WAIT_SECONDS: '90', LATE_OPENING_WINDOW_SECONDS: '60' }))).toEqual([
      'OPENING_WAIT_SECONDS: DEPLOYMENT_ENV=production takes only 345600 (or leave it unset): MISSION.md §3 sends the letter when an e-mail with link is not opened within 4 days; other values are for test runs such as npm run chaos (got "90")',
      'LATE_OPENING_WINDOW_SECONDS: DEPLOYMENT_ENV=production takes only 1209600 (or leave it unset): a late opening is recorded for 14 days after the letter; other values are for test runs such as npm run chaos (got "60")',
    ]);
  });

  test('production takes the defaults, unset or set explicitly', () => {
    expect(problemsOf(productionEnvironment())).toEqual([]);
    expect(problemsOf(productionEnvironment({ OPENING_WAIT_SECONDS: '345600', LATE_OPENING_WINDOW_SECONDS: '1209600' }))).toEqual([]);
    expect(loadConfig(productionEnvironment(), 'worker').openingWait).toEqual({ openingWaitSeconds: 345_600, lateOpeningWindowSeconds: 1_209_600 });
  });

  test('a malformed value in production gets the schema sentence only, not a second one', () => {
    expect(problemsOf(productionEnvironment({ OPENING_WAIT_SECONDS: 'four days' }))).toEqual([
      'OPENING_WAIT_SECONDS: expected a number of seconds from 1 to 7776000 (got "four days")',
    ]);
  });
});
