import type { DocumentType } from './invoice';

/**
 * Business workflow IDs. They are the deduplication key at the Temporal server: the same invoice
 * always maps to the same ID, so a second batch cannot start a second workflow for it.
 * IDs are visible in the Web UI and logs, so they hold identifiers only, never names or addresses.
 *
 * Unambiguous by construction: a client id has no '-' (letters, digits, '_'; the same rule as
 * clientIdSchema in client-settings.ts), so in `invoice-<clientId>-<…>` the first '-' after the
 * prefix ends the client id, and no other pair gives the same ID.
 */
const SAFE_PART = /^[A-Za-z0-9_-]+$/;

/** A client id: 1-40 letters, digits or '_'. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_]{1,40}$/;
/** PowerOffice GO's invoice id: a GUID (8-4-4-4-12 hex digits); invoices from elsewhere may carry a number. */
export const INVOICE_ID_PATTERN = /^(?:[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|\d{1,20})$/;

export const CLIENT_ID_RULE = "a client id is 1-40 letters, digits or '_'";
export const INVOICE_ID_RULE = 'an invoice id is a GUID (8-4-4-4-12 hexadecimal digits) or 1-20 digits';

export class WorkflowIdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkflowIdError';
  }
}

function safe(part: string, what: string): string {
  if (!SAFE_PART.test(part)) throw new WorkflowIdError(`${what} "${part}" may only contain letters, digits, '-' and '_'`);
  return part;
}

export function isClientId(value: string): boolean {
  return CLIENT_ID_PATTERN.test(value);
}

export function isInvoiceId(value: string): boolean {
  return INVOICE_ID_PATTERN.test(value);
}

/** The largest invoice number the partner's events carry (15 digits). */
export const MAX_INVOICE_NO = 999_999_999_999_999;

/**
 * Any whole number from 1 that PowerOffice GO's schema lets through (v1-schemas.ts): a number the id
 * refused would stop the batch at that page, so the id takes every one the fetch takes.
 */
export function isInvoiceNo(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 1;
}

/** What names an invoice's workflow: a FactoringDocument has it. */
export interface InvoiceIdentity {
  clientId: string;
  invoiceNo: number;
  documentType: DocumentType;
}

/**
 * `invoice-1001-10023`, `credit-note-1001-10024`: the number an operator reads on the invoice, so it
 * can be typed into the Web UI (PowerOffice's GUID is in the search attribute `InvoiceId`).
 *
 * Unique: GO issues an invoice number once per client (the KID is built from it). Whether credit notes
 * take their numbers from the same series as invoices is documented nowhere we have
 * (../shared/reference/poweroffice*.md name `invoiceNo` on both and no series), and the write-back
 * already allows a credit note to share an invoice's number; so credit notes have a prefix of their
 * own, and an invoice and a credit note with the same number still get two IDs.
 */
export function invoiceWorkflowId({ clientId, invoiceNo, documentType }: InvoiceIdentity): string {
  if (!isClientId(clientId)) throw new WorkflowIdError(`client id "${clientId}" is not valid: ${CLIENT_ID_RULE}`);
  if (!isInvoiceNo(invoiceNo)) throw new WorkflowIdError(`invoice number ${invoiceNo} is not valid: a whole number from 1`);
  return `${documentType === 'CreditNote' ? 'credit-note' : 'invoice'}-${clientId}-${invoiceNo}`;
}

/**
 * The ID invoices were started under before IDs held the number: `invoice-<clientId>-<invoiceId>`
 * (PowerOffice's GUID). Those workflows run on (an e-mail waits days for its opening) and keep their
 * ID to the end: a batch retries such an invoice under it (old-id-invoices in batch-workflow.ts),
 * and the webhook finds it by it. No invoice gets an ID of this form for the first time any more.
 */
export function guidInvoiceWorkflowId(clientId: string, invoiceId: string): string {
  if (!isClientId(clientId)) throw new WorkflowIdError(`client id "${clientId}" is not valid: ${CLIENT_ID_RULE}`);
  if (!isInvoiceId(invoiceId)) throw new WorkflowIdError(`invoice id "${invoiceId}" is not valid: ${INVOICE_ID_RULE}`);
  return `invoice-${clientId}-${invoiceId}`;
}

export type ParsedInvoiceWorkflowId =
  | ({ form: 'number' } & InvoiceIdentity)
  | { form: 'guid'; clientId: string; invoiceId: string };

/**
 * The inverse of invoiceWorkflowId and guidInvoiceWorkflowId; undefined for any other ID. All digits
 * after the client id is a number: PowerOffice's invoice ids are GUIDs, so no workflow was ever
 * started under an all-digit invoice id outside tests.
 */
export function parseInvoiceWorkflowId(workflowId: string): ParsedInvoiceWorkflowId | undefined {
  const match = /^(invoice|credit-note)-([A-Za-z0-9_]{1,40})-(.+)$/.exec(workflowId);
  if (!match) return undefined;
  const [, prefix, clientId, rest] = match as unknown as [string, string, string, string];
  if (/^[1-9]\d{0,15}$/.test(rest) && isInvoiceNo(Number(rest))) return { form: 'number', clientId, invoiceNo: Number(rest), documentType: prefix === 'credit-note' ? 'CreditNote' : 'Invoice' };
  if (prefix === 'invoice' && isInvoiceId(rest)) return { form: 'guid', clientId, invoiceId: rest };
  return undefined;
}

/** `osloCompactTime` as from osloCompact(): 20261128T160500. */
export function batchWorkflowId(trigger: string, osloCompactTime: string): string {
  return `batch-${safe(trigger, 'trigger')}-${safe(osloCompactTime, 'time')}`;
}

/** A write-back run: `write-back-manual-20261130T153000`; the schedule's runs are `write-back-scheduled-<time>`. */
export function writeBackWorkflowId(trigger: string, osloCompactTime: string): string {
  return `write-back-${safe(trigger, 'trigger')}-${safe(osloCompactTime, 'time')}`;
}
