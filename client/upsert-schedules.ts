import { configOrRefuse, newCommand, runCommand, withTemporal } from './command-line';
import { serviceSchedules, upsertSchedules } from './schedules';

/** `npm run schedules`: create or update every schedule, holidays computed from this year on. */
const program = newCommand(
  'schedules',
  'Create or update the schedules (batch 08:00 and 10:30, write-back 15:30, return data 06:30, Europe/Oslo, Norwegian working days), public holidays computed for this year and the next four; run it at least yearly.',
).action(async () => {
  const config = configOrRefuse();
  await withTemporal(config.temporal, async (temporal) => {
    const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Europe/Oslo', year: 'numeric' }).format(new Date()));
    for (const { scheduleId, result } of await upsertSchedules(temporal, serviceSchedules(config.temporal.taskQueue, year))) {
      const description = await temporal.schedule.getHandle(scheduleId).describe();
      const next = description.info.nextActionTimes.slice(0, 4).map((t) => t.toISOString());
      console.log(`${scheduleId}: ${result}; next runs (UTC): ${next.join(', ')}`);
    }
  });
});

void runCommand(program);
