import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { installQuietRuntime, testDataConverter, workflowBundle } from '../helpers/temporal';

/**
 * Workflows that ran on an earlier version replay on this one: the histories in
 * test/fixtures/workflow-histories were recorded by record-workflow-histories.ts with the workflows
 * as they were before they stopped importing zod and date-fns (settings changes, batches forced and
 * refused on a weekend, invoices, return data, an OCR import with a payment it could not take), and
 * later with each new path (invoices of steps revisions 2 to 5, PowerOffice's calls on its queues, batch runs bounded by events,
 * invoices started by number with their Web UI summaries, an invoice resent by letter in a run of its own after its write-back:
 * recorded by test/invoice-operator-actions.test.ts's scenario).
 * A workflow that now commands something else at any step fails its replay here.
 */
const directory = join(__dirname, '..', 'fixtures', 'workflow-histories');
const histories = readdirSync(directory)
  .filter((file) => file.endsWith('.json'))
  .sort();

interface RecordedHistory {
  /** Not in the history itself, and workflows read it (the return-data run is its clients' replyTo). */
  workflowId: string;
  history: temporal.api.history.v1.History;
}

function recorded(file: string): RecordedHistory {
  const { workflowId, history } = JSON.parse(readFileSync(join(directory, file), 'utf8')) as { workflowId: string; history: Record<string, unknown> };
  return { workflowId, history: temporal.api.history.v1.History.fromObject(history) };
}

/**
 * With the worker's data converter, as a worker replays an evicted workflow. These histories were
 * recorded before the payload codec existed: their payloads are plain json/plain, which the codec
 * passes through (no encryption-key-id), exactly as for workflows started before it was deployed.
 */
const replay = async ({ workflowId, history }: RecordedHistory) =>
  Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter: testDataConverter() }, history, workflowId);

describe('recorded workflow histories', () => {
  beforeAll(installQuietRuntime);

  test('are there to replay', () => {
    expect(histories.length).toBeGreaterThanOrEqual(10);
  });

  test.each(histories)('%s replays on the current workflows', async (file) => {
    await expect(replay(recorded(file))).resolves.toBeUndefined();
  }, 60_000);

  test('a replay fails when the workflow commands something else (else the replays above would prove nothing)', async () => {
    const ocrImport = recorded('ocr-import-with-an-unusable-payment.json');
    const scheduled = ocrImport.history.events.find((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'matchOcrPayments');
    scheduled!.activityTaskScheduledEventAttributes!.activityType!.name = 'matchPaymentsSomeOtherWay';
    await expect(replay(ocrImport)).rejects.toBeInstanceOf(DeterminismViolationError);
  }, 60_000);
});
