import type { AccountMapping, ClientSettingsInput, StoredClientSettings } from './client-settings';
import type { ClientSettingsChange, ClientSettingsPatch } from './client-settings-change';
import { CLIENT_ID_PATTERN } from './workflow-ids';

/**
 * The rules of a client's settings and of a change to them, without zod. The client's settings
 * workflow applies and checks changes with these: whatever a workflow imports is evaluated again
 * for every open workflow, and zod alone cost about 0.6 MB per workflow (issue 11). The zod
 * schemas in client-settings.ts and client-settings-change.ts, which the onboarding command reads
 * an operator's input with, take their limits and cross-field rules from here;
 * test/onboarding/settings-rules-agree.test.ts holds the two readings to the same verdicts.
 */

export const CLIENT_ID_MESSAGE = 'a client id is 1-40 letters, digits or "_" (it becomes part of workflow IDs, where "-" separates it from the invoice id)';
export const EMAIL_ALTERNATIVES = [1, 2] as const;
export const KID_SCHEMES = ['mod10', 'mod11'] as const;
/** Fixed per client, 4-25 digits (Mastercard Payment Services). */
export const KID_LENGTH = { min: 4, max: 25 } as const;
/** Factoring Finans' number for the client, the KID's prefix (domain/kid.ts). */
export const KID_CLIENT_NUMBER = { min: 1, max: 99_999 } as const;
export const ACCOUNT_NO = { min: 1000, max: 99_999_999 } as const;
export const CUSTOMER_NO = { form: /^\d+$/, message: 'a customer number is digits only' } as const;
export const CHANNEL_OVERRIDES = ['ehf', 'email', 'letter'] as const;
/** HMAC of a client key, hex: tells "same key again" apart from "new key" without decrypting. */
export const KEY_FINGERPRINT_FORM = /^[0-9a-f]{64}$/;
export const DEFAULT_EMAIL_ALTERNATIVE = 1;
export const DEFAULT_KID = { scheme: 'mod10', length: 15 } as const;

export const accountRoleNames: Record<keyof AccountMapping, string> = {
  receivables: 'receivables (kundereskontro)',
  administrativeFees: 'administrative fees',
  financialFees: 'financial fees',
  bankPayouts: 'payouts to bank',
  factoringBalance: 'balance/debt with Factoring Finans',
};
/** In the order the settings are shown and stored. */
export const ACCOUNT_ROLES = Object.keys(accountRoleNames) as (keyof AccountMapping)[];

/** The parts of two records that matter: same client key (by fingerprint) and same decisions. */
export function sameSettings(a: StoredClientSettings, b: StoredClientSettings): boolean {
  const essence = (s: StoredClientSettings) =>
    JSON.stringify([
      s.clientId,
      s.emailAlternative,
      s.kid,
      s.accountMapping ?? null,
      Object.entries(s.channelOverrides).sort(),
      s.clientKey.fingerprint,
      s.status,
      s.clientName ?? null,
    ]);
  return essence(a) === essence(b);
}

/** The number in the client's KIDs: the configured one, or the client id when it is numeric. */
export function kidClientNumber(settings: Pick<ClientSettingsInput, 'clientId' | 'kid'>): number {
  if (settings.kid.clientNumber !== undefined) return settings.kid.clientNumber;
  if (/^\d{1,5}$/.test(settings.clientId) && Number(settings.clientId) > 0) return Number(settings.clientId);
  throw new Error(`client ${settings.clientId} needs a KID client number (1-99999): its id is not one`);
}

// ---- checks: each returns "path: problem" lines, empty when all is well ----

type Problems = string[];

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const wholeIn = (value: unknown, range: { min: number; max: number }) => Number.isSafeInteger(value) && (value as number) >= range.min && (value as number) <= range.max;
const oneOf = <T>(values: readonly T[], value: unknown): value is T => values.includes(value as T);
const quoted = (values: readonly unknown[]) => values.map((v) => (typeof v === 'string' ? `"${v}"` : String(v))).join(', ');

function onlyKnownFields(value: Record<string, unknown>, path: string, known: readonly string[]): Problems {
  return Object.keys(value)
    .filter((key) => !known.includes(key))
    .map((key) => `${path || 'change'}: unknown field "${key}"`);
}

/** Optional fields: a missing one and one set to undefined are both absent, as in zod. */
function field(problems: Problems, value: unknown, path: string, ok: boolean, message: string): void {
  if (value !== undefined && !ok) problems.push(`${path}: ${message}`);
}

function kidProblems(kid: Record<string, unknown>, path: string): Problems {
  const problems = onlyKnownFields(kid, path, ['scheme', 'length', 'clientNumber']);
  field(problems, kid.scheme, `${path}.scheme`, oneOf(KID_SCHEMES, kid.scheme), `must be one of ${quoted(KID_SCHEMES)}`);
  field(problems, kid.length, `${path}.length`, wholeIn(kid.length, KID_LENGTH), `must be a whole number from ${KID_LENGTH.min} to ${KID_LENGTH.max}`);
  field(problems, kid.clientNumber, `${path}.clientNumber`, wholeIn(kid.clientNumber, KID_CLIENT_NUMBER), `must be a whole number from ${KID_CLIENT_NUMBER.min} to ${KID_CLIENT_NUMBER.max}`);
  return problems;
}

