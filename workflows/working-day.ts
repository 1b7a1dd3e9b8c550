import { ApplicationFailure } from '@temporalio/workflow';
import { nonWorkingReason } from '../domain/norwegian-calendar';
import { osloDate } from '../domain/oslo-time';

/**
 * The schedules skip weekends and holidays; this guards the runs an admin starts by hand, so a
 * batch or write-back cannot run on 17 May by mistake. `consequence` says what did not happen.
 */
export function refuseOnNonWorkingDay(consequence: string, workflowName: string): void {
  // Date.now() in a workflow is the task's time, the same on every replay.
  const today = osloDate(new Date(Date.now()));
  const reason = nonWorkingReason(today);
  if (reason) {
    throw ApplicationFailure.nonRetryable(
      `${today} is not a Norwegian working day (${reason}); ${consequence}. Start the ${workflowName} with force: true to run anyway.`,
      'NotAWorkingDay',
    );
  }
}
