import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { onboardClient } from '../../client/onboarding';
import { batchWorkflow } from '../../workflows/batch-workflow';
import { eventually } from '../helpers/eventually';
import { hasStackTrace } from '../helpers/run-command';
import { cipherOf, nextKidClientNumber, seedWithInvoices, startService, type ServiceUnderTest } from '../helpers/service';
import { startLocalTemporal } from '../helpers/temporal';
import { FULL_MAPPING, newClientId, powerOfficeCalls, runOnboard, seedFor, snapshot } from '../onboarding/onboard-command';

/**
 * Bad `onboard` invocations, as an operator types them: each gets its exact sentence and exit code
 * (2 = usage, 1 = refused), never a stack trace, and leaves the client's settings workflow as it
 * was (stored settings and history length), and PowerOffice GO untouched where the command must
 * not get that far.
 */
const ids = {
  /** Onboarded with return data, KID mod11/12 and two channel overrides; no invoices. */
  target: newClientId('bt'),
  /** Onboarded without return data. */
  plain: newClientId('bp'),
  /** Onboarded, with invoice workflows. */
  invoiced: newClientId('bi'),
  /** A PowerOffice company never onboarded. */
  fresh: newClientId('bf'),
  /** Known nowhere. */
  unknown: newClientId('bu'),
};
const kidNumbers = { target: nextKidClientNumber(), plain: nextKidClientNumber(), invoiced: nextKidClientNumber() };
const HELP_HINT = '(npm run -s onboard -- --help shows every option)';

interface Row {
  name: string;
  args: string[];
  clientKey?: string;
  /** What stderr says, exactly (a usage error from the parser adds the hint to --help). */
  message: string;
  /** The message's end comes from a rule owned elsewhere (the client id's): compare the beginning. */
  prefixOnly?: boolean;
  code: 1 | 2;
  /** The client whose settings workflow must not change. */
  client: keyof typeof ids;
  /** True when the command legitimately reaches PowerOffice GO (the key check) before it refuses. */
  contactsPowerOffice?: boolean;
}