function accountMappingProblems(mapping: Record<string, unknown>, path: string, complete: boolean): Problems {
  const problems = onlyKnownFields(mapping, path, ACCOUNT_ROLES);
  for (const role of ACCOUNT_ROLES) {
    if (complete && mapping[role] === undefined) problems.push(`${path}.${role}: is missing`);
    field(problems, mapping[role], `${path}.${role}`, wholeIn(mapping[role], ACCOUNT_NO), `must be an account number from ${ACCOUNT_NO.min} to ${ACCOUNT_NO.max}`);
  }
  return problems;
}

function channelOverridesProblems(overrides: Record<string, unknown>, path: string): Problems {
  return Object.entries(overrides).flatMap(([customerNo, channel]) => [
    ...(CUSTOMER_NO.form.test(customerNo) ? [] : [`${path}.${customerNo}: ${CUSTOMER_NO.message}`]),
    ...(oneOf(CHANNEL_OVERRIDES, channel) ? [] : [`${path}.${customerNo}: must be one of ${quoted(CHANNEL_OVERRIDES)}`]),
  ]);
}

/** A record or nothing; anything else is named and not looked into. */
function nested(problems: Problems, value: unknown, path: string, check: (value: Record<string, unknown>) => Problems): void {
  if (value === undefined) return;
  if (isRecord(value)) problems.push(...check(value));
  else problems.push(`${path}: must be an object`);
}

/** The rules across fields of a patch (also zod's refinement of clientSettingsPatchSchema). */
export function patchConflicts(patch: Pick<ClientSettingsPatch, 'removeAccountMapping' | 'accountMapping' | 'clearChannelOverrides' | 'channelOverrides'>): Problems {
  const problems: Problems = [];
  if (patch.removeAccountMapping && patch.accountMapping && Object.keys(patch.accountMapping).length > 0) problems.push('the account mapping cannot be both changed and removed');
  for (const customerNo of patch.clearChannelOverrides ?? []) {
    if (patch.channelOverrides && Object.hasOwn(patch.channelOverrides, customerNo)) {
      problems.push(`customer ${customerNo} cannot both get a channel override and have it cleared`);
    }
  }
  return problems;
}

function patchProblems(patch: Record<string, unknown>, path: string): Problems {
  const problems = onlyKnownFields(patch, path, ['emailAlternative', 'kid', 'channelOverrides', 'clearChannelOverrides', 'accountMapping', 'removeAccountMapping']);
  field(problems, patch.emailAlternative, `${path}.emailAlternative`, oneOf(EMAIL_ALTERNATIVES, patch.emailAlternative), `must be one of ${quoted(EMAIL_ALTERNATIVES)}`);
  nested(problems, patch.kid, `${path}.kid`, (kid) => kidProblems(kid, `${path}.kid`));
  nested(problems, patch.channelOverrides, `${path}.channelOverrides`, (overrides) => channelOverridesProblems(overrides, `${path}.channelOverrides`));
  const clear = patch.clearChannelOverrides;
  field(problems, clear, `${path}.clearChannelOverrides`, Array.isArray(clear) && clear.every((no) => typeof no === 'string' && CUSTOMER_NO.form.test(no)), `must be a list of customer numbers (${CUSTOMER_NO.message})`);
  nested(problems, patch.accountMapping, `${path}.accountMapping`, (mapping) => accountMappingProblems(mapping, `${path}.accountMapping`, false));
  field(problems, patch.removeAccountMapping, `${path}.removeAccountMapping`, patch.removeAccountMapping === true, 'can only be true');
  if (problems.length > 0) return problems;
  // Every field has its type now: the rules across fields can read them.
  return patchConflicts(patch);
}

function clientKeyProblems(key: Record<string, unknown>, path: string): Problems {
  const problems: Problems = [];
  for (const name of ['keyId', 'sealed'] as const) {
    if (typeof key[name] !== 'string' || key[name] === '') problems.push(`${path}.${name}: must be a text that is not empty`);
  }
  if (typeof key.fingerprint !== 'string' || !KEY_FINGERPRINT_FORM.test(key.fingerprint)) problems.push(`${path}.fingerprint: must be 64 lower-case hexadecimal digits`);
  return problems;
}

/** What `clientSettingsChangeSchema` refuses, for the settings workflow's update validator. */
export function clientSettingsChangeProblems(change: unknown): Problems {
  if (!isRecord(change)) return ['change: must be an object'];
  const problems = onlyKnownFields(change, '', ['patch', 'clientKey', 'clientName', 'at']);
  if (change.patch === undefined) problems.push('patch: is missing');
  nested(problems, change.patch, 'patch', (patch) => patchProblems(patch, 'patch'));
  nested(problems, change.clientKey, 'clientKey', (key) => clientKeyProblems(key, 'clientKey'));
  field(problems, change.clientName, 'clientName', typeof change.clientName === 'string', 'must be a text');
  if (typeof change.at !== 'string') problems.push('at: must be the time of the change, as ISO 8601 text');
  return problems;
}

