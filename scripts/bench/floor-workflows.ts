import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineSignal,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { FloorActivities } from './floor-activities';
import { floorChildId } from './floor-ids';

/**
 * The bare floor `npm run bench` compares our batch with (issue 11): the batch's shape and nothing
 * else. Pages of 100 (one no-op activity per page, as we fetch one page per PowerOffice call),
 * children started with ABANDON, continue-as-new every 1,000 starts, and per child three no-op
 * activities and one signal to the batch (after the first, as our invoice reports its assessment).
 * The batch ends once every child has reported. No validation, no documents, no search attributes.
 */
const { fetchPage, assess, book, send } = proxyActivities<FloorActivities>({ startToCloseTimeout: '1 minute' });

export const floorAssessedSignal = defineSignal('floorAssessed');

export interface FloorBatchInput {
  invoices: number;
  pageSize: number;
  maxStartsPerRun: number;
  /** Carried across continue-as-new. */
  started?: number;
  reported?: number;
}

export async function floorBatchWorkflow(input: FloorBatchInput): Promise<number> {
  let reported = input.reported ?? 0;
  setHandler(floorAssessedSignal, () => {
    reported += 1;
  });
  const { workflowId } = workflowInfo();
  let started = input.started ?? 0;
  let startsThisRun = 0;
  while (started < input.invoices) {
    await fetchPage();
    const page = Array.from({ length: Math.min(input.pageSize, input.invoices - started) }, (_, i) => started + i);
    await Promise.all(page.map((index) => startChild(floorInvoiceWorkflow, { workflowId: floorChildId(workflowId, index), parentClosePolicy: ParentClosePolicy.ABANDON })));
    started += page.length;
    startsThisRun += page.length;
    if (started < input.invoices && startsThisRun + input.pageSize > input.maxStartsPerRun) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof floorBatchWorkflow>({ ...input, started, reported });
    }
  }
  await condition(() => reported >= input.invoices);
  return reported;
}

export async function floorInvoiceWorkflow(): Promise<void> {
  await assess();
  const parent = workflowInfo().parent;
  if (parent) await getExternalWorkflowHandle(parent.workflowId).signal(floorAssessedSignal);
  await book();
  await send();
}
