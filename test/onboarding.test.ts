import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { onboardClient, setClientStatus, storedSettings } from '../client/onboarding';
import { powerOfficeSeedSchema, type PowerOfficeSeed } from '../emulators/poweroffice/fixture-schema';
import { startEmulators, type RunningEmulators } from '../emulators/start';
import { batchWorkflow } from '../workflows/batch-workflow';
import { clientSettingsWorkflowId } from '../workflows/client-settings-workflow';
import { eventually } from './helpers/eventually';
import { APPLICATION_KEY, cipherOf, nextKidClientNumber, startService, SUBSCRIPTION_KEY, type ServiceUnderTest } from './helpers/service';
import { startLocalTemporal } from './helpers/temporal';

/** Onboarding as an operator runs it: the real worker checks the key against the PowerOffice emulator. */
const FULL_MAPPING = { receivables: 1510, administrativeFees: 6970, financialFees: 6975, bankPayouts: 1920, factoringBalance: 2990 };

function seedFor(clientId: string, integration: Record<string, unknown> = {}): PowerOfficeSeed {
  return powerOfficeSeedSchema.parse({
    applicationKey: APPLICATION_KEY,
    subscriptionKey: SUBSCRIPTION_KEY,
    companies: [
      {
        clientId,
        clientKey: `key-${clientId}`,
        name: `Onboarding ${clientId} AS`,
        organizationNumber: '923609016',
        availableInvoices: [{ id: randomUUID(), invoiceNo: 700, totalAmount: 250, customerCode: 10010 }],
        clientIntegrationInformation: integration,
      },
    ],
  });
}

/** The operator's view of a refusal: the innermost failure's message. */
async function refusal(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt;
  } catch (err) {
    let innermost: unknown = err;
    while (innermost instanceof Error && innermost.cause instanceof Error) innermost = innermost.cause;
    if (err instanceof WorkflowFailedError || err instanceof Error) return (innermost as Error).message;
  }
  throw new Error('expected the onboarding to be refused');
}

