import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import type { SecretCipher } from '../adapters/secrets/secret-cipher';
import { kidSchemeSchema } from '../documents/settings';
import {
  clientSettingsInputSchema,
  kidClientNumber,
  type ClientSettingsInput,
  type ClientStatusValue,
  type EncryptedSecret,
  type StoredClientSettings,
} from '../domain/client-settings';
import { osloCompact } from '../domain/oslo-time';
import {
  applyClientSettingsUpdate,
  clientSettingsQuery,
  clientSettingsWorkflow,
  clientSettingsWorkflowId,
  setClientStatusUpdate,
  type ClientSettingsResult,
} from '../workflows/client-settings-workflow';
import { onboardingCheckWorkflow } from '../workflows/onboarding-check-workflow';
import { ClientId } from '../workflows/search-attributes';

export interface OnboardingRequest {
  settings: unknown;
  /** The plain client key as the client sent it; omitted when changing settings of a known client. */
  clientKey?: string;
}

async function storedSettings(temporal: Client, clientId: string): Promise<StoredClientSettings | undefined> {
  try {
    return await temporal.workflow.getHandle(clientSettingsWorkflowId(clientId)).query(clientSettingsQuery);
  } catch (err) {
    if (err instanceof Error && err.name === 'WorkflowNotFoundError') return undefined;
    throw err;
  }
}

/** The KIDs of all clients must stay unique: each client's number may be used by that client only. */
async function checkKidScheme(temporal: Client, settings: ClientSettingsInput): Promise<void> {
  let clientNumber: number;
  try {
    clientNumber = kidClientNumber(settings);
  } catch (err) {
    throw new Error(`Invalid client settings: ${err instanceof Error ? err.message : String(err)} (give --kid-client-number)`);
  }
  const scheme = kidSchemeSchema.safeParse({ method: settings.kid.scheme === 'mod11' ? 'MOD11' : 'MOD10', length: settings.kid.length, clientNumber });
  if (!scheme.success) throw new Error(`Invalid KID settings: ${scheme.error.issues.map((i) => i.message).join('; ')}`);
  const query = "WorkflowType = 'clientSettingsWorkflow' AND ExecutionStatus = 'Running'";
  for await (const execution of temporal.workflow.list({ query })) {
    const otherId = execution.workflowId.replace(/^client-/, '');
    if (otherId === settings.clientId) continue;
    const other = await temporal.workflow.getHandle(execution.workflowId).query(clientSettingsQuery);
    if (other && kidClientNumber(other) === clientNumber) {
      throw new Error(`KID client number ${clientNumber} is already used by client ${otherId}: KIDs must be unique across clients`);
    }
  }
}

/**
 * Onboards a client or changes its settings: verifies the key, privileges and accounts on the
 * worker, then stores the settings in the client's settings workflow. Idempotent: the same input
 * again returns `changed: false`. The plain key is sealed here and never enters Temporal.
 */
export async function onboardClient(temporal: Client, taskQueue: string, cipher: SecretCipher, request: OnboardingRequest): Promise<ClientSettingsResult> {
  const parsed = clientSettingsInputSchema.safeParse(request.settings);
  if (!parsed.success) {
    throw new Error(`Invalid client settings: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; ')}`);
  }
  const settings: ClientSettingsInput = parsed.data;
  await checkKidScheme(temporal, settings);
  const existing = await storedSettings(temporal, settings.clientId);
  let clientKey: EncryptedSecret;
  if (request.clientKey !== undefined) {
    const sealed = cipher.seal(request.clientKey.trim());
    // Same key as stored: keep the stored ciphertext, so a rerun changes nothing.
    clientKey = existing && existing.clientKey.fingerprint === sealed.fingerprint ? existing.clientKey : sealed;
  } else if (existing) {
    clientKey = existing.clientKey;
  } else {
    throw new Error(`Client ${settings.clientId} is new: give its PowerOffice client key`);
  }

  const verified = await temporal.workflow.execute(onboardingCheckWorkflow, {
    workflowId: `onboarding-check-${settings.clientId}-${osloCompact(new Date())}`,
    taskQueue,
    args: [{ clientId: settings.clientId, clientKey, ...(settings.accountMapping ? { accountMapping: settings.accountMapping } : {}) }],
  });

  const stored: StoredClientSettings = {
    ...settings,
    ...(verified.clientName ? { clientName: verified.clientName } : {}),
    clientKey,
    status: existing?.status ?? 'Active',
    ...(existing?.statusReason ? { statusReason: existing.statusReason } : {}),
    changedAt: new Date().toISOString(),
  };
  return temporal.workflow.executeUpdateWithStart(applyClientSettingsUpdate, {
    args: [stored],
    startWorkflowOperation: new WithStartWorkflowOperation(clientSettingsWorkflow, {
      workflowId: clientSettingsWorkflowId(settings.clientId),
      taskQueue,
      args: [{ clientId: settings.clientId }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: [{ key: ClientId, value: settings.clientId }],
      staticSummary: `Settings of client ${settings.clientId}`,
    }),
  });
}

/** Disabling stops the client's future batches; enabling resumes them. Invoices already running go on. */
export async function setClientStatus(temporal: Client, clientId: string, status: ClientStatusValue, reason?: string): Promise<ClientSettingsResult> {
  if (!(await storedSettings(temporal, clientId))) throw new Error(`Client ${clientId} has not been onboarded`);
  return temporal.workflow
    .getHandle(clientSettingsWorkflowId(clientId))
    .executeUpdate(setClientStatusUpdate, { args: [{ status, ...(reason ? { reason } : {}), at: new Date().toISOString() }] });
}

export { storedSettings };
