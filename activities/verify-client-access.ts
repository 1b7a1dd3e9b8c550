import { ApplicationFailure } from '@temporalio/activity';
import { ExternalServiceError } from '../adapters/external-service-error';
import type { PowerOfficeV1Port } from '../adapters/poweroffice/v1-client';
import type { PowerOfficeV2Port } from '../adapters/poweroffice/v2-client';
import type { SecretCipher } from '../adapters/secrets/secret-cipher';
import { accountRoleNames, type AccountMapping, type EncryptedSecret } from '../domain/client-settings';

export interface PowerOfficeAccess {
  v1(clientKey: string): PowerOfficeV1Port;
  v2(clientKey: string): PowerOfficeV2Port;
}

/** The environment the service does not use, to tell "wrong key" from "key of the other environment". */
export interface OtherPowerOfficeEnvironment {
  name: 'demo' | 'production';
  access: PowerOfficeAccess;
}

export interface VerifyClientAccessInput {
  clientId: string;
  clientKey: EncryptedSecret;
  accountMapping?: AccountMapping;
}

export interface VerifiedClientAccess {
  clientName?: string;
  privileges: string[];
}

/** v2 privileges (reference poweroffice.md §3) and why we need each; `_Full` also satisfies the read one. */
const PRIVILEGES_FOR_DISTRIBUTION = [{ privilege: 'Customer', why: 'read customer cards (postal address, e-mail, organisation number)' }];
const PRIVILEGES_FOR_RETURN_DATA = [
  { privilege: 'GeneralLedgerAccount', why: 'look up the mapped accounts' },
  { privilege: 'CommonServices', why: 'look up VAT codes' },
  { privilege: 'BankVoucher_Full', why: 'post payments as bank vouchers' },
  { privilege: 'ManualVoucher_Full', why: 'post fees and balance changes as manual vouchers' },
];

function missingPrivileges(valid: string[], needed: { privilege: string; why: string }[]): string[] {
  const granted = new Set(valid.map((p) => p.toLowerCase()));
  return needed
    .filter(({ privilege }) => !granted.has(privilege.toLowerCase()) && !granted.has(`${privilege.toLowerCase()}_full`))
    .map(({ privilege, why }) => `missing PowerOffice privilege ${privilege} (needed to ${why})`);
}

async function whyTokenRefused(other: OtherPowerOfficeEnvironment | undefined, clientKey: string, ownEnvironment: string): Promise<string> {
  if (other) {
    try {
      await other.access.v2(clientKey).clientIntegrationInformation();
      return `the client key belongs to PowerOffice's ${other.name} environment, but this service uses ${ownEnvironment}: ask the client for a key from ${ownEnvironment} (Settings > Extensions)`;
    } catch {
      // Refused there too: the key itself is wrong.
    }
  }
  return `PowerOffice refused the client key in the ${ownEnvironment} environment: check that the client copied the whole key from Settings > Extensions, that the extension is still active, and that the key is from the ${ownEnvironment} environment`;
}

async function accountProblems(v2: PowerOfficeV2Port, mapping: AccountMapping): Promise<string[]> {
  const wanted = Object.entries(mapping) as [keyof AccountMapping, number][];
  const accounts = await v2.generalLedgerAccounts(wanted.map(([, no]) => no));
  const problems = wanted.flatMap(([role, no]) => {
    const account = accounts.find((a) => a.accountNo === no);
    if (!account) return [`account ${no} (${accountRoleNames[role]}) does not exist in the client's chart of accounts`];
    if (account.isActive === false) return [`account ${no} (${accountRoleNames[role]}) is inactive in PowerOffice; activate it or map another account`];
    return [];
  });
  const vatCodes = await v2.vatCodes();
  if (!vatCodes.some((v) => v.code === '0')) problems.push('the client has no VAT code "0" (no VAT), which return-data postings use');
  return problems;
}

/**
 * Everything onboarding checks against the client's PowerOffice GO before it stores anything:
 * the key works, the privileges are granted, the mapped accounts exist and are active.
 * All problems are reported together, each as a sentence an operator can act on.
 */
export function verifyClientAccess(deps: { powerOffice: PowerOfficeAccess; cipher: SecretCipher; environment: string; otherEnvironment?: OtherPowerOfficeEnvironment }) {
  return async function verifyClientAccess(input: VerifyClientAccessInput): Promise<VerifiedClientAccess> {
    const clientKey = deps.cipher.open(input.clientKey);
    const v2 = deps.powerOffice.v2(clientKey);
    let info;
    try {
      info = await v2.clientIntegrationInformation();
    } catch (err) {
      if (err instanceof ExternalServiceError && !err.retryable && (err.httpStatus === 400 || err.httpStatus === 401)) {
        throw ApplicationFailure.nonRetryable(`Client ${input.clientId} cannot be onboarded: ${await whyTokenRefused(deps.otherEnvironment, clientKey, deps.environment)}`, 'OnboardingRefused');
      }
      throw err;
    }

    const problems = missingPrivileges(info.validPrivileges, input.accountMapping ? [...PRIVILEGES_FOR_DISTRIBUTION, ...PRIVILEGES_FOR_RETURN_DATA] : PRIVILEGES_FOR_DISTRIBUTION);
    try {
      await deps.powerOffice.v1(clientKey).availableInvoices({ top: 1 });
    } catch (err) {
      if (!(err instanceof ExternalServiceError) || err.retryable) throw err;
      problems.push(
        err.httpStatus === 403
          ? 'the client has not granted the Factoring privilege (v1 Factoring API answered 403): the extension "Factoring Finans AS – med fakturadistribusjon" must be active'
          : `the v1 Factoring API refused the key: ${err.message}`,
      );
    }
    const canReadAccounts = !problems.some((p) => p.includes('GeneralLedgerAccount') || p.includes('CommonServices'));
    if (input.accountMapping && canReadAccounts) problems.push(...(await accountProblems(v2, input.accountMapping)));

    if (problems.length > 0) {
      throw ApplicationFailure.nonRetryable(
        `Client ${input.clientId} cannot be onboarded:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
        'OnboardingRefused',
        { problems },
      );
    }
    return { ...(info.clientName ? { clientName: info.clientName } : {}), privileges: info.validPrivileges };
  };
}
