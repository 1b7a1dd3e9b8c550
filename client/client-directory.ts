import type { Client } from '@temporalio/client';
import { TtlCache } from '../adapters/cache/ttl-cache';
import type { SecretCipher } from '../adapters/secrets/secret-cipher';
import type { StoredClientSettings } from '../domain/client-settings';
import { clientSettingsQuery, clientSettingsWorkflowId } from '../workflows/client-settings-workflow';
import { ClientStatus } from '../workflows/search-attributes';

/** Where activities learn which clients are active and with which key to reach them. */
export interface ClientDirectory {
  activeClientIds(): Promise<string[]>;
  settings(clientId: string): Promise<StoredClientSettings>;
  clientKey(clientId: string): Promise<string>;
}

/**
 * Settings changes reach running workers within this time (plus one query): a setting older than
 * this is still used while it is read again in the background, so a batch's activities never wait
 * for the query (a workflow task for a worker that is busy with the batch) after a worker's first.
 */
const REFRESH_AFTER_MS = 60_000;
/** Never used older than this: a worker that cannot reach the settings workflow stops using them. */
const CACHE_MS = 10 * 60_000;
const MAX_CLIENTS_CACHED = 10_000;

export class ClientNotAvailableError extends Error {
  constructor(clientId: string, why: string) {
    super(`Client ${clientId} ${why}`);
    this.name = 'ClientNotAvailableError';
  }
}

/**
 * Reads the clients' settings workflows (`client-<id>`): the list from visibility, the settings by
 * query, the client key opened with the worker's cipher. Cached briefly per worker.
 */
export class TemporalClientDirectory implements ClientDirectory {
  /**
   * Shared by all activities of the worker, fetches included: when the cache runs out in the middle
   * of a batch, a hundred concurrent activities cause one query, not a hundred (each query is a
   * task for a worker that is busy with the batch).
   */
  private readonly cache: TtlCache<StoredClientSettings>;

  constructor(
    private readonly temporal: () => Client,
    private readonly cipher: SecretCipher,
    now: () => number = Date.now,
  ) {
    this.cache = new TtlCache(CACHE_MS, MAX_CLIENTS_CACHED, now, REFRESH_AFTER_MS);
  }

  async activeClientIds(): Promise<string[]> {
    const ids: string[] = [];
    const query = "WorkflowType = 'clientSettingsWorkflow' AND ExecutionStatus = 'Running' AND ClientStatus = 'Active'";
    for await (const execution of this.temporal().workflow.list({ query })) {
      ids.push(execution.workflowId.replace(/^client-/, ''));
    }
    return ids.sort();
  }

  settings(clientId: string): Promise<StoredClientSettings> {
    return this.cache.get(clientId, () => this.querySettings(clientId));
  }

  private async querySettings(clientId: string): Promise<StoredClientSettings> {
    let settings: StoredClientSettings | undefined;
    try {
      settings = await this.temporal().workflow.getHandle(clientSettingsWorkflowId(clientId)).query(clientSettingsQuery);
    } catch (err) {
      if (err instanceof Error && err.name === 'WorkflowNotFoundError') throw new ClientNotAvailableError(clientId, 'has not been onboarded (no client settings workflow)');
      throw err;
    }
    if (!settings) throw new ClientNotAvailableError(clientId, 'has not been onboarded');
    return settings;
  }

  async clientKey(clientId: string): Promise<string> {
    const settings = await this.settings(clientId);
    if (settings.status !== 'Active') throw new ClientNotAvailableError(clientId, `is disabled${settings.statusReason ? ` (${settings.statusReason})` : ''}`);
    return this.cipher.open(settings.clientKey);
  }
}

/**
 * For commands that take a client id: the client must have been onboarded and be active, or the
 * command refuses, naming it (an unknown id must never read as "nothing to do"). Uses describe,
 * not the settings query, so it answers even when no worker is running.
 */
export async function requireActiveClient(temporal: Client, clientId: string): Promise<void> {
  const workflowId = clientSettingsWorkflowId(clientId);
  let description;
  try {
    description = await temporal.workflow.getHandle(workflowId).describe();
  } catch (err) {
    if (err instanceof Error && err.name === 'WorkflowNotFoundError') {
      throw new ClientNotAvailableError(clientId, `has not been onboarded: Temporal has no settings workflow ${workflowId}. Check the id, or onboard the client first (npm run -s onboard).`);
    }
    throw err;
  }
  if (description.status.name !== 'RUNNING') {
    throw new ClientNotAvailableError(clientId, `is not set up: its settings workflow ${workflowId} is ${description.status.name.toLowerCase()}. Onboard the client again (npm run -s onboard).`);
  }
  if (description.typedSearchAttributes.get(ClientStatus) !== 'Active') {
    throw new ClientNotAvailableError(
      clientId,
      `is disabled: its invoices are neither distributed nor written back. Enable it first (npm run -s onboard -- --client-id ${clientId} --enable); --show says why it was disabled.`,
    );
  }
}
