import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptionsAction, type ScheduleSpec } from '@temporalio/client';
import { weekdayHolidays } from '../domain/norwegian-calendar';
import { batchWorkflow } from '../workflows/batch-workflow';

/**
 * The Temporal Schedules that drive the service, in Europe/Oslo wall-clock time, on Norwegian
 * working days. Public holidays are skip entries computed from the calendar (never typed in), for
 * this year and the next few; `npm run schedules` re-creates them, so run it at least yearly.
 */
const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'] as const;
const WEEKDAYS = [{ start: 'MONDAY', end: 'FRIDAY' }] as const;
export const SCHEDULE_YEARS_AHEAD = 4;

export function holidaySkips(fromYear: number, toYear: number): NonNullable<ScheduleSpec['skip']> {
  return weekdayHolidays(fromYear, toYear).map((h) => {
    const [year, month, day] = h.date.split('-').map(Number) as [number, number, number];
    // hour and minute default to 0 in a skip entry: without '*' only midnight would be skipped.
    return { year, month: MONTHS[month - 1]!, dayOfMonth: day, hour: '*', minute: '*', comment: `${h.name} ${h.date}` };
  });
}

export function workingDaySpec(times: { hour: number; minute: number }[], fromYear: number, startAt?: Date): ScheduleSpec {
  return {
    calendars: times.map(({ hour, minute }) => ({
      hour,
      minute,
      dayOfWeek: [...WEEKDAYS],
      comment: `working days ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`,
    })),
    skip: holidaySkips(fromYear, fromYear + SCHEDULE_YEARS_AHEAD),
    timezone: 'Europe/Oslo',
    ...(startAt ? { startAt } : {}),
  };
}

export interface ServiceSchedule {
  scheduleId: string;
  description: string;
  spec: ScheduleSpec;
  action: ScheduleOptionsAction;
}

/** Workflow types started by schedules, by name: the schedule command need not load the workflow code. */
export const WRITE_BACK_WORKFLOW = 'writeBackWorkflow';
export const RETURN_DATA_WORKFLOW = 'returnDataWorkflow';

/**
 * What the Web UI shows beside each run the schedules start (static summary and details); the runs
 * started by hand say so in theirs (client/start-*.ts). Fixed texts, no personal data.
 */
export const WEB_UI_TEXTS = {
  batch: {
    staticSummary: 'Scheduled batch: new invoices and credit notes of every active client',
    staticDetails: [
      'Fetches each active client\'s available invoices and credit notes from PowerOffice GO, page by page,',
      'and starts one workflow per document: `invoice-<client>-<number>` (`credit-note-…`).',
      'Counts per client in the current details and the `batchProgress` query.',
    ].join('\n'),
  },
  writeBack: {
    staticSummary: 'Scheduled write-back 15:30: KID, PDF and status to PowerOffice GO',
    staticDetails: [
      'Asks every invoice with WriteBack Pending or Failed to report its sends to PowerOffice GO.',
      'Counts in the current details and the `writeBackProgress` query; refusals stay WriteBack = Failed on the invoice.',
    ].join('\n'),
  },
  returnData: {
    staticSummary: 'Scheduled return data 06:30: ledger events as vouchers in PowerOffice GO',
    staticDetails: 'Signals each client with return data (`return-data-client-<client>`); the per-client report is in the `returnDataRun` query.',
  },
} as const;

/** Every schedule of the service. */
export function serviceSchedules(taskQueue: string, fromYear: number): ServiceSchedule[] {
  return [
    {
      scheduleId: 'invoice-batch',
      description: 'Fetch and distribute new invoices, 08:00 and 10:30 on Norwegian working days',
      spec: workingDaySpec([{ hour: 8, minute: 0 }, { hour: 10, minute: 30 }], fromYear),
      // The server appends the scheduled time: batch-scheduled-2026-11-30T07:00:00Z.
      action: { type: 'startWorkflow', workflowType: batchWorkflow, workflowId: 'batch-scheduled', taskQueue, args: [{}], ...WEB_UI_TEXTS.batch },
    },
    {
      scheduleId: 'write-back',
      description: 'Write KID and PDF of the invoices distributed today back to PowerOffice GO, 15:30 on Norwegian working days',
      spec: workingDaySpec([{ hour: 15, minute: 30 }], fromYear),
      action: { type: 'startWorkflow', workflowType: WRITE_BACK_WORKFLOW, workflowId: 'write-back-scheduled', taskQueue, args: [{}], ...WEB_UI_TEXTS.writeBack },
    },
    {
      scheduleId: 'return-data',
      description: "Post the ledger's payments, fees, payouts and balance changes into the PowerOffice GO of clients who ordered return data, 06:30 on Norwegian working days",
      spec: workingDaySpec([{ hour: 6, minute: 30 }], fromYear),
      action: { type: 'startWorkflow', workflowType: RETURN_DATA_WORKFLOW, workflowId: 'return-data-scheduled', taskQueue, args: [{}], ...WEB_UI_TEXTS.returnData },
    },
  ];
}

/** Creates each schedule, or replaces the spec and action of one that exists; returns what it did. */
export async function upsertSchedules(temporal: Client, schedules: ServiceSchedule[]): Promise<{ scheduleId: string; result: 'created' | 'updated' }[]> {
  const results: { scheduleId: string; result: 'created' | 'updated' }[] = [];
  for (const schedule of schedules) {
    const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '2 hours' } as const;
    try {
      await temporal.schedule.create({ scheduleId: schedule.scheduleId, spec: schedule.spec, action: schedule.action, policies, state: { note: schedule.description } });
      results.push({ scheduleId: schedule.scheduleId, result: 'created' });
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await temporal.schedule.getHandle(schedule.scheduleId).update((previous) => ({
        ...previous,
        spec: schedule.spec,
        action: schedule.action,
        policies,
      }));
      results.push({ scheduleId: schedule.scheduleId, result: 'updated' });
    }
  }
  return results;
}
