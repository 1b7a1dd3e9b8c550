import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { planOnboarding, storeOnboarding } from '../../client/onboarding';
import { batchWorkflow } from '../../workflows/batch-workflow';
import { applyClientSettingsUpdate, changeClientSettingsUpdate, clientSettingsWorkflowId } from '../../workflows/client-settings-workflow';
import { eventually } from '../helpers/eventually';
import { hasStackTrace } from '../helpers/run-command';
import { cipherOf, nextKidClientNumber, seedWithInvoices, startService, type ServiceUnderTest } from '../helpers/service';
import { startLocalTemporal } from '../helpers/temporal';
import { ACCOUNT_ARGS, FULL_MAPPING, newClientId, runOnboard, seedFor, snapshot } from './onboard-command';

/**
 * `npm run -s onboard` on a client that is already onboarded, as an operator runs it: the real
 * command against the real Temporal dev server, the worker and the PowerOffice GO emulator. The
 * options are a patch: what is left out keeps its stored value.
 */
describe('changing the settings of an onboarded client', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest;
  // One PowerOffice company per scenario, so no scenario sees another's settings.
  const clients = Array.from({ length: 16 }, () => newClientId('ch'));
  const invoiced = seedWithInvoices(2, newClientId('inv'));
  let nextClient = 0;

  beforeAll(async () => {
    env = await startLocalTemporal();
    const seed = seedFor(clients);
    seed.companies.push(...invoiced.companies);
    service = await startService(env, seed, { onboard: false });
  });
  afterAll(async () => {
    await service?.stop();
    await env?.teardown();
  });

  const onboard = (args: string[], clientKey?: string) => runOnboard(env, service, args, clientKey);

  /** A client onboarded with everything an operator can set: KID mod11/12, two overrides, return data. */
  async function fullyOnboardedClient(clientId = clients[nextClient++]!): Promise<{ clientId: string; kidNumber: number; name: string }> {
    const kidNumber = nextKidClientNumber();
    const run = await onboard(
      ['--client-id', clientId, '--kid-client-number', String(kidNumber), '--kid-scheme', 'mod11', '--kid-length', '12', '--channel-override', '10010=letter', '--channel-override', '10011=ehf', ...ACCOUNT_ARGS],
      `key-${clientId}`,
    );
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    return { clientId, kidNumber, name: `Onboarding ${clientId} AS` };
  }

  test('a new client is onboarded with every change listed', async () => {
    const clientId = clients[nextClient++]!;
    const kidNumber = nextKidClientNumber();
    const run = await onboard(['--client-id', clientId, '--kid-client-number', String(kidNumber), '--channel-override', '10010=letter', ...ACCOUNT_ARGS], `key-${clientId}`);

    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe(`New client ${clientId}:`);
    expect(lines[1]).toMatch(/^ {2}clientKey: \(none\) → key [0-9a-f]{8}$/);
    expect(lines.slice(2)).toEqual([
      '  emailAlternative: (none) → 1',
      '  kid.scheme: (none) → mod10',
      '  kid.length: (none) → 15',
      `  kid.clientNumber: (none) → ${kidNumber}`,
      '  returnData: (none) → on',
      '  accountMapping.receivables: (none) → 1510',
      '  accountMapping.administrativeFees: (none) → 6970',
      '  accountMapping.financialFees: (none) → 6975',
      '  accountMapping.bankPayouts: (none) → 1920',
      '  accountMapping.factoringBalance: (none) → 2990',
      '  channelOverrides.10010: (none) → letter',
      `Verified and stored: client ${clientId} (Onboarding ${clientId} AS) onboarded.`,
    ]);
    expect((await snapshot(env, clientId)).settings).toMatchObject({ accountMapping: FULL_MAPPING, channelOverrides: { '10010': 'letter' }, status: 'Active' });
  });

  test('re-running onboard with only --email-alternative keeps the account mapping, the channel overrides and the KID settings', async () => {
    const { clientId, name } = await fullyOnboardedClient();
    const before = (await snapshot(env, clientId)).settings!;

    const run = await onboard(['--client-id', clientId, '--email-alternative', '2']);

    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`Changes to client ${clientId} (${name}):\n  emailAlternative: 1 → 2\nVerified and stored: client ${clientId} (${name}) changed.\n`);
    const after = (await snapshot(env, clientId)).settings!;
    expect(after).toEqual({ ...before, emailAlternative: 2, changedAt: after.changedAt });
    expect(after.accountMapping).toEqual(FULL_MAPPING);
  });

  test('adding a channel override keeps the others', async () => {
    const { clientId, name } = await fullyOnboardedClient();

    const run = await onboard(['--client-id', clientId, '--channel-override', '10012=email']);

    expect(run.stdout).toBe(`Changes to client ${clientId} (${name}):\n  channelOverrides.10012: (none) → email\nVerified and stored: client ${clientId} (${name}) changed.\n`);
    expect((await snapshot(env, clientId)).settings!.channelOverrides).toEqual({ '10010': 'letter', '10011': 'ehf', '10012': 'email' });
  });

  test('--clear-channel-override removes that customer override only', async () => {
    const { clientId, name } = await fullyOnboardedClient();

    const run = await onboard(['--client-id', clientId, '--clear-channel-override', '10010']);

    expect(run.stdout).toBe(`Changes to client ${clientId} (${name}):\n  channelOverrides.10010: letter → (none)\nVerified and stored: client ${clientId} (${name}) changed.\n`);
    expect((await snapshot(env, clientId)).settings!.channelOverrides).toEqual({ '10011': 'ehf' });
  });

  test('one account option changes that account and keeps the other four', async () => {
    const { clientId, name } = await fullyOnboardedClient();

    const run = await onboard(['--client-id', clientId, '--financial-fees', '8150']);

    expect(run.stdout).toBe(`Changes to client ${clientId} (${name}):\n  accountMapping.financialFees: 6975 → 8150\nVerified and stored: client ${clientId} (${name}) changed.\n`);
    expect((await snapshot(env, clientId)).settings!.accountMapping).toEqual({ ...FULL_MAPPING, financialFees: 8150 });
  });

  test('--no-return-data drops the account mapping and says return data goes off', async () => {
    const { clientId, name } = await fullyOnboardedClient();

    const run = await onboard(['--client-id', clientId, '--no-return-data']);

    expect(run.stdout.split('\n')).toEqual([
      `Changes to client ${clientId} (${name}):`,
      '  returnData: on → off',
      '  accountMapping.receivables: 1510 → (none)',
      '  accountMapping.administrativeFees: 6970 → (none)',
      '  accountMapping.financialFees: 6975 → (none)',
      '  accountMapping.bankPayouts: 1920 → (none)',
      '  accountMapping.factoringBalance: 2990 → (none)',
      `Verified and stored: client ${clientId} (${name}) changed.`,
      '',
    ]);
    const after = (await snapshot(env, clientId)).settings!;
    expect(after.accountMapping).toBeUndefined();
    expect(after.channelOverrides).toEqual({ '10010': 'letter', '10011': 'ehf' });
  });

  test('the KID length of a client without invoices changes, and the change is printed old → new', async () => {
    const { clientId, name } = await fullyOnboardedClient();

    const run = await onboard(['--client-id', clientId, '--kid-length', '14']);

    expect(run.stdout).toBe(`Changes to client ${clientId} (${name}):\n  kid.length: 12 → 14\nVerified and stored: client ${clientId} (${name}) changed.\n`);
    expect((await snapshot(env, clientId)).settings!.kid).toMatchObject({ scheme: 'mod11', length: 14 });
  });

  test('running the same command again prints "nothing changed" and stores nothing', async () => {
    const { clientId, kidNumber, name } = await fullyOnboardedClient();
    const before = await snapshot(env, clientId);

    const run = await onboard(
      ['--client-id', clientId, '--kid-client-number', String(kidNumber), '--kid-scheme', 'mod11', '--kid-length', '12', '--channel-override', '10010=letter', ...ACCOUNT_ARGS],
      `key-${clientId}`,
    );

    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 0, stdout: `Client ${clientId} (${name}): nothing changed.\n` });
    expect(await snapshot(env, clientId)).toEqual(before);
  });

  test('--dry-run prints the changes and stores nothing', async () => {
    const { clientId, name } = await fullyOnboardedClient();
    const before = await snapshot(env, clientId);

    const run = await onboard(['--client-id', clientId, '--email-alternative', '2', '--kid-length', '13', '--dry-run']);

    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`Changes to client ${clientId} (${name}):\n  emailAlternative: 1 → 2\n  kid.length: 12 → 13\nDry run: nothing was verified or stored.\n`);
    expect(await snapshot(env, clientId)).toEqual(before);
  });

  test('--json reports the changes for scripts, and --show --json the settings without the key', async () => {
    const { clientId, kidNumber, name } = await fullyOnboardedClient();

    const run = await onboard(['--client-id', clientId, '--email-alternative', '2', '--json']);
    expect(JSON.parse(run.stdout)).toEqual({ clientId, new: false, dryRun: false, stored: true, changes: [{ field: 'emailAlternative', from: 1, to: 2 }] });

    const shown = await onboard(['--client-id', clientId, '--show', '--json']);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ clientId, clientName: name, emailAlternative: 2, kid: { scheme: 'mod11', length: 12, clientNumber: kidNumber }, accountMapping: FULL_MAPPING, status: 'Active' });
    expect(shown.stdout).not.toContain('clientKey');
    const text = await onboard(['--client-id', clientId, '--show']);
    expect(text.stdout.split('\n').slice(0, 4)).toEqual([`Client ${clientId} (${name}): Active`, '  emailAlternative: 2', '  kid.scheme: mod11', '  kid.length: 12']);
    expect(text.stdout).not.toContain('clientKey');
  });

  test('two operators changing different settings from the same stored record both keep their change', async () => {
    const { clientId } = await fullyOnboardedClient();
    const plan = (settings: Record<string, unknown>) => planOnboarding(env.client, cipherOf(service.config), { settings: { clientId, ...settings } });
    // Both read the record before either stores: a read-modify-write would lose the first change.
    const first = await plan({ emailAlternative: 2 });
    const second = await plan({ channelOverrides: { '10012': 'email' } });

    await storeOnboarding(env.client, service.taskQueue, first);
    const result = await storeOnboarding(env.client, service.taskQueue, second);

    expect(result.changes).toEqual([{ field: 'channelOverrides.10012', from: null, to: 'email' }]);
    expect((await snapshot(env, clientId)).settings).toMatchObject({ emailAlternative: 2, channelOverrides: { '10010': 'letter', '10011': 'ehf', '10012': 'email' } });
  });

  test('the settings workflow refuses a change it cannot take, and a whole-record replacement, without a trace in its history', async () => {
    const { clientId } = await fullyOnboardedClient();
    const handle = env.client.workflow.getHandle(clientSettingsWorkflowId(clientId));
    const before = await snapshot(env, clientId);

    const refusal = async (update: Promise<unknown>) => update.then(() => 'accepted', (err: Error) => (err.cause instanceof Error ? err.cause.message : err.message));
    const at = new Date().toISOString();

    expect(await refusal(handle.executeUpdate(changeClientSettingsUpdate, { args: [{ patch: { kid: { length: 99 } }, at }] }))).toContain('patch.kid.length');
    expect(await refusal(handle.executeUpdate(changeClientSettingsUpdate, { args: [{ patch: { accountMapping: { receivables: 1511 }, removeAccountMapping: true }, at }] }))).toContain(
      'the account mapping cannot be both changed and removed',
    );
    expect(await refusal(handle.executeUpdate(applyClientSettingsUpdate, { args: [{ ...before.settings!, accountMapping: undefined }] }))).toContain('use changeClientSettings (a patch)');

    expect(await snapshot(env, clientId)).toEqual(before);
  });

  test('--disable with a reason, --show says so, --enable resumes', async () => {
    const { clientId, name } = await fullyOnboardedClient();

    const disabled = await onboard(['--client-id', clientId, '--disable', '--reason', 'contract ended']);
    expect(disabled.stdout).toBe(`Client ${clientId} (${name}) is Disabled.\n`);
    expect((await onboard(['--client-id', clientId, '--show'])).stdout.split('\n')[0]).toBe(`Client ${clientId} (${name}): Disabled (contract ended)`);
    const enabled = await onboard(['--client-id', clientId, '--enable']);
    expect(enabled.stdout).toBe(`Client ${clientId} (${name}) is Active.\n`);
    expect((await snapshot(env, clientId)).settings!.accountMapping).toEqual(FULL_MAPPING);
  });

  test('changing the KID length of a client that has invoices is refused unless --confirm-kid-change', async () => {
    const clientId = invoiced.clientId;
    await fullyOnboardedClient(clientId);
    await env.client.workflow.start(batchWorkflow, { workflowId: `batch-${randomUUID()}`, taskQueue: service.taskQueue, args: [{ force: true }] });
    const invoiceWorkflows = `WorkflowType = 'invoiceWorkflow' AND ClientId = '${clientId}'`;
    await eventually(async () => (await env.client.workflow.count(invoiceWorkflows)).count, (count) => count > 0);
    const before = await snapshot(env, clientId);

    const refused = await onboard(['--client-id', clientId, '--kid-length', '15']);

    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `Client ${clientId} already has invoices, so changing kid.length is refused: every future KID would change, and payments carrying the KIDs already issued must still match their invoices. Give --confirm-kid-change if the bank and the client have agreed to the new KIDs.\n`,
    );
    expect(hasStackTrace(refused.stderr)).toBe(false);
    expect(await snapshot(env, clientId)).toEqual(before);

    const confirmed = await onboard(['--client-id', clientId, '--kid-length', '15', '--confirm-kid-change']);
    expect(confirmed.code).toBe(0);
    expect(confirmed.stdout).toContain('  kid.length: 12 → 15\n');
    expect((await snapshot(env, clientId)).settings!.kid.length).toBe(15);
  });
});
