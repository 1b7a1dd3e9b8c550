import { readFileSync } from 'node:fs';
import { InvalidArgumentError, Option } from 'commander';
import { SecretCipher } from '../adapters/secrets/secret-cipher';
import { customerNoSchema, channelOverrideSchema, type AccountMapping, type StoredClientSettings } from '../domain/client-settings';
import { describeChange, settingFields, SettingsPatchError, type ClientSettingsPatch, type SettingChange } from '../domain/client-settings-change';
import { clientIdArgument, configOrRefuse, integerIn, newCommand, readOperatorFile, Refusal, runCommand, UsageError, withTemporal } from './command-line';
import { knownClientSettings, planOnboarding, refuseUnconfirmedKidChange, setClientStatus, storeOnboarding, type OnboardingPlan } from './onboarding';
import type { Client } from '@temporalio/client';

/**
 * `npm run -s onboard -- --client-id ID …`: onboard a client or change what the options name. The
 * options are a patch on the stored settings: what is left out keeps its value; removing takes an
 * explicit option. The changes are printed (old → new) before they are stored.
 */

/** Account option → role in the mapping; the five go together when return data is first ordered. */
const ACCOUNT_OPTIONS: [flag: string, role: keyof AccountMapping, example: string][] = [
  ['receivables', 'receivables', "the client's receivables control account (kundereskontro), e.g. 1510"],
  ['administrative-fees', 'administrativeFees', 'administrative fees, e.g. 6970'],
  ['financial-fees', 'financialFees', 'financial fees, e.g. 6975'],
  ['bank-payouts', 'bankPayouts', 'payouts from Factoring Finans to the bank, e.g. 1920'],
  ['factoring-balance', 'factoringBalance', 'balance/debt with Factoring Finans, e.g. 2990'],
];
const flagOfRole = Object.fromEntries(ACCOUNT_OPTIONS.map(([flag, role]) => [role, `--${flag}`])) as Record<keyof AccountMapping, string>;

interface OnboardOptions {
  clientId: string;
  clientKeyFile?: string;
  clientKeyStdin?: boolean;
  emailAlternative?: '1' | '2';
  kidScheme?: 'mod10' | 'mod11';
  kidLength?: number;
  kidClientNumber?: number;
  confirmKidChange?: boolean;
  channelOverride?: [string, string][];
  clearChannelOverride?: string[];
  returnData: boolean;
  receivables?: number;
  administrativeFees?: number;
  financialFees?: number;
  bankPayouts?: number;
  factoringBalance?: number;
  dryRun?: boolean;
  disable?: boolean;
  enable?: boolean;
  reason?: string;
  show?: boolean;
  json?: boolean;
}

/** Every option that changes settings: none of them goes with --show, --disable or --enable. */
const CHANGE_OPTIONS = [
  'clientKeyFile',
  'clientKeyStdin',
  'emailAlternative',
  'kidScheme',
  'kidLength',
  'kidClientNumber',
  'confirmKidChange',
  'channelOverride',
  'clearChannelOverride',
  'returnData',
  ...ACCOUNT_OPTIONS.map(([, role]) => role),
  'dryRun',
];

/** `10010=letter` → ['10010', 'letter'], collected over repeats. */
function channelOverrideArgument(value: string, previous: [string, string][] = []): [string, string][] {
  const [customerNo, channel, ...rest] = value.split('=').map((part) => part.trim());
  if (!customerNo || !channel || rest.length > 0) throw new InvalidArgumentError('expected CUSTOMERNO=ehf|email|letter, e.g. 10010=letter.');
  if (!customerNoSchema.safeParse(customerNo).success) throw new InvalidArgumentError(`the customer number "${customerNo}" is not a number.`);
  if (!channelOverrideSchema.safeParse(channel).success) throw new InvalidArgumentError(`the channel "${channel}" is not one of ehf, email, letter.`);
  return [...previous, [customerNo, channel]];
}

function customerNoArgument(value: string, previous: string[] = []): string[] {
  if (!customerNoSchema.safeParse(value.trim()).success) throw new InvalidArgumentError(`the customer number "${value}" is not a number.`);
  return [...previous, value.trim()];
}

const accountArgument = integerIn(1000, 99_999_999);

