import type { Client, WorkflowHandle } from '@temporalio/client';
import { osloCompact, osloIso } from '../domain/oslo-time';
import { writeBackWorkflowId } from '../domain/workflow-ids';
import { writeBackWorkflow, type WriteBackWorkflowInput } from '../workflows/write-back-workflow';
import { WEB_UI_TEXTS } from './schedules';

/** Starts one write-back by hand (admin rerun); the schedule starts the daily 15:30 one. */
export function startManualWriteBack(
  client: Client,
  taskQueue: string,
  input: WriteBackWorkflowInput = {},
  now: Date = new Date(),
): Promise<WorkflowHandle<typeof writeBackWorkflow>> {
  return client.workflow.start(writeBackWorkflow, {
    workflowId: writeBackWorkflowId('manual', osloCompact(now)),
    taskQueue,
    args: [input],
    staticSummary: `Manual write-back started ${osloIso(now)}${input.clientIds ? ` for client ${input.clientIds.join(', ')}` : ''}`,
    staticDetails: WEB_UI_TEXTS.writeBack.staticDetails,
  });
}
