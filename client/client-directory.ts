import type { Client } from '@temporalio/client';
import type { SecretCipher } from '../adapters/secrets/secret-cipher';
import type { StoredClientSettings } from '../domain/client-settings';
import { clientSettingsQuery, clientSettingsWorkflowId } from '../workflows/client-settings-workflow';

/** Where activities learn which clients are active and with which key to reach them. */
export interface ClientDirectory {
  activeClientIds(): Promise<string[]>;
  settings(clientId: string): Promise<StoredClientSettings>;
  clientKey(clientId: string): Promise<string>;
}

/** Settings changes reach running workers within this time; disabling applies from the next batch. */
const CACHE_MS = 60_000;

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
  private readonly cache = new Map<string, { settings: StoredClientSettings; until: number }>();

  constructor(
    private readonly temporal: () => Client,
    private readonly cipher: SecretCipher,
    private readonly now: () => number = Date.now,
  ) {}

  async activeClientIds(): Promise<string[]> {
    const ids: string[] = [];
    const query = "WorkflowType = 'clientSettingsWorkflow' AND ExecutionStatus = 'Running' AND ClientStatus = 'Active'";
    for await (const execution of this.temporal().workflow.list({ query })) {
      ids.push(execution.workflowId.replace(/^client-/, ''));
    }
    return ids.sort();
  }

  async settings(clientId: string): Promise<StoredClientSettings> {
    const cached = this.cache.get(clientId);
    if (cached && this.now() < cached.until) return cached.settings;
    let settings: StoredClientSettings | undefined;
    try {
      settings = await this.temporal().workflow.getHandle(clientSettingsWorkflowId(clientId)).query(clientSettingsQuery);
    } catch (err) {
      if (err instanceof Error && err.name === 'WorkflowNotFoundError') throw new ClientNotAvailableError(clientId, 'has not been onboarded (no client settings workflow)');
      throw err;
    }
    if (!settings) throw new ClientNotAvailableError(clientId, 'has not been onboarded');
    this.cache.set(clientId, { settings, until: this.now() + CACHE_MS });
    return settings;
  }

  async clientKey(clientId: string): Promise<string> {
    const settings = await this.settings(clientId);
    if (settings.status !== 'Active') throw new ClientNotAvailableError(clientId, `is disabled${settings.statusReason ? ` (${settings.statusReason})` : ''}`);
    return this.cipher.open(settings.clientKey);
  }
}