const program = newCommand('onboard', 'Onboard a Factoring Finans client, change what the options name, disable or enable it, or show its settings.')
  .requiredOption('--client-id <id>', 'the client (its PowerOffice GO client; becomes part of workflow IDs)', clientIdArgument)
  .option('--client-key-file <file>', 'read the client key from this file (else POWEROFFICE_CLIENT_KEY; never an argument: arguments show in the process list)')
  .option('--client-key-stdin', 'read the client key from standard input')
  .addOption(new Option('--email-alternative <n>', '1 = e-mail with link and one-time code (opening tracked), 2 = e-mail with the PDF attached').choices(['1', '2']))
  .addOption(new Option('--kid-scheme <scheme>', 'the check digit of the KID, as agreed with the bank').choices(['mod10', 'mod11']))
  .addOption(new Option('--kid-length <digits>', 'the fixed length of the KID (4-25 digits)').argParser(integerIn(4, 25)))
  .addOption(new Option('--kid-client-number <n>', "the KID's prefix, unique per client (1-99999; default: the client id when it is a number)").argParser(integerIn(1, 99_999)))
  .option(
    '--confirm-kid-change',
    'allow changing the KID scheme, length or client number of a client that already has invoices (any invoice workflow of the client in Temporal): every future KID changes',
  )
  .option('--channel-override <customerNo=channel>', 'send this customer by ehf, email or letter, whatever the rules say (repeatable; other overrides stay)', channelOverrideArgument)
  .option('--clear-channel-override <customerNo>', "remove this customer's channel override (repeatable)", customerNoArgument);
for (const [flag, , example] of ACCOUNT_OPTIONS) {
  program.addOption(new Option(`--${flag} <account>`, `return data: ${example}`).argParser(accountArgument));
}
program
  .addOption(new Option('--no-return-data', 'stop return data: drops the account mapping').conflicts(ACCOUNT_OPTIONS.map(([, role]) => role)))
  .option('--dry-run', 'print what would change and stop: nothing is verified against PowerOffice GO or stored')
  .addOption(new Option('--disable', "stop the client's future batches").conflicts([...CHANGE_OPTIONS, 'enable']))
  .addOption(new Option('--enable', "resume the client's batches").conflicts([...CHANGE_OPTIONS]))
  .option('--reason <text>', 'why the client is disabled (with --disable)')
  .addOption(new Option('--show', 'print the settings (never the key)').conflicts([...CHANGE_OPTIONS, 'disable', 'enable', 'reason']))
  .option('--json', 'print JSON, for scripts: the settings with --show, else the change report')
  .addHelpText(
    'after',
    `
Options left out keep their stored value; the command prints each change (old → new) before it
stores it, and "nothing changed" when nothing does. The five account options go together when a
client first orders return data; later each can be changed alone.

The KID scheme, length and client number of a client that already has invoices (any invoice
workflow with ClientId = the client in Temporal) are kept unless --confirm-kid-change is given:
every future KID changes, and payments carrying the old KIDs must still match.

Examples:
  POWEROFFICE_CLIENT_KEY=… npm run -s onboard -- --client-id 1003 --kid-scheme mod10 \\
      --receivables 1510 --administrative-fees 6970 --financial-fees 6975 --bank-payouts 1920 --factoring-balance 2990
  npm run -s onboard -- --client-id 1003 --email-alternative 2 --dry-run
  npm run -s onboard -- --client-id 1003 --channel-override 10010=letter --clear-channel-override 10011
  npm run -s onboard -- --client-id 1003 --disable --reason "contract ended"
  npm run -s onboard -- --client-id 1003 --show --json`,
  )
  .action(async (options: OnboardOptions) => {
    refuseContradictions(options);
    const config = configOrRefuse();
    const clientKey = options.show || options.disable || options.enable ? undefined : readClientKey(options);
    await withTemporal(config.temporal, async (temporal) => {
      if (options.show) return show(temporal, options);
      if (options.disable || options.enable) return changeStatus(temporal, options);
      const cipher = new SecretCipher(config.clientKeyEncryption.key, config.clientKeyEncryption.keyId);
      return change(temporal, config.temporal.taskQueue, cipher, options, clientKey);
    });
  });

/** Combinations commander cannot see: each is a usage error (exit 2). */
function refuseContradictions(options: OnboardOptions): void {
  if (options.reason !== undefined && !options.disable) throw new UsageError('--reason goes with --disable only.');
  if (options.clientKeyFile && options.clientKeyStdin) throw new UsageError('give the client key once: --client-key-file or --client-key-stdin, not both.');
  const overridden = new Map<string, string>();
  for (const [customerNo, channel] of options.channelOverride ?? []) {
    const earlier = overridden.get(customerNo);
    if (earlier && earlier !== channel) throw new UsageError(`customer ${customerNo} is given two channels (${earlier} and ${channel}).`);
    overridden.set(customerNo, channel);
  }
  const cleared = (options.clearChannelOverride ?? []).find((customerNo) => overridden.has(customerNo));
  if (cleared) throw new UsageError(`customer ${cleared} cannot both get a channel override and have it cleared.`);
}

function readClientKey(options: OnboardOptions): string | undefined {
  if (options.clientKeyFile) {
    return readOperatorFile(options.clientKeyFile, 'the file with the client key').toString('utf8').trim();
  }
  const key = options.clientKeyStdin ? readFileSync(0, 'utf8').trim() : process.env.POWEROFFICE_CLIENT_KEY?.trim();
  if (options.clientKeyStdin && !key) throw new Refusal('--client-key-stdin was given, but standard input held no client key.');
  return key || undefined;
}

