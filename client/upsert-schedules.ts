import { osloNorwegianDateTime } from '../domain/oslo-time';
import { configOrRefuse, newCommand, runCommand, withTemporal } from './command-line';
import { table } from './human-output';
import { serviceSchedules, upsertSchedules } from './schedules';

/** How many of each schedule's next runs are shown: enough to see tomorrow's and a skipped holiday. */
const NEXT_RUNS_SHOWN = 4;

interface ScheduleOutcome {
  scheduleId: string;
  result: string;
  /** ISO 8601 instants (UTC) of its next runs. */
  nextRuns: string[];
}

/** `npm run schedules`: create or update every schedule, holidays computed from this year on. */
const program = newCommand(
  'schedules',
  'Create or update the schedules (batch 08:00 and 10:30, write-back 15:30, return data 06:30, Europe/Oslo, Norwegian working days), public holidays computed for this year and the next four; run it at least yearly.',
)
  .option('--json', 'print JSON, for scripts: each schedule, whether it was created or updated, and its next runs (ISO 8601)')
  .action(async (options: { json?: boolean }) => {
    const config = configOrRefuse();
    await withTemporal(config.temporal, async (temporal) => {
      const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Europe/Oslo', year: 'numeric' }).format(new Date()));
      const outcomes: ScheduleOutcome[] = [];
      for (const { scheduleId, result } of await upsertSchedules(temporal, serviceSchedules(config.temporal.taskQueue, year))) {
        const description = await temporal.schedule.getHandle(scheduleId).describe();
        outcomes.push({ scheduleId, result, nextRuns: description.info.nextActionTimes.slice(0, NEXT_RUNS_SHOWN).map((t) => t.toISOString()) });
      }
      console.log(options.json ? JSON.stringify(outcomes, null, 2) : schedulesText(outcomes).join('\n'));
    });
  });

function schedulesText(outcomes: ScheduleOutcome[]): string[] {
  return [
    `${outcomes.length} schedules, next runs in Oslo time:`,
    ...table(
      [{ title: 'schedule' }, { title: 'now' }, ...Array.from({ length: NEXT_RUNS_SHOWN }, (_, i) => ({ title: i === 0 ? 'next runs' : '' }))],
      outcomes.map(({ scheduleId, result, nextRuns }) => [scheduleId, result, ...nextRuns.map((run) => osloNorwegianDateTime(new Date(run)))]),
    ),
  ];
}

void runCommand(program);
