/**
 * Business workflow IDs. They are the deduplication key at the Temporal server: the same invoice
 * always maps to the same ID, so a second batch cannot start a second workflow for it.
 * IDs are visible in the Web UI and logs, so they hold identifiers only, never names or addresses.
 *
 * Unambiguous by construction: a client id has no '-' (letters, digits, '_'; the same rule as
 * clientIdSchema in client-settings.ts), so in `invoice-<clientId>-<invoiceId>` the first '-'
 * after the prefix ends the client id, and no other (clientId, invoiceId) pair gives the same ID.
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

export function invoiceWorkflowId(clientId: string, invoiceId: string): string {
  if (!isClientId(clientId)) throw new WorkflowIdError(`client id "${clientId}" is not valid: ${CLIENT_ID_RULE}`);
  if (!isInvoiceId(invoiceId)) throw new WorkflowIdError(`invoice id "${invoiceId}" is not valid: ${INVOICE_ID_RULE}`);
  return `invoice-${clientId}-${invoiceId}`;
}

/** The inverse of invoiceWorkflowId; undefined for any other ID. */
export function parseInvoiceWorkflowId(workflowId: string): { clientId: string; invoiceId: string } | undefined {
  const match = /^invoice-([A-Za-z0-9_]{1,40})-(.+)$/.exec(workflowId);
  if (!match || !isInvoiceId(match[2]!)) return undefined;
  return { clientId: match[1]!, invoiceId: match[2]! };
}

/** `osloCompactTime` as from osloCompact(): 20261128T160500. */
export function batchWorkflowId(trigger: string, osloCompactTime: string): string {
  return `batch-${safe(trigger, 'trigger')}-${safe(osloCompactTime, 'time')}`;
}

/** A write-back run: `write-back-manual-20261130T153000`; the schedule's runs are `write-back-scheduled-<time>`. */
export function writeBackWorkflowId(trigger: string, osloCompactTime: string): string {
  return `write-back-${safe(trigger, 'trigger')}-${safe(osloCompactTime, 'time')}`;
}
