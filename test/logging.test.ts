import { Writable } from 'node:stream';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { installTemporalRuntime } from '../logging/temporal-runtime';
import { requireBinary } from '../scripts/lib/temporal-binaries';
import { loadConfig } from '../config/config';
import { activityDependencies } from '../worker/activity-dependencies';
import { createInvoiceWorker } from '../worker/create-worker';
import { testDataConverter, workflowBundle } from './helpers/temporal';

/**
 * SDK and core logs come out through our pino logger, so operators read one JSON format.
 * This file installs its own Runtime (not the quiet test one), before any connection exists.
 */
test('the Temporal worker logs as pino JSON lines tagged component "temporal"', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  installTemporalRuntime(pino({ level: 'info' }, sink));
  const env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: requireBinary('cli') } }, client: { dataConverter: testDataConverter() } });
  try {
    const worker = await createInvoiceWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue: 'logging-test',
      payloadCodec: loadConfig({}).temporal.payloadCodec,
      workflowBundle: await workflowBundle(),
      // Production wiring; no activity runs in this test.
      deps: activityDependencies(loadConfig({})),
    });
    await worker.runUntil(new Promise((resolve) => setTimeout(resolve, 500)));
  } finally {
    await env.teardown();
  }

  const records = lines.map((line) => JSON.parse(line) as { component?: string; msg?: string; level?: number; taskQueue?: string });
  const stateChanges = records.filter((r) => r.component === 'temporal' && r.msg === 'Worker state changed');
  expect(stateChanges.length).toBeGreaterThanOrEqual(2);
  expect(stateChanges[0]).toMatchObject({ level: 30, taskQueue: 'logging-test' });
});
