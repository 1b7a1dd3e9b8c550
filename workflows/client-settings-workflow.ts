import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineUpdate,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  sameSettings,
  storedClientSettingsSchema,
  type ClientStatusValue,
  type StoredClientSettings,
} from '../domain/client-settings';
import { ClientStatus } from './search-attributes';

/**
 * One long-lived workflow per client, `client-<clientId>`: the durable home of the client's
 * settings. It survives worker and server restarts with the Temporal database, shows in the Web
 * UI (filter ClientStatus), and every change is an Update in its history: an audit trail.
 */
export interface ClientSettingsResult {
  changed: boolean;
  settings: StoredClientSettings;
}

export const applyClientSettingsUpdate = defineUpdate<ClientSettingsResult, [StoredClientSettings]>('applyClientSettings');
export const setClientStatusUpdate = defineUpdate<ClientSettingsResult, [{ status: ClientStatusValue; reason?: string; at: string }]>('setClientStatus');
export const clientSettingsQuery = defineQuery<StoredClientSettings | undefined>('clientSettings');

export function clientSettingsWorkflowId(clientId: string): string {
  return `client-${clientId}`;
}

export async function clientSettingsWorkflow(input: { clientId: string; settings?: StoredClientSettings }): Promise<void> {
  let settings = input.settings;
  const publish = (next: StoredClientSettings): ClientSettingsResult => {
    const changed = settings === undefined || !sameSettings(settings, next);
    if (changed) {
      settings = next;
      upsertSearchAttributes([{ key: ClientStatus, value: next.status }]);
    }
    return { changed, settings: settings! };
  };

  setHandler(clientSettingsQuery, () => settings);
  setHandler(
    applyClientSettingsUpdate,
    (next) => publish(next),
    {
      validator: (next) => {
        const parsed = storedClientSettingsSchema.safeParse(next);
        if (!parsed.success) throw new Error(`invalid client settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
        if (parsed.data.clientId !== input.clientId) throw new Error(`settings for client ${parsed.data.clientId} sent to client ${input.clientId}`);
      },
    },
  );
  setHandler(
    setClientStatusUpdate,
    ({ status, reason, at }) => publish({ ...settings!, status, ...(reason ? { statusReason: reason } : {}), changedAt: at }),
    {
      validator: (_change) => {
        if (settings === undefined) throw new Error(`client ${input.clientId} has not been onboarded`);
      },
    },
  );

  // Lives until its history asks for a fresh start; the settings travel along.
  await condition(() => workflowInfo().continueAsNewSuggested);
  await condition(allHandlersFinished);
  await continueAsNew<typeof clientSettingsWorkflow>({ clientId: input.clientId, ...(settings ? { settings } : {}) });
}
