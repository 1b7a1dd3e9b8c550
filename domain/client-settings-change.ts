import { z } from 'zod';
import {
  accountMappingSchema,
  channelOverrideSchema,
  clientSettingsInputSchema,
  customerNoSchema,
  encryptedSecretSchema,
  kidClientNumber,
  kidSettingsSchema,
  type AccountMapping,
  type ClientSettingsInput,
  type StoredClientSettings,
} from './client-settings';

/**
 * A change to a client's settings is a patch on the stored record: what it names changes, what it
 * leaves out keeps its stored value. Removing something is explicit (`removeAccountMapping`,
 * `clearChannelOverrides`), so re-running onboarding with one option can never drop the rest.
 * The settings workflow applies the patch to the record it holds (no read-modify-write race).
 */
export const clientSettingsPatchSchema = z
  .object({
    emailAlternative: z.union([z.literal(1), z.literal(2)]).optional(),
    // Unwrapped: kidSettingsSchema's defaults would otherwise fill in what the operator left out.
    kid: z
      .object({
        scheme: kidSettingsSchema.shape.scheme.unwrap().optional(),
        length: kidSettingsSchema.shape.length.unwrap().optional(),
        clientNumber: kidSettingsSchema.shape.clientNumber,
      })
      .strict()
      .optional(),
    /** Set (or replace) the channel of these customers; other customers' overrides stay. */
    channelOverrides: z.record(customerNoSchema, channelOverrideSchema).optional(),
    /** Remove these customers' overrides. */
    clearChannelOverrides: z.array(customerNoSchema).optional(),
    /** Some or all accounts; merged into the stored mapping, which must end complete. */
    accountMapping: accountMappingSchema.partial().strict().optional(),
    /** Return data off: the account mapping is dropped. */
    removeAccountMapping: z.literal(true).optional(),
  })
  .strict()
  .superRefine((patch, context) => {
    if (patch.removeAccountMapping && patch.accountMapping && Object.keys(patch.accountMapping).length > 0) {
      context.addIssue({ code: 'custom', message: 'the account mapping cannot be both changed and removed' });
    }
    for (const customerNo of patch.clearChannelOverrides ?? []) {
      if (patch.channelOverrides && customerNo in patch.channelOverrides) {
        context.addIssue({ code: 'custom', message: `customer ${customerNo} cannot both get a channel override and have it cleared` });
      }
    }
  });
export type ClientSettingsPatch = z.infer<typeof clientSettingsPatchSchema>;

/** What the settings workflow's change update takes: the patch, and what onboarding verified. */
export const clientSettingsChangeSchema = z
  .object({
    patch: clientSettingsPatchSchema,
    /** A new client key (sealed), or none: the stored one stays. */
    clientKey: encryptedSecretSchema.optional(),
    /** The company name PowerOffice GO reported when the key was verified. */
    clientName: z.string().optional(),
    /** ISO 8601 instant of the change (workflow code has no clock of its own to trust for audit). */
    at: z.string(),
  })
  .strict();
export type ClientSettingsChange = z.infer<typeof clientSettingsChangeSchema>;

/** Thrown when a patch would leave the settings incomplete or invalid; the message is for an operator. */
export class SettingsPatchError extends Error {
  override name = 'SettingsPatchError';
  constructor(
    message: string,
    /** For an account mapping that would be incomplete: the roles still missing. */
    readonly missingAccounts: (keyof AccountMapping)[] = [],
  ) {
    super(message);
  }
}

const ACCOUNT_ROLES = Object.keys(accountMappingSchema.shape) as (keyof AccountMapping)[];

function mergedAccountMapping(stored: AccountMapping | undefined, patch: ClientSettingsPatch): AccountMapping | undefined {
  if (patch.removeAccountMapping) return undefined;
  if (!patch.accountMapping || Object.keys(patch.accountMapping).length === 0) return stored;
  const merged = { ...stored, ...patch.accountMapping };
  const missing = ACCOUNT_ROLES.filter((role) => merged[role] === undefined);
  if (missing.length > 0) throw new SettingsPatchError(`return data needs all five accounts; missing: ${missing.join(', ')}`, missing);
  return merged as AccountMapping;
}

