import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { VerifiedClientAccess, VerifyClientAccessInput } from '../activities/verify-client-access';

/** An operator is waiting at the terminal: a few quick tries, then the reason. */
const onboardingChecks = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3, initialInterval: '2 seconds', nonRetryableErrorTypes: ['OnboardingRefused', 'ExternalServiceRefused'] },
});

/**
 * Runs onboarding's checks on the worker (which holds the PowerOffice connection and the
 * decryption key); the onboarding command stores the settings only when this succeeds.
 */
export async function onboardingCheckWorkflow(input: VerifyClientAccessInput): Promise<VerifiedClientAccess> {
  return onboardingChecks.verifyClientAccess(input);
}
