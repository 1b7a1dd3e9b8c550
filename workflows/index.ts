/** The worker bundles this module: every workflow type the task queue serves. */
export { batchWorkflow } from './batch-workflow';
export { invoiceWorkflow } from './invoice-workflow';
export { clientSettingsWorkflow } from './client-settings-workflow';
export { onboardingCheckWorkflow } from './onboarding-check-workflow';
