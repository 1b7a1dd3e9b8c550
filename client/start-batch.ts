import type { Client, WorkflowHandle } from '@temporalio/client';
import { osloCompact, osloIso } from '../domain/oslo-time';
import { batchWorkflowId } from '../domain/workflow-ids';
import { batchWorkflow, type BatchWorkflowInput } from '../workflows/batch-workflow';
import { WEB_UI_TEXTS } from './schedules';

/** Starts one batch by hand (admin rerun, the demo); the schedules start the daily ones. */
export function startManualBatch(
  client: Client,
  taskQueue: string,
  input: BatchWorkflowInput = {},
  now: Date = new Date(),
): Promise<WorkflowHandle<typeof batchWorkflow>> {
  return client.workflow.start(batchWorkflow, {
    workflowId: batchWorkflowId('manual', osloCompact(now)),
    taskQueue,
    args: [input],
    staticSummary: `Manual batch started ${osloIso(now)}${input.force ? ' (forced)' : ''}`,
    staticDetails: WEB_UI_TEXTS.batch.staticDetails,
  });
}