function patchFrom(options: OnboardOptions): ClientSettingsPatch {
  const kid = {
    ...(options.kidScheme ? { scheme: options.kidScheme } : {}),
    ...(options.kidLength !== undefined ? { length: options.kidLength } : {}),
    ...(options.kidClientNumber !== undefined ? { clientNumber: options.kidClientNumber } : {}),
  };
  const accounts = Object.fromEntries(ACCOUNT_OPTIONS.flatMap(([, role]) => (options[role] !== undefined ? [[role, options[role]]] : [])));
  return {
    ...(options.emailAlternative ? { emailAlternative: Number(options.emailAlternative) as 1 | 2 } : {}),
    ...(Object.keys(kid).length > 0 ? { kid } : {}),
    ...(options.channelOverride ? { channelOverrides: Object.fromEntries(options.channelOverride) as ClientSettingsPatch['channelOverrides'] } : {}),
    ...(options.clearChannelOverride ? { clearChannelOverrides: options.clearChannelOverride } : {}),
    ...(Object.keys(accounts).length > 0 ? { accountMapping: accounts } : {}),
    ...(options.returnData === false ? { removeAccountMapping: true as const } : {}),
  };
}

async function plan(temporal: Client, cipher: SecretCipher, options: OnboardOptions, clientKey: string | undefined): Promise<OnboardingPlan> {
  try {
    return await planOnboarding(temporal, cipher, { settings: { clientId: options.clientId, ...patchFrom(options) }, ...(clientKey ? { clientKey } : {}) });
  } catch (err) {
    if (err instanceof SettingsPatchError && err.missingAccounts.length > 0) {
      throw new Refusal(
        `Client ${options.clientId} has no return data yet: the five account options go together; missing ${err.missingAccounts.map((role) => flagOfRole[role]).join(', ')}.`,
      );
    }
    if (err instanceof SettingsPatchError) throw new Refusal(`Invalid client settings: ${err.message}.`);
    throw err;
  }
}

function title(clientId: string, settings: StoredClientSettings | undefined): string {
  return `client ${clientId}${settings?.clientName ? ` (${settings.clientName})` : ''}`;
}

async function change(temporal: Client, taskQueue: string, cipher: SecretCipher, options: OnboardOptions, clientKey: string | undefined): Promise<void> {
  const planned = await plan(temporal, cipher, options, clientKey);
  const report = (stored: boolean, changes: SettingChange[] = planned.changes) =>
    options.json && console.log(JSON.stringify({ clientId: options.clientId, new: !planned.existing, dryRun: options.dryRun ?? false, stored, changes }, null, 2));
  if (planned.changes.length === 0) {
    if (!options.json) console.log(`${capitalised(title(options.clientId, planned.existing))}: nothing changed.`);
    return void report(false);
  }
  if (!options.json) printChanges(planned.existing ? `Changes to ${title(options.clientId, planned.existing)}:` : `New client ${options.clientId}:`, planned.changes);
  await refuseUnconfirmedKidChange(temporal, planned, options.confirmKidChange ?? false);
  if (options.dryRun) {
    if (!options.json) console.log('Dry run: nothing was verified or stored.');
    return void report(false);
  }
  const result = await storeOnboarding(temporal, taskQueue, planned);
  if (options.json) return void report(true, result.changes);
  const meanwhile = JSON.stringify(result.changes) !== JSON.stringify(planned.changes);
  if (meanwhile) printChanges('The settings had changed meanwhile; what this change did in the end:', result.changes);
  console.log(`Verified and stored: ${title(options.clientId, result.settings)} ${planned.existing ? 'changed' : 'onboarded'}.`);
}

function printChanges(heading: string, changes: SettingChange[]): void {
  console.log(heading);
  for (const line of changes) console.log(`  ${describeChange(line)}`);
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

async function show(temporal: Client, options: OnboardOptions): Promise<void> {
  const { clientKey: _sealed, ...visible } = await knownClientSettings(temporal, options.clientId);
  if (options.json) return void console.log(JSON.stringify(visible, null, 2));
  console.log(`${capitalised(title(options.clientId, visible as StoredClientSettings))}: ${visible.status}${visible.statusReason ? ` (${visible.statusReason})` : ''}`);
  for (const [field, value] of settingFields(visible)) console.log(`  ${field}: ${value}`);
  console.log(`  changedAt: ${visible.changedAt}`);
}

async function changeStatus(temporal: Client, options: OnboardOptions): Promise<void> {
  const result = await setClientStatus(temporal, options.clientId, options.disable ? 'Disabled' : 'Active', options.reason);
  if (options.json) return void console.log(JSON.stringify({ clientId: options.clientId, status: result.settings.status, changed: result.changed }, null, 2));
  console.log(`${capitalised(title(options.clientId, result.settings))} is ${result.settings.status}${result.changed ? '' : ' (unchanged)'}.`);
}

void runCommand(program);
