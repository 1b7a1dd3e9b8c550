import { loadConfigOrExit } from '../config/config';
import { serviceSchedules, upsertSchedules } from './schedules';
import { connectClient } from './temporal-client';

/** `npm run schedules`: create or update every schedule, holidays computed from this year on. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const temporal = await connectClient(config.temporal);
  try {
    const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Europe/Oslo', year: 'numeric' }).format(new Date()));
    for (const { scheduleId, result } of await upsertSchedules(temporal, serviceSchedules(config.temporal.taskQueue, year))) {
      const description = await temporal.schedule.getHandle(scheduleId).describe();
      const next = description.info.nextActionTimes.slice(0, 4).map((t) => t.toISOString());
      console.log(`${scheduleId}: ${result}; next runs (UTC): ${next.join(', ')}`);
    }
  } finally {
    await temporal.connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
