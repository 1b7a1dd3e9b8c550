import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Typed search attributes: the columns operators filter on in the Web UI. Identifiers and states
 * only, never personal data (search attributes are not encrypted).
 * The dev server, the tests and docker-compose register exactly this list.
 */
export const ClientId = defineSearchAttributeKey('ClientId', SearchAttributeType.KEYWORD);
export const InvoiceNo = defineSearchAttributeKey('InvoiceNo', SearchAttributeType.INT);
/**
 * On an invoice workflow: PowerOffice GO's GUID for the invoice or credit note (its workflow id holds
 * the number: domain/workflow-ids.ts). Absent on invoices started before ids held the number, whose
 * id is `invoice-<clientId>-<GUID>` itself.
 */
export const InvoiceId = defineSearchAttributeKey('InvoiceId', SearchAttributeType.KEYWORD);
export const DocumentType = defineSearchAttributeKey('DocumentType', SearchAttributeType.KEYWORD);
export const Channel = defineSearchAttributeKey('Channel', SearchAttributeType.KEYWORD);
export const DistributionState = defineSearchAttributeKey('DistributionState', SearchAttributeType.KEYWORD);
/** On a client's settings workflow: Active or Disabled. Batches only fetch for Active clients. */
export const ClientStatus = defineSearchAttributeKey('ClientStatus', SearchAttributeType.KEYWORD);

/** On an invoice workflow: Pending (sent, not yet reported to PowerOffice GO), Done, or Failed (with the reason in its status). */
export const WriteBack = defineSearchAttributeKey('WriteBack', SearchAttributeType.KEYWORD);
/** On a client's return-data workflow: Posting, Idle, or Blocked (e.g. an account of the mapping is missing). */
export const ReturnData = defineSearchAttributeKey('ReturnData', SearchAttributeType.KEYWORD);

/** On an OCR giro import workflow: how many of its payments could not be matched to one invoice (kept aside for operators). */
export const UnmatchedPayments = defineSearchAttributeKey('UnmatchedPayments', SearchAttributeType.INT);

/**
 * On an invoice workflow (revision 6): its KID, the payment reference an operator is read on the
 * phone (`invoice … --kid`). A reference number, not personal data.
 */
export const Kid = defineSearchAttributeKey('Kid', SearchAttributeType.KEYWORD);

export const allSearchAttributes = [ClientId, InvoiceNo, InvoiceId, DocumentType, Channel, DistributionState, ClientStatus, WriteBack, ReturnData, UnmatchedPayments, Kid];

export const writeBackStates = ['Pending', 'Done', 'Failed'] as const;
export type WriteBackStateValue = (typeof writeBackStates)[number];

/**
 * Values of DistributionState, roughly in the order an invoice passes them:
 * Fetched → Booked → Sending → Delivered (EHF, e-mail with PDF, letter)
 *                            → Waiting (e-mail with link and code) → Opened | LetterSent.
 * Rejected: not distributable (e.g. no postal address), with the reason; from revision 6 the
 * workflow stays running and is assessed again (next batch, `invoice retry`). Failed: a technical
 * failure (the workflow failed).
 * Withdrawn: an operator withdrew it (credit note, the client stopped the claim): nothing more goes.
 * LetterCancelled: not opened within the wait, and an operator had cancelled the letter: an end
 * state of its own (not Opened: nobody opened it; not LetterSent: no letter went), so the list
 * shows which invoices went out by e-mail only on an operator's word.
 */
export const distributionStates = ['Fetched', 'Booked', 'Sending', 'Waiting', 'Opened', 'LetterSent', 'Delivered', 'Rejected', 'Failed', 'Withdrawn', 'LetterCancelled'] as const;
export type DistributionStateValue = (typeof distributionStates)[number];
