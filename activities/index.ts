import type { DistributionPartner } from '../adapters/distribution/partner-api';
import type { SecretCipher } from '../adapters/secrets/secret-cipher';
import type { ClientDirectory } from '../client/client-directory';
import type { InvoiceRegistry } from '../client/invoice-registry';
import type { OpeningWaitConfig } from '../config/config';
import type { FactoringFinansSettings } from '../documents/settings';
import { createPowerOfficeV1Activities, createPowerOfficeV2Activities } from './poweroffice-calls';
import type { FactoringLedger } from '../adapters/ledger/ledger-client';
import type { PeppolDirectory } from '../adapters/peppol-directory/directory-client';
import type { AvailableInvoicePage, AvailableInvoicePageInput } from './fetch-available-invoices';
import { assessInvoice, assessInvoiceReadingEhf } from './invoice/assess-invoice';
import { bookInvoice } from './invoice/book-invoice';
import { allKeptAlive } from './keep-alive';
import { sendInvoice } from './invoice/send-invoice';
import { createOcrImportActivities } from './ocr-import/ocr-import-activities';
import { createReturnDataActivities, returnDataVoucherPosting } from './return-data/return-data-activities';
import { listInvoicesAwaitingWriteBack } from './write-back/list-invoices-awaiting-write-back';
import { invoicesUnderGuidIds } from './invoices-under-guid-ids';
import { writeBackInvoice, writeBackSteps } from './write-back/write-back-invoice';
import type { OtherPowerOfficeEnvironment, PowerOfficeAccess } from './poweroffice-access';
import { powerOfficeStepMoved } from './step-moved';
import { judgeClientAccess, verifyClientAccess } from './verify-client-access';

export interface ActivityDeps {
  clients: ClientDirectory;
  /** The invoice workflows, as the write-back finds them. */
  invoices: InvoiceRegistry;
  /**
   * PowerOffice, every call exactly one request (PowerOfficeConnector.oneRequestPerCall()): for the
   * activities of the rate-limited PowerOffice task queues only (createPowerOfficeActivities).
   */
  powerOffice: PowerOfficeAccess;
  /** 'demo' or 'production': named in onboarding's messages. */
  powerOfficeEnvironment: string;
  /** Onboarding's probe of a key our environment refused, one request per call as well. */
  otherPowerOfficeEnvironment?: OtherPowerOfficeEnvironment;
  cipher: SecretCipher;
  partner: DistributionPartner;
  ledger: FactoringLedger;
  peppol: PeppolDirectory;
  factoringFinans: FactoringFinansSettings;
  accessCodeSecret: string;
  /** The deployment's opening wait and late-opening window; the assessment hands them to the workflow through history. */
  openingWait: OpeningWaitConfig;
}

/**
 * What the main task queue's activities get: everything but PowerOffice. `never` makes handing them
 * a connection a type error, so no PowerOffice request can be made off the rate-limited queues.
 */
export type MainQueueDeps = Omit<ActivityDeps, 'powerOffice' | 'otherPowerOfficeEnvironment'> & { powerOffice?: never; otherPowerOfficeEnvironment?: never };

export function mainQueueDeps(deps: ActivityDeps): MainQueueDeps {
  const { powerOffice: _powerOffice, otherPowerOfficeEnvironment: _other, ...rest } = deps;
  return rest;
}

/**
 * The main task queue's activities, bound to their dependencies; tests pass emulator-backed or
 * fake deps. Each one heartbeats while it runs and stops its outside calls when cancelled
 * (keep-alive.ts). None calls PowerOffice: what they need from it the workflows read on the
 * PowerOffice queues and hand them.
 */
export function createActivities(deps: MainQueueDeps) {
  return allKeptAlive(activitiesOf(deps));
}

function activitiesOf(deps: MainQueueDeps) {
  const invoiceSources = { clients: deps.clients, factoringFinans: deps.factoringFinans, cipher: deps.cipher };
  return {
    listActiveClients: () => deps.clients.activeClientIds(),
    // Batches recorded before the PowerOffice queues fetched pages here: kept by name for a task
    // scheduled before the upgrade, which fails at once; the batch fetches on the v1 queue instead.
    fetchAvailableInvoicePage: async (_input: AvailableInvoicePageInput): Promise<AvailableInvoicePage> => powerOfficeStepMoved('fetchAvailableInvoicePage'),
    assessInvoice: assessInvoice({ ...invoiceSources, peppol: deps.peppol, openingWait: deps.openingWait }),
    bookInvoice: bookInvoice(deps.ledger),
    sendInvoice: sendInvoice({ ...invoiceSources, partner: deps.partner, accessCodeSecret: deps.accessCodeSecret }),
    listInvoicesAwaitingWriteBack: listInvoicesAwaitingWriteBack(deps.invoices),
    invoicesUnderGuidIds: invoicesUnderGuidIds(deps.invoices),
    writeBackInvoice: writeBackInvoice(),
    ...createReturnDataActivities({ clients: deps.clients, ledger: deps.ledger }),
    ...createOcrImportActivities({ ledger: deps.ledger }),
    verifyClientAccess: verifyClientAccess(),
    judgeClientAccess: judgeClientAccess({ environment: deps.powerOfficeEnvironment }),
  };
}

export type Activities = ReturnType<typeof createActivities>;

/** The activities of one PowerOffice task queue (workflows/poweroffice-queues.ts), each one request per attempt. */
export function createPowerOfficeActivities(deps: ActivityDeps, api: 'v1'): PowerOfficeV1QueueActivities;
export function createPowerOfficeActivities(deps: ActivityDeps, api: 'v2'): PowerOfficeV2QueueActivities;
export function createPowerOfficeActivities(deps: ActivityDeps, api: 'v1' | 'v2'): PowerOfficeV1QueueActivities | PowerOfficeV2QueueActivities;
export function createPowerOfficeActivities(deps: ActivityDeps, api: 'v1' | 'v2') {
  return api === 'v1' ? allKeptAlive(powerOfficeV1ActivitiesOf(deps)) : allKeptAlive(powerOfficeV2ActivitiesOf(deps));
}

function powerOfficeV1ActivitiesOf(deps: ActivityDeps) {
  const { clients, powerOffice, cipher, factoringFinans } = deps;
  const reads = createPowerOfficeV1Activities({ clients, powerOffice, cipher });
  return {
    ...reads,
    assessInvoiceReadingEhf: assessInvoiceReadingEhf({ clients, factoringFinans, cipher, peppol: deps.peppol, openingWait: deps.openingWait }, (input) => reads.readInvoiceEhf(input)),
    ...writeBackSteps({ clients, powerOffice, factoringFinans, cipher }),
  };
}

function powerOfficeV2ActivitiesOf(deps: ActivityDeps) {
  const { clients, powerOffice, cipher } = deps;
  const other = deps.otherPowerOfficeEnvironment;
  return {
    ...createPowerOfficeV2Activities({ clients, powerOffice, cipher, ...(other ? { otherEnvironment: other } : {}) }),
    ...returnDataVoucherPosting({ clients, powerOffice }),
  };
}

export type PowerOfficeV1QueueActivities = ReturnType<typeof powerOfficeV1ActivitiesOf>;
export type PowerOfficeV2QueueActivities = ReturnType<typeof powerOfficeV2ActivitiesOf>;