describe('onboarding a client', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest | undefined;
  let other: RunningEmulators | undefined;

  beforeAll(async () => {
    env = await startLocalTemporal();
  });
  afterEach(async () => {
    await service?.stop();
    await other?.close();
    service = undefined;
    other = undefined;
  });
  afterAll(async () => {
    await env?.teardown();
  });

  async function serviceFor(seed: PowerOfficeSeed, configOverrides: Record<string, string> = {}) {
    service = await startService(env, seed, { onboard: false, configOverrides });
    return service;
  }

  /** Our client ids are not numbers, so each gets its own KID client number, the same every time. */
  const kidNumbers = new Map<string, number>();
  function kidNumberOf(clientId: string): number {
    if (!kidNumbers.has(clientId)) kidNumbers.set(clientId, nextKidClientNumber());
    return kidNumbers.get(clientId)!;
  }

  function onboard(clientId: string, settings: Record<string, unknown> = {}, clientKey: string | undefined = `key-${clientId}`) {
    const kid = { ...(settings.kid as Record<string, unknown> | undefined), clientNumber: kidNumberOf(clientId) };
    return onboardClient(env.client, service!.taskQueue, cipherOf(service!.config), {
      settings: { clientId, ...settings, kid },
      ...(clientKey !== undefined ? { clientKey } : {}),
    });
  }

  async function cleanUp(clientId: string) {
    await env.client.workflow.getHandle(clientSettingsWorkflowId(clientId)).terminate('test finished').catch(() => undefined);
  }

  test('stores the settings durably, with the client key only as ciphertext', async () => {
    const clientId = `on${randomUUID().slice(0, 6)}`;
    await serviceFor(seedFor(clientId));
    try {
      const result = await onboard(clientId, { emailAlternative: 2, kid: { scheme: 'mod11', length: 12 }, accountMapping: FULL_MAPPING });

      expect(result.changed).toBe(true);
      expect(await storedSettings(env.client, clientId)).toMatchObject({
        clientId,
        clientName: `Onboarding ${clientId} AS`,
        emailAlternative: 2,
        kid: { scheme: 'mod11', length: 12, clientNumber: kidNumberOf(clientId) },
        accountMapping: FULL_MAPPING,
        status: 'Active',
      });
      const history = JSON.stringify(await env.client.workflow.getHandle(clientSettingsWorkflowId(clientId)).fetchHistory());
      expect(history).not.toContain(`key-${clientId}`);
      const description = await env.client.workflow.getHandle(clientSettingsWorkflowId(clientId)).describe();
      expect(description.status.name).toBe('RUNNING');
    } finally {
      await cleanUp(clientId);
    }
  });

  test('running it twice changes nothing; a later change without the key keeps the stored key', async () => {
    const clientId = `tw${randomUUID().slice(0, 6)}`;
    await serviceFor(seedFor(clientId));
    try {
      const first = await onboard(clientId, { accountMapping: FULL_MAPPING });
      const second = await onboard(clientId, { accountMapping: FULL_MAPPING });
      expect(second.changed).toBe(false);
      expect(second.settings.clientKey).toEqual(first.settings.clientKey);

      const changed = await onboard(clientId, { accountMapping: FULL_MAPPING, emailAlternative: 2 }, undefined);
      expect(changed.changed).toBe(true);
      expect(changed.settings.emailAlternative).toBe(2);
      expect(changed.settings.clientKey).toEqual(first.settings.clientKey);
    } finally {
      await cleanUp(clientId);
    }
  });

  test('a disabled client gets no batch; enabled again, it does', async () => {
    const clientId = `ds${randomUUID().slice(0, 6)}`;
    await serviceFor(seedFor(clientId));
    try {
      await onboard(clientId);
      const batchSees = async (client: Client) => {
        const result = await client.workflow.execute(batchWorkflow, { workflowId: `batch-${randomUUID()}`, taskQueue: service!.taskQueue, args: [{ force: true }] });
        return clientId in result.clients;
      };

      expect((await setClientStatus(env.client, clientId, 'Disabled', 'contract ended')).settings).toMatchObject({ status: 'Disabled', statusReason: 'contract ended' });
      expect(await eventually(() => batchSees(env.client), (seen) => !seen)).toBe(false);

      await setClientStatus(env.client, clientId, 'Active');
      expect(await eventually(() => batchSees(env.client), (seen) => seen)).toBe(true);
    } finally {
      await cleanUp(clientId);
    }
  });

  test('a wrong client key is refused with what to check, and nothing is stored', async () => {
    const clientId = `wk${randomUUID().slice(0, 6)}`;
    await serviceFor(seedFor(clientId));
    const message = await refusal(onboard(clientId, {}, 'a-key-that-does-not-exist'));
    expect(message).toBe(
      `Client ${clientId} cannot be onboarded: PowerOffice refused the client key in the demo environment: check that the client copied the whole key from Settings > Extensions, that the extension is still active, and that the key is from the demo environment`,
    );
    expect(await storedSettings(env.client, clientId)).toBeUndefined();
  });

  test('a key from the other PowerOffice environment is named as such', async () => {
    const clientId = `ev${randomUUID().slice(0, 6)}`;
    other = await startEmulators({ distributionApiKey: 'unused', seed: { ...seedFor(clientId), applicationKey: 'production-application-key' } });
    // This service runs against "demo"; the key exists only in the other ("production") emulator.
    await serviceFor(seedFor(`unrelated${clientId}`), {
      POWEROFFICE_OTHER_APPLICATION_KEY: 'production-application-key',
      POWEROFFICE_OTHER_SUBSCRIPTION_KEY: SUBSCRIPTION_KEY,
      POWEROFFICE_OTHER_V1_BASE_URL: other.powerOfficeUrl,
      POWEROFFICE_OTHER_V2_BASE_URL: other.powerOfficeV2Url,
      POWEROFFICE_OTHER_V2_TOKEN_URL: other.powerOfficeV2TokenUrl,
    });
    expect(await refusal(onboard(clientId))).toBe(
      `Client ${clientId} cannot be onboarded: the client key belongs to PowerOffice's production environment, but this service uses demo: ask the client for a key from demo (Settings > Extensions)`,
    );
  });

  test('missing privileges are listed by name, with what each is needed for', async () => {
    const clientId = `pv${randomUUID().slice(0, 6)}`;
    await serviceFor(seedFor(clientId, { ValidPrivileges: ['Customer', 'GeneralLedgerAccount', 'CommonServices'], InvalidPrivileges: ['Factoring', 'BankVoucher_Full', 'ManualVoucher_Full'] }));
    const message = await refusal(onboard(clientId, { accountMapping: FULL_MAPPING }));
    expect(message.split('\n')).toEqual([
      `Client ${clientId} cannot be onboarded:`,
      '  - missing PowerOffice privilege BankVoucher_Full (needed to post payments as bank vouchers)',
      '  - missing PowerOffice privilege ManualVoucher_Full (needed to post fees and balance changes as manual vouchers)',
      '  - the client has not granted the Factoring privilege (v1 Factoring API answered 403): the extension "Factoring Finans AS – med fakturadistribusjon" must be active',
    ]);
    expect(await storedSettings(env.client, clientId)).toBeUndefined();
  });

  test('an unknown or inactive mapped account is named with its role', async () => {
    const clientId = `ac${randomUUID().slice(0, 6)}`;
    await serviceFor(seedFor(clientId));
    const message = await refusal(onboard(clientId, { accountMapping: { ...FULL_MAPPING, receivables: 1599, administrativeFees: 6976 } }));
    expect(message.split('\n')).toEqual([
      `Client ${clientId} cannot be onboarded:`,
      "  - account 1599 (receivables (kundereskontro)) does not exist in the client's chart of accounts",
      '  - account 6976 (administrative fees) is inactive in PowerOffice; activate it or map another account',
    ]);
  });

  test('a KID client number already used by another client is refused: KIDs stay unique', async () => {
    const first = `k1${randomUUID().slice(0, 6)}`;
    const second = `k2${randomUUID().slice(0, 6)}`;
    const seed = seedFor(first);
    seed.companies.push({ ...seed.companies[0]!, clientId: second, clientKey: `key-${second}` });
    await serviceFor(seed);
    try {
      kidNumbers.set(second, kidNumberOf(first));
      await onboard(first);
      await expect(onboard(second)).rejects.toThrow(`KID client number ${kidNumberOf(first)} is already used by client ${first}: KIDs must be unique across clients`);
    } finally {
      await cleanUp(first);
    }
  });

  test('a client id that is not a number needs a KID client number', async () => {
    const clientId = `nk${randomUUID().slice(0, 6)}`;
    await serviceFor(seedFor(clientId));
    await expect(
      onboardClient(env.client, service!.taskQueue, cipherOf(service!.config), { settings: { clientId }, clientKey: `key-${clientId}` }),
    ).rejects.toThrow(`Invalid client settings: client ${clientId} needs a KID client number (1-99999): its id is not one (give --kid-client-number)`);
  });

  test('settings that break the rules are refused before anything is checked', async () => {
    const clientId = `bd${randomUUID().slice(0, 6)}`;
    await serviceFor(seedFor(clientId));
    await expect(onboard(clientId, { emailAlternative: 3 })).rejects.toThrow(/emailAlternative/);
    await expect(onboard('not a valid id!')).rejects.toThrow('Invalid client settings: clientId: a client id is 1-40 letters, digits');
  });
});