const { target, plain, invoiced, fresh, unknown } = ids;
const rows: Row[] = [
  { name: '--disable with --enable', args: ['--client-id', target, '--disable', '--enable'], message: "error: option '--disable' cannot be used with option '--enable'", code: 2, client: 'target' },
  { name: '--show with a change', args: ['--client-id', target, '--show', '--email-alternative', '2'], message: "error: option '--show' cannot be used with option '--email-alternative <n>'", code: 2, client: 'target' },
  { name: '--show with --dry-run', args: ['--client-id', target, '--show', '--dry-run'], message: "error: option '--show' cannot be used with option '--dry-run'", code: 2, client: 'target' },
  { name: '--disable with a change', args: ['--client-id', target, '--disable', '--kid-length', '12'], message: "error: option '--disable' cannot be used with option '--kid-length <digits>'", code: 2, client: 'target' },
  {
    name: '--no-return-data with an account',
    args: ['--client-id', target, '--no-return-data', '--receivables', '1510'],
    message: "error: option '--no-return-data' cannot be used with option '--receivables <account>'",
    code: 2,
    client: 'target',
  },
  { name: '--reason without --disable', args: ['--client-id', target, '--enable', '--reason', 'back'], message: 'error: --reason goes with --disable only.', code: 2, client: 'target' },
  {
    name: 'one customer both overridden and cleared',
    args: ['--client-id', target, '--channel-override', '10010=ehf', '--clear-channel-override', '10010'],
    message: 'error: customer 10010 cannot both get a channel override and have it cleared.',
    code: 2,
    client: 'target',
  },
  {
    name: 'one customer given two channels',
    args: ['--client-id', target, '--channel-override', '10010=ehf', '--channel-override', '10010=letter'],
    message: 'error: customer 10010 is given two channels (ehf and letter).',
    code: 2,
    client: 'target',
  },
  {
    name: 'the key from a file and from stdin',
    args: ['--client-id', target, '--client-key-file', '/dev/null', '--client-key-stdin'],
    message: 'error: give the client key once: --client-key-file or --client-key-stdin, not both.',
    code: 2,
    client: 'target',
  },
  { name: 'e-mail alternative 3', args: ['--client-id', target, '--email-alternative', '3'], message: "error: option '--email-alternative <n>' argument '3' is invalid. Allowed choices are 1, 2.", code: 2, client: 'target' },
  { name: 'an unknown KID scheme', args: ['--client-id', target, '--kid-scheme', 'mod12'], message: "error: option '--kid-scheme <scheme>' argument 'mod12' is invalid. Allowed choices are mod10, mod11.", code: 2, client: 'target' },
  { name: 'a KID of 30 digits', args: ['--client-id', target, '--kid-length', '30'], message: "error: option '--kid-length <digits>' argument '30' is invalid. expected a whole number from 4 to 25.", code: 2, client: 'target' },
  {
    name: 'KID client number 0',
    args: ['--client-id', target, '--kid-client-number', '0'],
    message: "error: option '--kid-client-number <n>' argument '0' is invalid. expected a whole number from 1 to 99999.",
    code: 2,
    client: 'target',
  },
  {
    name: 'a channel that does not exist',
    args: ['--client-id', target, '--channel-override', '10010=fax'],
    message: 'error: option \'--channel-override <customerNo=channel>\' argument \'10010=fax\' is invalid. the channel "fax" is not one of ehf, email, letter.',
    code: 2,
    client: 'target',
  },
  {
    name: 'a channel override without its channel',
    args: ['--client-id', target, '--channel-override', '10010'],
    message: "error: option '--channel-override <customerNo=channel>' argument '10010' is invalid. expected CUSTOMERNO=ehf|email|letter, e.g. 10010=letter.",
    code: 2,
    client: 'target',
  },
  {
    name: 'a customer number that is not a number',
    args: ['--client-id', target, '--clear-channel-override', 'Kunde AS'],
    message: 'error: option \'--clear-channel-override <customerNo>\' argument \'Kunde AS\' is invalid. the customer number "Kunde AS" is not a number.',
    code: 2,
    client: 'target',
  },
  {
    name: 'an account number of two digits',
    args: ['--client-id', target, '--receivables', '15'],
    message: "error: option '--receivables <account>' argument '15' is invalid. expected a whole number from 1000 to 99999999.",
    code: 2,
    client: 'target',
  },
  { name: 'an unknown option', args: ['--client-id', target, '--bogus'], message: "error: unknown option '--bogus'", code: 2, client: 'target' },
  { name: 'a stray argument', args: ['--client-id', target, 'mod11'], message: 'error: too many arguments. Expected 0 arguments but got 1.', code: 2, client: 'target' },
  { name: 'no client id', args: ['--email-alternative', '2'], message: "error: required option '--client-id <id>' not specified", code: 2, client: 'target' },
  {
    name: 'a client id with a space',
    args: ['--client-id', 'bt 1', '--show'],
    message: "error: option '--client-id <id>' argument 'bt 1' is invalid. a client id is 1-40 letters, digits",
    prefixOnly: true,
    code: 2,
    client: 'target',
  },
  {
    name: 'a KID change on a client that has invoices',
    args: ['--client-id', invoiced, '--kid-scheme', 'mod10'],
    message: `Client ${invoiced} already has invoices, so changing kid.scheme is refused: every future KID would change, and payments carrying the KIDs already issued must still match their invoices. Give --confirm-kid-change if the bank and the client have agreed to the new KIDs.`,
    code: 1,
    client: 'invoiced',
  },
  {
    name: "another client's KID client number",
    args: ['--client-id', target, '--kid-client-number', String(kidNumbers.plain)],
    message: `KID client number ${kidNumbers.plain} is already used by client ${plain}: KIDs must be unique across clients`,
    code: 1,
    client: 'target',
  },
  {
    name: 'one account for a client without return data',
    args: ['--client-id', plain, '--receivables', '1510'],
    message: `Client ${plain} has no return data yet: the five account options go together; missing --administrative-fees, --financial-fees, --bank-payouts, --factoring-balance.`,
    code: 1,
    client: 'plain',
  },
  {
    name: '--show for an unknown client',
    args: ['--client-id', unknown, '--show'],
    message: `Unknown client ${unknown}: it has not been onboarded (there is no settings workflow client-${unknown}).`,
    code: 1,
    client: 'unknown',
  },
  {
    name: '--disable for an unknown client',
    args: ['--client-id', unknown, '--disable', '--reason', 'contract ended'],
    message: `Unknown client ${unknown}: it has not been onboarded (there is no settings workflow client-${unknown}).`,
    code: 1,
    client: 'unknown',
  },
  {
    name: '--enable for an unknown client',
    args: ['--client-id', unknown, '--enable'],
    message: `Unknown client ${unknown}: it has not been onboarded (there is no settings workflow client-${unknown}).`,
    code: 1,
    client: 'unknown',
  },
  {
    name: 'a new client without its key',
    args: ['--client-id', fresh, '--kid-client-number', String(nextKidClientNumber())],
    message: `Client ${fresh} is new: give its PowerOffice client key (POWEROFFICE_CLIENT_KEY, --client-key-file or --client-key-stdin).`,
    code: 1,
    client: 'fresh',
  },
  {
    name: 'a key file that does not exist',
    args: ['--client-id', target, '--client-key-file', '/nonexistent/client.key'],
    message: 'Cannot read /nonexistent/client.key: there is no such file.',
    code: 1,
    client: 'target',
  },
  {
    name: '--client-key-stdin with nothing on standard input',
    args: ['--client-id', fresh, '--client-key-stdin', '--kid-client-number', String(nextKidClientNumber())],
    message: '--client-key-stdin was given, but standard input held no client key.',
    code: 1,
    client: 'fresh',
  },
  {
    name: 'a wrong key for a new client',
    args: ['--client-id', fresh, '--kid-client-number', String(nextKidClientNumber())],
    clientKey: 'a-key-that-does-not-exist',
    message: `Client ${fresh} cannot be onboarded: PowerOffice refused the client key in the demo environment: check that the client copied the whole key from Settings > Extensions, that the extension is still active, and that the key is from the demo environment`,
    code: 1,
    client: 'fresh',
    contactsPowerOffice: true,
  },
  {
    name: 'an account the client does not have',
    args: ['--client-id', target, '--bank-payouts', '1599'],
    message: `Client ${target} cannot be onboarded:\n  - account 1599 (payouts to bank) does not exist in the client's chart of accounts`,
    code: 1,
    client: 'target',
    contactsPowerOffice: true,
  },
];