/** What `clientSettingsInputSchema` refuses in settings that are complete (defaults filled in). */
export function clientSettingsProblems(settings: ClientSettingsInput): Problems {
  const problems: Problems = [];
  if (typeof settings.clientId !== 'string' || !CLIENT_ID_PATTERN.test(settings.clientId)) problems.push(`clientId: ${CLIENT_ID_MESSAGE}`);
  if (!oneOf(EMAIL_ALTERNATIVES, settings.emailAlternative)) problems.push(`emailAlternative: must be one of ${quoted(EMAIL_ALTERNATIVES)}`);
  nested(problems, settings.kid, 'kid', (kid) => kidProblems(kid, 'kid'));
  nested(problems, settings.accountMapping, 'accountMapping', (mapping) => accountMappingProblems(mapping, 'accountMapping', true));
  nested(problems, settings.channelOverrides, 'channelOverrides', (overrides) => channelOverridesProblems(overrides, 'channelOverrides'));
  return problems;
}

// ---- applying a change ----

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

function mergedAccountMapping(stored: AccountMapping | undefined, patch: ClientSettingsPatch): AccountMapping | undefined {
  if (patch.removeAccountMapping) return undefined;
  const merged: Partial<AccountMapping> | undefined = !patch.accountMapping || Object.keys(patch.accountMapping).length === 0 ? stored : { ...stored, ...patch.accountMapping };
  if (merged === undefined) return undefined;
  const missing = ACCOUNT_ROLES.filter((role) => merged[role] === undefined);
  if (missing.length > 0) throw new SettingsPatchError(`return data needs all five accounts; missing: ${missing.join(', ')}`, missing);
  // In the roles' order, as the zod schema put them: the record is compared as JSON (sameSettings).
  return Object.fromEntries(ACCOUNT_ROLES.map((role) => [role, merged[role]])) as AccountMapping;
}

function mergedChannelOverrides(stored: ClientSettingsInput['channelOverrides'], patch: ClientSettingsPatch): ClientSettingsInput['channelOverrides'] {
  const merged = { ...stored, ...patch.channelOverrides };
  for (const customerNo of patch.clearChannelOverrides ?? []) delete merged[customerNo];
  return merged;
}

/** The settings of a client no change has named anything for yet. */
export function defaultClientSettings(clientId: string): ClientSettingsInput {
  return { clientId, emailAlternative: DEFAULT_EMAIL_ALTERNATIVE, kid: { ...DEFAULT_KID }, channelOverrides: {} };
}

/**
 * The settings after `patch`: the stored record (or the defaults, for a new client) with what the
 * patch names changed. Pure and deterministic: the settings workflow and the command's preview
 * both use it. Keys come in the order the zod schema gave them before this was zod-free, so a
 * record made now compares (sameSettings) as the one made then, and histories replay.
 */
export function applySettingsPatch(clientId: string, stored: ClientSettingsInput | undefined, patch: ClientSettingsPatch): ClientSettingsInput {
  const base = stored ?? defaultClientSettings(clientId);
  const accountMapping = mergedAccountMapping(base.accountMapping, patch);
  const clientNumber = patch.kid?.clientNumber ?? base.kid.clientNumber;
  const candidate: ClientSettingsInput = {
    clientId,
    emailAlternative: patch.emailAlternative ?? base.emailAlternative,
    kid: { scheme: patch.kid?.scheme ?? base.kid.scheme, length: patch.kid?.length ?? base.kid.length, ...(clientNumber === undefined ? {} : { clientNumber }) },
    ...(accountMapping ? { accountMapping } : {}),
    channelOverrides: mergedChannelOverrides(base.channelOverrides, patch),
  };
  const problems = clientSettingsProblems(candidate);
  if (problems.length > 0) throw new SettingsPatchError(problems.join('; '));
  return candidate;
}

/** What a change to the settings workflow's record makes of it: the patch applied, the key and name kept or replaced. */
export function settingsAfterChange(clientId: string, before: StoredClientSettings | undefined, change: ClientSettingsChange): StoredClientSettings {
  if (!before && !change.clientKey) throw new Error(`Client ${clientId} is new: give its PowerOffice client key`);
  const clientName = change.clientName ?? before?.clientName;
  return {
    ...applySettingsPatch(clientId, before, change.patch),
    ...(clientName !== undefined ? { clientName } : {}),
    clientKey: change.clientKey ?? before!.clientKey,
    status: before?.status ?? 'Active',
    ...(before?.statusReason ? { statusReason: before.statusReason } : {}),
    changedAt: change.at,
  };
}

// ---- what a change did ----

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
