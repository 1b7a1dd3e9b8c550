import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { prepareOcrImport } from '../../client/ocr-import';
import { ocrFile, ocrRecords } from '../../scripts/lib/ocr-file-builder';
import { ocrImportWorkflow } from '../../workflows/ocr-import-workflow';
import { startLocalTemporal, testDataConverter, workflowBundle } from '../helpers/temporal';

/**
 * The import workflow checks the import as a whole itself (without zod: domain/ocr-giro/import-envelope.ts)
 * and fails at once, for good, when it cannot be taken: retrying the same input could only fail again.
 * It fails before its first activity, so this worker has none.
 */
describe('the OCR import workflow started with an import it cannot take', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `ocr-envelope-${randomUUID()}`;

  beforeAll(async () => {
    env = await startLocalTemporal();
    worker = await Worker.create({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue, workflowBundle: await workflowBundle(), dataConverter: testDataConverter() });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  async function failureOf(input: unknown): Promise<ApplicationFailure> {
    const outcome = await env.client.workflow.execute(ocrImportWorkflow, { workflowId: `ocr-import-test-${randomUUID()}`, taskQueue, args: [input as never] }).then(
      () => undefined,
      (err: unknown) => err,
    );
    if (!(outcome instanceof WorkflowFailedError) || !(outcome.cause instanceof ApplicationFailure)) throw new Error(`expected the workflow to fail, got ${String(outcome)}`);
    return outcome.cause;
  }

  test('a wrong transmission number and a hash that is none fail it, non-retryable, naming both', async () => {
    const prepared = prepareOcrImport(ocrFile(ocrRecords({ assignments: [{ transactions: [{ amountOre: 10_000 }] }] })));
    if (prepared.refused) throw new Error('the file was refused');

    const failure = await failureOf({ ...prepared.input, fileSha256: 'not a hash', transmissionNumber: '12345678' });

    expect({ type: failure.type, nonRetryable: failure.nonRetryable, message: failure.message }).toEqual({
      type: 'InvalidInput',
      nonRetryable: true,
      message: "invalid OCR import: the file's SHA-256: must be 64 lower-case hexadecimal digits; line 1, transmission number: must be 1–7 digits",
    });
  });

  test('an input that is no import at all fails it the same way', async () => {
    const failure = await failureOf({ payments: 'all of them' });

    expect(failure.type).toBe('InvalidInput');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('payments: must be a list of transactions');
  });
});