describe('bad onboard invocations', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest;

  beforeAll(async () => {
    env = await startLocalTemporal();
    const seed = seedFor([target, plain, fresh]);
    seed.companies.push(...seedWithInvoices(1, invoiced).companies);
    service = await startService(env, seed, { onboard: false });
    const onboard = (clientId: string, settings: Record<string, unknown>) =>
      onboardClient(env.client, service.taskQueue, cipherOf(service.config), { settings: { clientId, ...settings }, clientKey: `key-${clientId}` });
    await onboard(target, { kid: { scheme: 'mod11', length: 12, clientNumber: kidNumbers.target }, accountMapping: FULL_MAPPING, channelOverrides: { '10010': 'letter', '10011': 'ehf' } });
    await onboard(plain, { kid: { clientNumber: kidNumbers.plain } });
    await onboard(invoiced, { kid: { scheme: 'mod11', clientNumber: kidNumbers.invoiced } });
    // To its end: the batch also asks PowerOffice GO for the other clients' invoices, which the rows count.
    await env.client.workflow.execute(batchWorkflow, { workflowId: `batch-${randomUUID()}`, taskQueue: service.taskQueue, args: [{ force: true }] });
    const invoiceWorkflows = `WorkflowType = 'invoiceWorkflow' AND ClientId = '${invoiced}'`;
    expect(await eventually(async () => (await env.client.workflow.count(invoiceWorkflows)).count, (count) => count > 0)).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await service?.stop();
    await env?.teardown();
  });

  test(`the catalogue has at least 12 rows (${rows.length})`, () => {
    expect(rows.length).toBeGreaterThanOrEqual(12);
  });

  test.each(rows)('$name: exit $code with its sentence, nothing changed', async (row) => {
    const clientId = ids[row.client];
    const before = await snapshot(env, clientId);
    const callsBefore = await powerOfficeCalls(service, clientId);

    const run = await runOnboard(env, service, row.args, row.clientKey);

    expect(run.code).toBe(row.code);
    const said = run.stderr.replace(`\n${HELP_HINT}\n`, '\n');
    if (row.prefixOnly) expect(said.startsWith(row.message)).toBe(true);
    else expect(said).toBe(`${row.message}\n`);
    expect(hasStackTrace(run.stderr + run.stdout)).toBe(false);
    expect(await snapshot(env, clientId)).toEqual(before);
    if (!row.contactsPowerOffice) expect(await powerOfficeCalls(service, clientId)).toBe(callsBefore);
  });
});
