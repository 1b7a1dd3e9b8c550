import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { SecretCipher } from '../adapters/secrets/secret-cipher';
import { kidSchemeSchema } from '../documents/settings';
import {
  applySettingsPatch,
  clientSettingsPatchSchema,
  kidChanges,
  settingsChanges,
  type ClientSettingsPatch,
  type SettingChange,
} from '../domain/client-settings-change';
import {
  clientIdSchema,
  kidClientNumber,
  type ClientSettingsInput,
  type ClientStatusValue,
  type EncryptedSecret,
  type StoredClientSettings,
} from '../domain/client-settings';
import { osloCompact } from '../domain/oslo-time';
import {
  changeClientSettingsUpdate,
  clientSettingsQuery,
  clientSettingsWorkflow,
  clientSettingsWorkflowId,
  setClientStatusUpdate,
  type ClientSettingsChangeResult,
  type ClientSettingsResult,
} from '../workflows/client-settings-workflow';
import { onboardingCheckWorkflow } from '../workflows/onboarding-check-workflow';
import { ClientId } from '../workflows/search-attributes';
import { Refusal } from './command-line';

export interface OnboardingRequest {
  /** `clientId` and the settings to change: a patch, what it leaves out keeps its stored value. */
  settings: unknown;
  /** The plain client key as the client sent it; omitted when changing settings of a known client. */
  clientKey?: string;
  /** Change the KID scheme, length or client number even though the client already has invoices. */
  confirmKidChange?: boolean;
}

/** What a change would do, worked out before anything is verified or stored. */
export interface OnboardingPlan {
  clientId: string;
  existing?: StoredClientSettings;
  patch: ClientSettingsPatch;
  /** The settings after the change. */
  proposed: ClientSettingsInput;
  /** The key the client will have: the stored one, or the new one sealed. */
  clientKey: EncryptedSecret;
  /** Set only when the key changes (a new client, or a different key). */
  newClientKey?: EncryptedSecret;
  changes: SettingChange[];
}

export async function storedSettings(temporal: Client, clientId: string): Promise<StoredClientSettings | undefined> {
  try {
    return await temporal.workflow.getHandle(clientSettingsWorkflowId(clientId)).query(clientSettingsQuery);
  } catch (err) {
    if (err instanceof Error && err.name === 'WorkflowNotFoundError') return undefined;
    throw err;
  }
}

/** The settings of a client that must exist (show, disable, enable), or a refusal naming it. */
export async function knownClientSettings(temporal: Client, clientId: string): Promise<StoredClientSettings> {
  const stored = await storedSettings(temporal, clientId);
  if (!stored) throw new Refusal(`Unknown client ${clientId}: it has not been onboarded (there is no settings workflow client-${clientId}).`);
  return stored;
}

/**
 * Whether the client has issued KIDs already: any invoice workflow of the client, running or
 * closed, in Temporal's visibility (search attribute ClientId). Closed workflows older than the
 * namespace's retention are not counted.
 */
export async function clientHasInvoices(temporal: Client, clientId: string): Promise<boolean> {
  const { count } = await temporal.workflow.count(`WorkflowType = 'invoiceWorkflow' AND ClientId = '${clientId}'`);
  return count > 0;
}

/** The KIDs of all clients must stay unique: each client's number may be used by that client only. */
async function checkKidScheme(temporal: Client, settings: ClientSettingsInput): Promise<void> {
  let clientNumber: number;
  try {
    clientNumber = kidClientNumber(settings);
  } catch (err) {
    throw new Refusal(`Invalid client settings: ${err instanceof Error ? err.message : String(err)} (give --kid-client-number)`);
  }
  const scheme = kidSchemeSchema.safeParse({ method: settings.kid.scheme === 'mod11' ? 'MOD11' : 'MOD10', length: settings.kid.length, clientNumber });
  if (!scheme.success) throw new Refusal(`Invalid KID settings: ${scheme.error.issues.map((i) => i.message).join('; ')}`);
  const query = "WorkflowType = 'clientSettingsWorkflow' AND ExecutionStatus = 'Running'";
  for await (const execution of temporal.workflow.list({ query })) {
    const otherId = execution.workflowId.replace(/^client-/, '');
    if (otherId === settings.clientId) continue;
    const other = await temporal.workflow.getHandle(execution.workflowId).query(clientSettingsQuery);
    if (other && kidClientNumber(other) === clientNumber) {
      throw new Refusal(`KID client number ${clientNumber} is already used by client ${otherId}: KIDs must be unique across clients`);
    }
  }
}

function parseRequest(settings: unknown): { clientId: string; patch: ClientSettingsPatch } {
  const { clientId, ...rest } = (settings ?? {}) as Record<string, unknown>;
  const id = clientIdSchema.safeParse(clientId);
  const patch = clientSettingsPatchSchema.safeParse(rest);
  const issues = [...(id.success ? [] : id.error.issues.map((i) => ({ ...i, path: ['clientId'] }))), ...(patch.success ? [] : patch.error.issues)];
  if (!id.success || !patch.success) {
    throw new Refusal(`Invalid client settings: ${issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; ')}`);
  }
  return { clientId: id.data, patch: patch.data };
}

