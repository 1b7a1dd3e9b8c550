import type { DistributionPartner } from '../adapters/distribution/partner-api';
import type { SecretCipher } from '../adapters/secrets/secret-cipher';
import type { ClientDirectory } from '../client/client-directory';
import type { InvoiceRegistry } from '../client/invoice-registry';
import type { OpeningWaitConfig } from '../config/config';
import type { FactoringFinansSettings } from '../documents/settings';
import { fetchAvailableInvoicePage } from './fetch-available-invoices';
import { createPowerOfficeV1Activities, createPowerOfficeV2Activities } from './poweroffice-calls';
import type { FactoringLedger } from '../adapters/ledger/ledger-client';
import type { PeppolDirectory } from '../adapters/peppol-directory/directory-client';
import { assessInvoice } from './invoice/assess-invoice';
import { bookInvoice } from './invoice/book-invoice';
import { createInvoiceCaches } from './invoice/invoice-context';
import { allKeptAlive } from './keep-alive';
import { sendInvoice } from './invoice/send-invoice';
import { createOcrImportActivities } from './ocr-import/ocr-import-activities';
import { createReturnDataActivities } from './return-data/return-data-activities';
import { listInvoicesAwaitingWriteBack } from './write-back/list-invoices-awaiting-write-back';
import { writeBackInvoice, writeBackSteps } from './write-back/write-back-invoice';
import { verifyClientAccess, type OtherPowerOfficeEnvironment, type PowerOfficeAccess } from './verify-client-access';

export interface ActivityDeps {
  clients: ClientDirectory;
  /** The invoice workflows, as the write-back finds them. */
  invoices: InvoiceRegistry;
  powerOffice: PowerOfficeAccess;
  /**
   * The same PowerOffice where every call is exactly one request (PowerOfficeConnector.
   * oneRequestPerCall): for the activities of the rate-limited PowerOffice task queues.
   */
  powerOfficeOneRequestPerCall: PowerOfficeAccess;
  /** 'demo' or 'production': named in onboarding's messages. */
  powerOfficeEnvironment: string;
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
 * All activities, bound to their dependencies; tests pass emulator-backed or fake deps. Each one
 * heartbeats while it runs and stops its outside calls when cancelled (keep-alive.ts).
 */
export function createActivities(deps: ActivityDeps) {
  return allKeptAlive(activitiesOf(deps));
}

function activitiesOf(deps: ActivityDeps) {
  const powerOfficeFor = async (clientId: string) => deps.powerOffice.v1(await deps.clients.clientKey(clientId));
  const invoiceSources = { clients: deps.clients, powerOffice: deps.powerOffice, factoringFinans: deps.factoringFinans, caches: createInvoiceCaches(), cipher: deps.cipher };
  return {
    listActiveClients: () => deps.clients.activeClientIds(),
    // Runs on the main queue only for batches that scheduled it there before the PowerOffice
    // queues existed; new ones fetch on the v1 queue (activities/poweroffice-calls.ts).
    fetchAvailableInvoicePage: fetchAvailableInvoicePage(powerOfficeFor),
    assessInvoice: assessInvoice({ ...invoiceSources, peppol: deps.peppol, openingWait: deps.openingWait }),
    bookInvoice: bookInvoice(deps.ledger),
    sendInvoice: sendInvoice({ ...invoiceSources, partner: deps.partner, accessCodeSecret: deps.accessCodeSecret }),
    listInvoicesAwaitingWriteBack: listInvoicesAwaitingWriteBack(deps.invoices),
    writeBackInvoice: writeBackInvoice(invoiceSources),
    ...createReturnDataActivities({ clients: deps.clients, powerOffice: deps.powerOffice, ledger: deps.ledger }),
    ...createOcrImportActivities({ ledger: deps.ledger }),
    verifyClientAccess: verifyClientAccess({
      powerOffice: deps.powerOffice,
      cipher: deps.cipher,
      environment: deps.powerOfficeEnvironment,
      ...(deps.otherPowerOfficeEnvironment ? { otherEnvironment: deps.otherPowerOfficeEnvironment } : {}),
    }),
  };
}

export type Activities = ReturnType<typeof createActivities>;

/** The activities of one PowerOffice task queue (workflows/poweroffice-queues.ts), each one request per attempt. */
export function createPowerOfficeActivities(deps: ActivityDeps, api: 'v1' | 'v2') {
  return allKeptAlive(api === 'v1' ? powerOfficeV1ActivitiesOf(deps) : powerOfficeV2ActivitiesOf(deps));
}

function powerOfficeV1ActivitiesOf(deps: ActivityDeps) {
  const powerOffice = deps.powerOfficeOneRequestPerCall;
  return {
    ...createPowerOfficeV1Activities({ clients: deps.clients, powerOffice, cipher: deps.cipher }),
    ...writeBackSteps({ clients: deps.clients, powerOffice, factoringFinans: deps.factoringFinans, caches: createInvoiceCaches(), cipher: deps.cipher }),
  };
}

function powerOfficeV2ActivitiesOf(deps: ActivityDeps) {
  const powerOffice = deps.powerOfficeOneRequestPerCall;
  // Posting a voucher is one request; the return-data lookups stay on the main queue (see client-return-data-workflow.ts).
  const returnData = createReturnDataActivities({ clients: deps.clients, powerOffice, ledger: deps.ledger });
  return { ...createPowerOfficeV2Activities({ clients: deps.clients, powerOffice, cipher: deps.cipher }), postReturnDataVoucher: returnData.postReturnDataVoucher.bind(returnData) };
}

export type PowerOfficeV1QueueActivities = ReturnType<typeof powerOfficeV1ActivitiesOf>;
export type PowerOfficeV2QueueActivities = ReturnType<typeof powerOfficeV2ActivitiesOf>;