function mergedChannelOverrides(stored: Record<string, ClientSettingsInput['channelOverrides'][string]>, patch: ClientSettingsPatch) {
  const merged = { ...stored, ...patch.channelOverrides };
  for (const customerNo of patch.clearChannelOverrides ?? []) delete merged[customerNo];
  return merged;
}

/**
 * The settings after `patch`: the stored record (or the defaults, for a new client) with what the
 * patch names changed. Pure and deterministic: the settings workflow and the command's preview
 * both use it.
 */
export function applySettingsPatch(clientId: string, stored: ClientSettingsInput | undefined, patch: ClientSettingsPatch): ClientSettingsInput {
  const base = stored ?? clientSettingsInputSchema.parse({ clientId });
  const accountMapping = mergedAccountMapping(base.accountMapping, patch);
  const candidate = {
    clientId,
    emailAlternative: patch.emailAlternative ?? base.emailAlternative,
    kid: { ...base.kid, ...patch.kid },
    channelOverrides: mergedChannelOverrides(base.channelOverrides, patch),
    ...(accountMapping ? { accountMapping } : {}),
  };
  const parsed = clientSettingsInputSchema.safeParse(candidate);
  if (!parsed.success) throw new SettingsPatchError(parsed.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; '));
  return parsed.data;
}

/** One field that a change sets from one value to another; `null` = not set. */
export interface SettingChange {
  field: string;
  from: string | number | null;
  to: string | number | null;
}

type FieldValue = string | number;

/**
 * The operator-relevant fields of a record, flattened: `kid.length`, `channelOverrides.10010`,
 * `accountMapping.receivables`, … The client key appears only as its fingerprint's first 8
 * characters (an HMAC: tells keys apart without revealing one).
 */
type SettingsView = Pick<ClientSettingsInput, 'clientId'> & Partial<ClientSettingsInput> & { clientKey?: StoredClientSettings['clientKey'] };

/** The client number in the client's KIDs: stored, or derived from a numeric client id. */
function effectiveKidClientNumber(settings: SettingsView): number | undefined {
  if (!settings.kid) return undefined;
  try {
    return kidClientNumber({ clientId: settings.clientId, kid: settings.kid });
  } catch {
    return undefined;
  }
}

export function settingFields(settings: SettingsView): Map<string, FieldValue> {
  const fields = new Map<string, FieldValue>();
  if (settings.clientKey) fields.set('clientKey', `key ${settings.clientKey.fingerprint.slice(0, 8)}`);
  if (settings.emailAlternative !== undefined) fields.set('emailAlternative', settings.emailAlternative);
  if (settings.kid) {
    fields.set('kid.scheme', settings.kid.scheme);
    fields.set('kid.length', settings.kid.length);
    const clientNumber = effectiveKidClientNumber(settings);
    if (clientNumber !== undefined) fields.set('kid.clientNumber', clientNumber);
  }
  fields.set('returnData', settings.accountMapping ? 'on' : 'off');
  for (const role of ACCOUNT_ROLES) {
    const account = settings.accountMapping?.[role];
    if (account !== undefined) fields.set(`accountMapping.${role}`, account);
  }
  for (const [customerNo, channel] of Object.entries(settings.channelOverrides ?? {}).sort(([a], [b]) => Number(a) - Number(b))) {
    fields.set(`channelOverrides.${customerNo}`, channel);
  }
  return fields;
}

/** Every field whose value differs, in a stable order; a new client (no `before`) changes every field it sets. */
export function settingsChanges(before: SettingsView | undefined, after: SettingsView): SettingChange[] {
  const old = before ? settingFields(before) : new Map<string, FieldValue>();
  const next = settingFields(after);
  const names = [...next.keys(), ...[...old.keys()].filter((name) => !next.has(name))];
  return names
    .filter((name) => old.get(name) !== next.get(name))
    .filter((name) => before !== undefined || name !== 'returnData' || next.get(name) === 'on')
    .map((field) => ({ field, from: old.get(field) ?? null, to: next.get(field) ?? null }));
}

/** "kid.length: 15 → 12"; an unset value reads "(none)". */
export function describeChange(change: SettingChange): string {
  return `${change.field}: ${change.from ?? '(none)'} → ${change.to ?? '(none)'}`;
}

/** Changes of the KID scheme, length or client number: every future KID of the client changes. */
export function kidChanges(changes: SettingChange[]): SettingChange[] {
  return changes.filter((change) => change.field.startsWith('kid.'));
}
