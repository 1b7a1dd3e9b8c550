import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { WorkflowFailedError } from '@temporalio/client';
import { SecretCipher } from '../adapters/secrets/secret-cipher';
import { loadConfigOrExit } from '../config/config';
import { onboardClient, setClientStatus, storedSettings } from './onboarding';
import { connectClient } from './temporal-client';

const USAGE = `Onboard a Factoring Finans client, change its settings, or disable/enable it.

  npm run -s onboard -- --client-id 1003 [--client-key-file FILE | --client-key-stdin]
        [--email-alternative 1|2] [--kid-scheme mod10|mod11] [--kid-length 4-25] [--kid-client-number N]
        [--channel-override CUSTOMERNO=ehf|email|letter ...]
        [--receivables 1510 --administrative-fees 6970 --financial-fees 6975
         --bank-payouts 1920 --factoring-balance 2990]
  npm run -s onboard -- --client-id 1003 --disable [--reason TEXT]
  npm run -s onboard -- --client-id 1003 --enable
  npm run -s onboard -- --client-id 1003 --show

The client key may also come from the environment variable POWEROFFICE_CLIENT_KEY. It is never
taken as an argument (arguments show in the process list). Without a key, a known client keeps
its stored key. The five account options go together: they switch return data on. The KID client
number defaults to the client id when that is a number; it must be unique across clients.`;

const options = {
  'client-id': { type: 'string' },
  'client-key-file': { type: 'string' },
  'client-key-stdin': { type: 'boolean' },
  'email-alternative': { type: 'string' },
  'kid-scheme': { type: 'string' },
  'kid-length': { type: 'string' },
  'kid-client-number': { type: 'string' },
  'channel-override': { type: 'string', multiple: true },
  receivables: { type: 'string' },
  'administrative-fees': { type: 'string' },
  'financial-fees': { type: 'string' },
  'bank-payouts': { type: 'string' },
  'factoring-balance': { type: 'string' },
  disable: { type: 'boolean' },
  enable: { type: 'boolean' },
  reason: { type: 'string' },
  show: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

type Args = ReturnType<typeof parseArgs<{ options: typeof options }>>['values'];

const ACCOUNT_OPTIONS = {
  receivables: 'receivables',
  'administrative-fees': 'administrativeFees',
  'financial-fees': 'financialFees',
  'bank-payouts': 'bankPayouts',
  'factoring-balance': 'factoringBalance',
} as const;

function accountMapping(args: Args): Record<string, number> | undefined {
  const given = Object.entries(ACCOUNT_OPTIONS).filter(([flag]) => args[flag as keyof typeof ACCOUNT_OPTIONS] !== undefined);
  if (given.length === 0) return undefined;
  const missing = Object.keys(ACCOUNT_OPTIONS).filter((flag) => args[flag as keyof typeof ACCOUNT_OPTIONS] === undefined);
  if (missing.length > 0) throw new Error(`Return data needs all five accounts; missing: ${missing.map((m) => `--${m}`).join(', ')}`);
  return Object.fromEntries(Object.entries(ACCOUNT_OPTIONS).map(([flag, role]) => [role, Number(args[flag as keyof typeof ACCOUNT_OPTIONS])]));
}

/** `--channel-override 10010=letter` (repeatable): customer number = ehf | email | letter. */
function channelOverrides(values: string[]): Record<string, string> {
  return Object.fromEntries(
    values.map((value) => {
      const [customerNo, channel] = value.split('=');
      if (!customerNo || !channel) throw new Error(`--channel-override takes customerNo=channel, got "${value}"`);
      return [customerNo.trim(), channel.trim()];
    }),
  );
}

function clientKey(args: Args): string | undefined {
  if (args['client-key-file']) return readFileSync(args['client-key-file'], 'utf8').trim();
  if (args['client-key-stdin']) return readFileSync(0, 'utf8').trim();
  return process.env.POWEROFFICE_CLIENT_KEY?.trim() || undefined;
}

function settingsFrom(args: Args, clientId: string) {
  const mapping = accountMapping(args);
  return {
    clientId,
    ...(args['email-alternative'] !== undefined ? { emailAlternative: Number(args['email-alternative']) } : {}),
    ...(args['kid-scheme'] !== undefined || args['kid-length'] !== undefined || args['kid-client-number'] !== undefined
      ? {
          kid: {
            ...(args['kid-scheme'] ? { scheme: args['kid-scheme'] } : {}),
            ...(args['kid-length'] ? { length: Number(args['kid-length']) } : {}),
            ...(args['kid-client-number'] ? { clientNumber: Number(args['kid-client-number']) } : {}),
          },
        }
      : {}),
    ...(args['channel-override'] ? { channelOverrides: channelOverrides(args['channel-override']) } : {}),
    ...(mapping ? { accountMapping: mapping } : {}),
  };
}

/** What an operator reads when onboarding is refused: the reason, not a stack trace. */
function explain(err: unknown): string {
  if (err instanceof WorkflowFailedError) {
    // The refusal is the innermost failure: workflow failed ← activity failed ← the reason.
    let innermost: Error = err;
    while (innermost.cause instanceof Error) innermost = innermost.cause;
    return innermost.message;
  }
  return err instanceof Error ? err.message : String(err);
}

async function main(): Promise<number> {
  const { values: args } = parseArgs({ options, strict: true });
  if (args.help || !args['client-id']) {
    console.log(USAGE);
    return args.help ? 0 : 2;
  }
  const config = loadConfigOrExit();
  const clientId = args['client-id'];
  const temporal = await connectClient(config.temporal);
  try {
    if (args.show) {
      const stored = await storedSettings(temporal, clientId);
      if (!stored) throw new Error(`Client ${clientId} has not been onboarded`);
      const { clientKey: _sealed, ...visible } = stored;
      console.log(JSON.stringify(visible, null, 2));
      return 0;
    }
    if (args.disable || args.enable) {
      const result = await setClientStatus(temporal, clientId, args.disable ? 'Disabled' : 'Active', args.reason);
      console.log(`Client ${clientId} is ${result.settings.status}${result.changed ? '' : ' (unchanged)'}.`);
      return 0;
    }
    const cipher = new SecretCipher(config.clientKeyEncryption.key, config.clientKeyEncryption.keyId);
    const key = clientKey(args);
    const result = await onboardClient(temporal, config.temporal.taskQueue, cipher, { settings: settingsFrom(args, clientId), ...(key ? { clientKey: key } : {}) });
    const name = result.settings.clientName ? ` (${result.settings.clientName})` : '';
    console.log(result.changed ? `Client ${clientId}${name} onboarded and settings stored.` : `Client ${clientId}${name}: nothing changed.`);
    return 0;
  } catch (err) {
    console.error(explain(err));
    return 1;
  } finally {
    await temporal.connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(explain(err));
    process.exit(1);
  },
);
