import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { powerOfficeSeedSchema, type PowerOfficeSeed } from '../../emulators/poweroffice/fixture-schema';
import type { StoredClientSettings } from '../../domain/client-settings';
import { clientSettingsQuery, clientSettingsWorkflowId } from '../../workflows/client-settings-workflow';
import { runProjectCommand, type CommandRun } from '../helpers/run-command';
import { APPLICATION_KEY, SUBSCRIPTION_KEY, type ServiceUnderTest } from '../helpers/service';

/** The accounts of the brief's example: return data on. */
export const ACCOUNT_ARGS = ['--receivables', '1510', '--administrative-fees', '6970', '--financial-fees', '6975', '--bank-payouts', '1920', '--factoring-balance', '2990'];
export const FULL_MAPPING = { receivables: 1510, administrativeFees: 6970, financialFees: 6975, bankPayouts: 1920, factoringBalance: 2990 };

/** Client ids without '-' (workflow IDs), unique per test run. */
export function newClientId(prefix: string): string {
  return `${prefix}${Math.random().toString(36).slice(2, 10)}`;
}

/** PowerOffice GO companies for these clients (key `key-<clientId>`), none with invoices. */
export function seedFor(clientIds: string[]): PowerOfficeSeed {
  return powerOfficeSeedSchema.parse({
    applicationKey: APPLICATION_KEY,
    subscriptionKey: SUBSCRIPTION_KEY,
    companies: clientIds.map((clientId) => ({ clientId, clientKey: `key-${clientId}`, name: `Onboarding ${clientId} AS`, organizationNumber: '923609016' })),
  });
}

/** `npm run -s onboard -- args…` as an operator runs it, against the test's Temporal server and emulators. */
export function runOnboard(env: TestWorkflowEnvironment, service: ServiceUnderTest, args: readonly string[], clientKey?: string): Promise<CommandRun> {
  return runProjectCommand('client/onboard.ts', args, {
    ...service.environment,
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_TASK_QUEUE: service.taskQueue,
    ...(clientKey ? { POWEROFFICE_CLIENT_KEY: clientKey } : {}),
  });
}

/** What the client's settings workflow holds, and how long its history is: both must not move when a command is refused. */
export interface SettingsSnapshot {
  settings: StoredClientSettings | undefined;
  historyLength: number;
}

export async function snapshot(env: TestWorkflowEnvironment, clientId: string): Promise<SettingsSnapshot> {
  const handle = env.client.workflow.getHandle(clientSettingsWorkflowId(clientId));
  try {
    await handle.describe();
  } catch (err) {
    if (err instanceof Error && err.name === 'WorkflowNotFoundError') return { settings: undefined, historyLength: 0 };
    throw err;
  }
  const history = await handle.fetchHistory();
  return { settings: await handle.query(clientSettingsQuery), historyLength: history.events?.length ?? 0 };
}

/** Every call the PowerOffice emulator recorded for the client (admin API, itself not counted). */
export async function powerOfficeCalls(service: ServiceUnderTest, clientId: string): Promise<number> {
  const response = await fetch(new URL(`/_emulator/calls/log?clientId=${encodeURIComponent(clientId)}`, service.emulators.powerOfficeUrl));
  const body = (await response.json()) as { calls: unknown[] };
  return body.calls.length;
}
