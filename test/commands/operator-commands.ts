import { createServer } from 'node:net';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ServiceUnderTest } from '../helpers/service';

/** The operator commands of issue 9, by the npm script an operator types. */
export const COMMAND_FILES = {
  batch: 'client/run-batch.ts',
  'write-back': 'client/run-write-back.ts',
  'return-data': 'client/run-return-data.ts',
  schedules: 'client/upsert-schedules.ts',
  report: 'client/report.ts',
  today: 'client/today.ts',
  invoice: 'client/invoice.ts',
  'dry-run': 'client/dry-run.ts',
  'unmatched-payments': 'client/list-unmatched-payments.ts',
  webhook: 'client/webhook/main.ts',
  'codec-server': 'client/codec-server/main.ts',
  emulators: 'emulators/main.ts',
} as const;
export type CommandName = keyof typeof COMMAND_FILES;

/** A loopback port nothing listens on (taken from the OS, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The environment a command needs to reach the test's Temporal server, worker and emulators. */
export function commandEnvironment(env: TestWorkflowEnvironment, service: ServiceUnderTest): Record<string, string> {
  return { ...service.environment, TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: env.namespace ?? 'default', TEMPORAL_TASK_QUEUE: service.taskQueue };
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

/** What a command could have stored, sent or changed: workflows in Temporal, and what each emulator recorded. */
export async function observableState(env: TestWorkflowEnvironment, service: ServiceUnderTest): Promise<Record<string, unknown>> {
  const { emulators } = service;
  const deliveries = (await getJson(`${emulators.distributionUrl}_emulator/deliveries`)) as { deliveries: unknown[] };
  const ledgerInvoices = (await getJson(`${emulators.ledgerUrl}_emulator/invoices`)) as { invoices: unknown[] };
  const payments = (await getJson(`${emulators.ledgerUrl}_emulator/payments`)) as { payments: unknown[] };
  return {
    workflows: (await env.client.workflow.count()).count,
    runningWorkflows: (await env.client.workflow.count("ExecutionStatus = 'Running'")).count,
    powerOfficeCalls: await getJson(`${emulators.powerOfficeUrl}_emulator/calls`),
    partnerDeliveries: deliveries.deliveries.length,
    ledgerInvoices: ledgerInvoices.invoices.length,
    ledgerPayments: payments.payments.length,
  };
}

/** Visibility lags a moment behind a start: give it that moment before comparing. */
export async function observableStateSettled(env: TestWorkflowEnvironment, service: ServiceUnderTest): Promise<Record<string, unknown>> {
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  return observableState(env, service);
}
