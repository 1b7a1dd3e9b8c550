import type { Client, WorkflowHandle } from '@temporalio/client';
import { osloCompact, osloIso } from '../domain/oslo-time';
import { manualReturnDataWorkflowId } from '../workflows/return-data-messages';
import { returnDataWorkflow, type ReturnDataWorkflowInput } from '../workflows/return-data-workflow';
import { WEB_UI_TEXTS } from './schedules';

/** Starts one return-data run by hand (admin rerun); the `return-data` schedule starts the daily ones. */
export function startManualReturnData(
  client: Client,
  taskQueue: string,
  input: ReturnDataWorkflowInput = {},
  now: Date = new Date(),
): Promise<WorkflowHandle<typeof returnDataWorkflow>> {
  return client.workflow.start(returnDataWorkflow, {
    workflowId: manualReturnDataWorkflowId(osloCompact(now)),
    taskQueue,
    args: [input],
    staticSummary: `Manual return-data run started ${osloIso(now)}`,
    staticDetails: WEB_UI_TEXTS.returnData.staticDetails,
  });
}
