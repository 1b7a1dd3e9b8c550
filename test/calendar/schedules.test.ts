import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { holidaySkips, serviceSchedules, upsertSchedules, workingDaySpec } from '../../client/schedules';
import { startLocalTemporal } from '../helpers/temporal';

/** Schedules need the real dev server: the time-skipping server has none (temporal.md §1.6). */
describe('the batch schedule on Norwegian working days', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startLocalTemporal();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  async function nextRunsFrom(startAt: string, scheduleId: string): Promise<string[]> {
    const schedule = serviceSchedules('schedule-test', 2027)[0]!;
    await env.client.schedule.create({
      scheduleId,
      spec: workingDaySpec([{ hour: 8, minute: 0 }, { hour: 10, minute: 30 }], 2027, new Date(startAt)),
      action: schedule.action,
      state: { paused: true },
    });
    const description = await env.client.schedule.getHandle(scheduleId).describe();
    return description.info.nextActionTimes.map((t) => t.toISOString());
  }

  test('around Easter 2027 it runs at 08:00 and 10:30 Oslo time and skips Maundy Thursday to Easter Monday', async () => {
    const runs = await nextRunsFrom('2027-03-24T00:00:00+01:00', 'easter-2027');
    expect(runs.slice(0, 4)).toEqual([
      '2027-03-24T07:00:00.000Z', // Wednesday 08:00 CET
      '2027-03-24T09:30:00.000Z', // Wednesday 10:30
      '2027-03-30T06:00:00.000Z', // Tuesday after Easter, 08:00 CEST (DST began 28 March)
      '2027-03-30T08:30:00.000Z',
    ]);
  });

  test('in May 2027 it skips Ascension Day (6 May) and 17 May, which is also Whit Monday', async () => {
    const runs = await nextRunsFrom('2027-05-05T00:00:00+02:00', 'may-2027');
    const days = [...new Set(runs.map((r) => r.slice(0, 10)))];
    expect(days.slice(0, 5)).toEqual(['2027-05-05', '2027-05-07', '2027-05-10', '2027-05-11', '2027-05-12']);
    const laterRuns = await nextRunsFrom('2027-05-14T00:00:00+02:00', 'pentecost-2027');
    expect([...new Set(laterRuns.map((r) => r.slice(0, 10)))].slice(0, 2)).toEqual(['2027-05-14', '2027-05-18']);
  });

  test('each skip entry covers the whole day, not only midnight', () => {
    const skips = holidaySkips(2026, 2026);
    expect(skips).toContainEqual(expect.objectContaining({ year: 2026, month: 'MAY', dayOfMonth: 14, hour: '*', minute: '*' }));
    // Weekend holidays need no entry: the calendars only name Monday to Friday.
    expect(skips.some((s) => s.month === 'APRIL' && s.dayOfMonth === 5)).toBe(false);
  });

  test('running the schedule command twice updates the schedule instead of failing or duplicating it', async () => {
    const schedules = serviceSchedules('schedule-test', 2026);
    const ids = ['invoice-batch', 'write-back', 'return-data'];
    expect(await upsertSchedules(env.client, schedules)).toEqual(ids.map((scheduleId) => ({ scheduleId, result: 'created' })));
    expect(await upsertSchedules(env.client, schedules)).toEqual(ids.map((scheduleId) => ({ scheduleId, result: 'updated' })));
    const description = await env.client.schedule.getHandle('invoice-batch').describe();
    expect(description.spec.timezone).toBe('Europe/Oslo');
    expect(description.spec.skip?.length).toBe(holidaySkips(2026, 2030).length);
  });

  test('the write-back runs at 15:30 Oslo time on the same working days: not on Maundy Thursday 2027', async () => {
    const writeBack = serviceSchedules('schedule-test', 2027).find((s) => s.scheduleId === 'write-back')!;
    await env.client.schedule.create({
      scheduleId: 'write-back-easter-2027',
      spec: { ...writeBack.spec, startAt: new Date('2027-03-24T00:00:00+01:00') },
      action: writeBack.action,
      state: { paused: true },
    });
    const description = await env.client.schedule.getHandle('write-back-easter-2027').describe();
    expect(description.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString())).toEqual([
      '2027-03-24T14:30:00.000Z', // Wednesday 15:30 CET
      '2027-03-30T13:30:00.000Z', // Tuesday after Easter, 15:30 CEST
      '2027-03-31T13:30:00.000Z',
    ]);
    expect(writeBack.action).toMatchObject({ type: 'startWorkflow', workflowType: 'writeBackWorkflow' });
  });
});
