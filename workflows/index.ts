/** The worker bundles this module: every workflow type the task queue serves. */
export { batchWorkflow } from './batch-workflow';
export { invoiceWorkflow } from './invoice-workflow';
export { clientSettingsWorkflow } from './client-settings-workflow';
export { onboardingCheckWorkflow } from './onboarding-check-workflow';
export { writeBackWorkflow } from './write-back-workflow';
export { returnDataWorkflow } from './return-data-workflow';
export { clientReturnDataWorkflow } from './client-return-data-workflow';
export { ocrImportWorkflow } from './ocr-import-workflow';
