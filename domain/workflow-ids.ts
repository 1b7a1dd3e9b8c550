/**
 * Business workflow IDs. They are the deduplication key at the Temporal server: the same invoice
 * always maps to the same ID, so a second batch cannot start a second workflow for it.
 * IDs are visible in the Web UI and logs, so they hold identifiers only, never names or addresses.
 */
const SAFE_PART = /^[A-Za-z0-9_-]+$/;

function safe(part: string, what: string): string {
  if (!SAFE_PART.test(part)) throw new Error(`${what} "${part}" may only contain letters, digits, '-' and '_'`);
  return part;
}

export function invoiceWorkflowId(clientId: string, invoiceId: string): string {
  return `invoice-${safe(clientId, 'client id')}-${safe(invoiceId, 'invoice id')}`;
}

/** `osloCompactTime` as from osloCompact(): 20261128T160500. */
export function batchWorkflowId(trigger: string, osloCompactTime: string): string {
  return `batch-${safe(trigger, 'trigger')}-${safe(osloCompactTime, 'time')}`;
}

/** A write-back run: `write-back-manual-20261130T153000`; the schedule's runs are `write-back-scheduled-<time>`. */
export function writeBackWorkflowId(trigger: string, osloCompactTime: string): string {
  return `write-back-${safe(trigger, 'trigger')}-${safe(osloCompactTime, 'time')}`;
}
