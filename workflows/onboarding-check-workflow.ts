import { patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ClientAccessAnswers, VerifiedClientAccess, VerifyClientAccessInput } from '../activities/verify-client-access';
import { mayReadAccounts } from '../domain/poweroffice-privileges';
import { powerOfficeV1OnboardingReads, powerOfficeV2OnboardingReads } from './activity-policies';
import { isPowerOfficeStepMoved } from './poweroffice-queues';

/** An operator is waiting at the terminal: a few quick tries, then the reason. */
const onboardingChecks = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3, initialInterval: '2 seconds', nonRetryableErrorTypes: ['OnboardingRefused', 'ExternalServiceRefused'] },
});

/**
 * Patch id: the checks read PowerOffice one request per activity on the PowerOffice task queues,
 * under the deployment's shared rate limit; runs recorded before ran them all in verifyClientAccess.
 */
const CHECKS_ON_POWEROFFICE_QUEUES = 'onboarding-checks-on-poweroffice-queues';

/**
 * Runs onboarding's checks on the worker (which holds the PowerOffice connection and the
 * decryption key); the onboarding command stores the settings only when this succeeds. Each
 * PowerOffice request is its own activity on the API's queue; the verdict, worded for the operator,
 * comes from judgeClientAccess on the main queue, which makes no request.
 */
export async function onboardingCheckWorkflow(input: VerifyClientAccessInput): Promise<VerifiedClientAccess> {
  if (!patched(CHECKS_ON_POWEROFFICE_QUEUES)) {
    try {
      return await onboardingChecks.verifyClientAccess(input);
    } catch (err) {
      // A check scheduled before the upgrade, when the main queue still called PowerOffice.
      if (!isPowerOfficeStepMoved(err)) throw err;
    }
  }
  return onboardingChecks.judgeClientAccess(await readAnswers(input));
}

async function readAnswers({ clientId, clientKey, accountMapping }: VerifyClientAccessInput): Promise<ClientAccessAnswers> {
  const v1 = powerOfficeV1OnboardingReads();
  const v2 = powerOfficeV2OnboardingReads();
  const key = { clientId, clientKey };
  const mapping = accountMapping ? { accountMapping } : {};
  const integration = await v2.readClientIntegration(key);
  if (!integration.accepted) {
    let otherEnvironment: ClientAccessAnswers['otherEnvironment'];
    try {
      otherEnvironment = await v2.probeOtherEnvironment({ clientKey });
    } catch {
      // No answer from the other environment: the refusal is told without it, as before.
    }
    return { clientId, ...mapping, integration, ...(otherEnvironment ? { otherEnvironment } : {}) };
  }
  const factoring = await v1.probeFactoringAccess(key);
  if (!accountMapping || !mayReadAccounts(integration.validPrivileges)) return { clientId, ...mapping, integration, factoring };
  const { accounts } = await v2.readLedgerAccounts({ ...key, accountNos: Object.values(accountMapping) });
  const { noVatCodes } = await v2.readNoVatCodes(key);
  return { clientId, ...mapping, integration, factoring, accounts, noVatCodes };
}