function keyFor(clientId: string, cipher: SecretCipher, plainKey: string | undefined, existing: StoredClientSettings | undefined): EncryptedSecret {
  if (plainKey !== undefined) {
    const sealed = cipher.seal(plainKey.trim());
    // Same key as stored: keep the stored ciphertext, so a rerun changes nothing.
    return existing && existing.clientKey.fingerprint === sealed.fingerprint ? existing.clientKey : sealed;
  }
  if (existing) return existing.clientKey;
  throw new Refusal(`Client ${clientId} is new: give its PowerOffice client key (POWEROFFICE_CLIENT_KEY, --client-key-file or --client-key-stdin).`);
}

/**
 * Works out what a change would do: the stored record with the request's options applied, and
 * every field that changes. Refuses invalid settings and a KID client number used by another
 * client. Reads only; stores nothing.
 */
export async function planOnboarding(temporal: Client, cipher: SecretCipher, request: OnboardingRequest): Promise<OnboardingPlan> {
  const { clientId, patch } = parseRequest(request.settings);
  const existing = await storedSettings(temporal, clientId);
  const clientKey = keyFor(clientId, cipher, request.clientKey, existing);
  const proposed = applySettingsPatch(clientId, existing, patch);
  const changes = settingsChanges(existing, { ...proposed, clientKey });
  if (!existing || kidChanges(changes).length > 0) await checkKidScheme(temporal, proposed);
  return { clientId, ...(existing ? { existing } : {}), patch, proposed, clientKey, ...(clientKey !== existing?.clientKey ? { newClientKey: clientKey } : {}), changes };
}

/**
 * Every future KID changes with the scheme, length or client number; payments carrying the old
 * KIDs must still match their invoices. So a client that has invoices keeps its KID settings
 * unless the operator confirms.
 */
export async function refuseUnconfirmedKidChange(temporal: Client, plan: OnboardingPlan, confirmed: boolean): Promise<void> {
  const kid = kidChanges(plan.changes);
  if (!plan.existing || kid.length === 0 || confirmed) return;
  if (!(await clientHasInvoices(temporal, plan.clientId))) return;
  throw new Refusal(
    `Client ${plan.clientId} already has invoices, so changing ${kid.map((c) => c.field).join(', ')} is refused: every future KID would change, ` +
      'and payments carrying the KIDs already issued must still match their invoices. Give --confirm-kid-change if the bank and the client have agreed to the new KIDs.',
  );
}

/**
 * Verifies the key, privileges and accounts on the worker, then applies the plan's patch in the
 * client's settings workflow (started on first onboarding). The workflow applies the patch to the
 * record it holds, so a change made meanwhile by someone else is kept.
 */
export async function storeOnboarding(temporal: Client, taskQueue: string, plan: OnboardingPlan): Promise<ClientSettingsChangeResult> {
  const { clientId, proposed } = plan;
  const verified = await temporal.workflow.execute(onboardingCheckWorkflow, {
    workflowId: `onboarding-check-${clientId}-${osloCompact(new Date())}`,
    taskQueue,
    args: [{ clientId, clientKey: plan.clientKey, ...(proposed.accountMapping ? { accountMapping: proposed.accountMapping } : {}) }],
  });
  const change = {
    patch: plan.patch,
    ...(plan.newClientKey ? { clientKey: plan.newClientKey } : {}),
    ...(verified.clientName ? { clientName: verified.clientName } : {}),
    at: new Date().toISOString(),
  };
  try {
    return await temporal.workflow.executeUpdateWithStart(changeClientSettingsUpdate, {
      args: [change],
      startWorkflowOperation: new WithStartWorkflowOperation(clientSettingsWorkflow, {
        workflowId: clientSettingsWorkflowId(clientId),
        taskQueue,
        args: [{ clientId }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        typedSearchAttributes: [{ key: ClientId, value: clientId }],
        staticSummary: `Settings of client ${clientId}`,
      }),
    });
  } catch (err) {
    throw refusedUpdate(clientId, err);
  }
}

/** The settings workflow's validator refused the change (e.g. someone changed the record meanwhile): its reason, not "Workflow Update failed". */
function refusedUpdate(clientId: string, err: unknown): unknown {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof Error) return new Refusal(`The settings of client ${clientId} were not changed: ${err.cause.message}`);
  return err;
}

/**
 * Onboards a client or changes its settings: plan, KID guard, verify, store. Idempotent: the same
 * request again changes nothing and stores nothing. The plain key is sealed here and never enters
 * Temporal.
 */
export async function onboardClient(temporal: Client, taskQueue: string, cipher: SecretCipher, request: OnboardingRequest): Promise<ClientSettingsChangeResult> {
  const plan = await planOnboarding(temporal, cipher, request);
  await refuseUnconfirmedKidChange(temporal, plan, request.confirmKidChange ?? false);
  if (plan.existing && plan.changes.length === 0) return { changed: false, settings: plan.existing, changes: [] };
  return storeOnboarding(temporal, taskQueue, plan);
}

/** Disabling stops the client's future batches; enabling resumes them. Invoices already running go on. */
export async function setClientStatus(temporal: Client, clientId: string, status: ClientStatusValue, reason?: string): Promise<ClientSettingsResult> {
  await knownClientSettings(temporal, clientId);
  try {
    return await temporal.workflow
      .getHandle(clientSettingsWorkflowId(clientId))
      .executeUpdate(setClientStatusUpdate, { args: [{ status, ...(reason ? { reason } : {}), at: new Date().toISOString() }] });
  } catch (err) {
    throw refusedUpdate(clientId, err);
  }
}
