import { ApplicationFailure } from '@temporalio/activity';
import { accountRoleNames, type AccountMapping, type EncryptedSecret } from '../domain/client-settings';
import { missingPrivileges, PRIVILEGES_FOR_DISTRIBUTION, PRIVILEGES_FOR_RETURN_DATA } from '../domain/poweroffice-privileges';
import type { LedgerAccountFound, NoVatCodeFound } from './poweroffice-calls';
import { powerOfficeStepMoved } from './step-moved';

export type { OtherPowerOfficeEnvironment, PowerOfficeAccess } from './poweroffice-access';

export interface VerifyClientAccessInput {
  clientId: string;
  clientKey: EncryptedSecret;
  accountMapping?: AccountMapping;
}

export interface VerifiedClientAccess {
  clientName?: string;
  privileges: string[];
}

/**
 * What onboarding's workflow read from the client's PowerOffice GO, one request per activity on the
 * PowerOffice queues (workflows/onboarding-check-workflow.ts): numbers, flags and PowerOffice's
 * refusals, never the client key (it stays sealed in the workflow's input).
 */
export interface ClientAccessAnswers {
  clientId: string;
  accountMapping?: AccountMapping;
  /** v2 ClientIntegrationInformation, or "the token endpoint refused the key". */
  integration: { accepted: true; clientName?: string; validPrivileges: string[] } | { accepted: false };
  /** For a refused key: whether the other environment accepted it (absent or null: not configured, or no answer). */
  otherEnvironment?: { environment: 'demo' | 'production'; accepted: boolean } | { environment: null };
  /** v1 `Factoring/AvailableInvoices?$top=1`: allowed, or PowerOffice's refusal. */
  factoring?: { ok: true } | { ok: false; httpStatus: number | null; message: string };
  /** Read only with a mapping and the privileges to read them. */
  accounts?: LedgerAccountFound[];
  noVatCodes?: NoVatCodeFound[];
}

function whyTokenRefused(other: ClientAccessAnswers['otherEnvironment'], ownEnvironment: string): string {
  if (other?.environment && other.accepted) {
    return `the client key belongs to PowerOffice's ${other.environment} environment, but this service uses ${ownEnvironment}: ask the client for a key from ${ownEnvironment} (Settings > Extensions)`;
  }
  return `PowerOffice refused the client key in the ${ownEnvironment} environment: check that the client copied the whole key from Settings > Extensions, that the extension is still active, and that the key is from the ${ownEnvironment} environment`;
}

function accountProblems(mapping: AccountMapping, accounts: LedgerAccountFound[], noVatCodes: NoVatCodeFound[]): string[] {
  const wanted = Object.entries(mapping) as [keyof AccountMapping, number][];
  const problems = wanted.flatMap(([role, no]) => {
    const account = accounts.find((a) => a.accountNo === no);
    if (!account) return [`account ${no} (${accountRoleNames[role]}) does not exist in the client's chart of accounts`];
    if (!account.active) return [`account ${no} (${accountRoleNames[role]}) is inactive in PowerOffice; activate it or map another account`];
    return [];
  });
  if (noVatCodes.length === 0) problems.push('the client has no VAT code "0" (no VAT), which return-data postings use');
  return problems;
}

/**
 * Onboarding's verdict on what its workflow read: the key works, the privileges are granted, the
 * mapped accounts exist and are active. All problems are reported together, each as a sentence an
 * operator can act on. Pure: it makes no request (the main queue has no PowerOffice connection).
 */
export function judgeClientAccess(deps: { environment: string }) {
  return async function judgeClientAccess(answers: ClientAccessAnswers): Promise<VerifiedClientAccess> {
    const { clientId, integration } = answers;
    if (!integration.accepted) {
      throw ApplicationFailure.nonRetryable(`Client ${clientId} cannot be onboarded: ${whyTokenRefused(answers.otherEnvironment, deps.environment)}`, 'OnboardingRefused');
    }
    const problems = missingPrivileges(integration.validPrivileges, answers.accountMapping ? [...PRIVILEGES_FOR_DISTRIBUTION, ...PRIVILEGES_FOR_RETURN_DATA] : PRIVILEGES_FOR_DISTRIBUTION);
    if (answers.factoring && !answers.factoring.ok) {
      problems.push(
        answers.factoring.httpStatus === 403
          ? 'the client has not granted the Factoring privilege (v1 Factoring API answered 403): the extension "Factoring Finans AS – med fakturadistribusjon" must be active'
          : `the v1 Factoring API refused the key: ${answers.factoring.message}`,
      );
    }
    if (answers.accountMapping && answers.accounts && answers.noVatCodes) problems.push(...accountProblems(answers.accountMapping, answers.accounts, answers.noVatCodes));

    if (problems.length > 0) {
      throw ApplicationFailure.nonRetryable(
        `Client ${clientId} cannot be onboarded:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
        'OnboardingRefused',
        { problems },
      );
    }
    return { ...(integration.clientName ? { clientName: integration.clientName } : {}), privileges: integration.validPrivileges };
  };
}

/**
 * Onboarding's checks in one activity, making every request itself off the rate-limited queues:
 * what onboarding checks recorded before the checks moved to the PowerOffice queues scheduled.
 * Kept by name for a task scheduled before the upgrade: it fails at once and the workflow reads on
 * the queues instead (workflows/onboarding-check-workflow.ts).
 */
export function verifyClientAccess() {
  return async function verifyClientAccess(_input: VerifyClientAccessInput): Promise<VerifiedClientAccess> {
    return powerOfficeStepMoved('verifyClientAccess');
  };
}
