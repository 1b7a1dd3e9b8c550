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
import type { ClientStatusValue, StoredClientSettings } from '../domain/client-settings';
import type { ClientSettingsChange } from '../domain/client-settings-change';
import { clientSettingsChangeProblems, sameSettings, settingsAfterChange, settingsChanges, type SettingChange } from '../domain/client-settings-rules';
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

export interface ClientSettingsChangeResult extends ClientSettingsResult {
  /** What the change did, field by field (empty when nothing changed). */
  changes: SettingChange[];
}

/**
 * Onboarding and every later change: a patch applied to the record this workflow holds, so what
 * a command leaves out keeps its value and two operators' changes cannot overwrite each other.
 */
export const changeClientSettingsUpdate = defineUpdate<ClientSettingsChangeResult, [ClientSettingsChange]>('changeClientSettings');
/**
 * The former whole-record replacement. Kept only so histories that contain it still replay (a
 * validator does not run on replay); new calls are refused: they could drop what they leave out.
 */
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

  const settingsAfter = (change: ClientSettingsChange): StoredClientSettings => settingsAfterChange(input.clientId, settings, change);

  setHandler(clientSettingsQuery, () => settings);
  setHandler(
    changeClientSettingsUpdate,
    (change) => {
      const before = settings;
      const result = publish(settingsAfter(change));
      return { ...result, changes: result.changed ? settingsChanges(before, result.settings) : [] };
    },
    {
      // Refused here, a bad change leaves no trace in the history. The onboarding command checked
      // it with the zod schemas already; these are the same rules without zod, for any other caller.
      validator: (change: unknown) => {
        const problems = clientSettingsChangeProblems(change);
        if (problems.length > 0) throw new Error(`invalid settings change: ${problems.join('; ')}`);
        // Refuses what the patch would leave invalid or incomplete (SettingsPatchError), with its reason.
        settingsAfter(change as ClientSettingsChange);
      },
    },
  );
  setHandler(applyClientSettingsUpdate, (next) => publish(next), {
    validator: (_next) => {
      throw new Error('applyClientSettings replaced whole records and could drop settings; use changeClientSettings (a patch)');
    },
  });
  setHandler(
    setClientStatusUpdate,
    ({ status, reason, at }) => {
      // A reason belongs to the status it was given with: enabling again drops it.
      const { statusReason: _previous, ...current } = settings!;
      return publish({ ...current, status, ...(reason ? { statusReason: reason } : {}), changedAt: at });
    },
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
