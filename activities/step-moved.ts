import { ApplicationFailure } from '@temporalio/activity';
import { POWEROFFICE_STEP_MOVED } from '../workflows/poweroffice-queues';

/**
 * The body of an activity name kept on the main task queue for tasks an earlier version scheduled
 * there (in flight across an upgrade; replay itself never runs activities). Its PowerOffice calls
 * now run on the PowerOffice task queues only, and the main queue has no PowerOffice connection to
 * make them with: the task fails at once, non-retryably, and the workflow, seeing this type, does
 * the step again through the queues (workflows/poweroffice-queues.ts, isPowerOfficeStepMoved).
 */
export function powerOfficeStepMoved(step: string): never {
  throw ApplicationFailure.nonRetryable(
    `${step} was scheduled on the main task queue by an earlier version; PowerOffice is called only from the PowerOffice task queues now, where the workflow does this step again`,
    POWEROFFICE_STEP_MOVED,
  );
}
