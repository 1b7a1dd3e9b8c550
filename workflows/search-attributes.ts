import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Typed search attributes: the columns operators filter on in the Web UI. Identifiers and states
 * only, never personal data (search attributes are not encrypted).
 * The dev server, the tests and docker-compose register exactly this list.
 */
export const ClientId = defineSearchAttributeKey('ClientId', SearchAttributeType.KEYWORD);
export const InvoiceNo = defineSearchAttributeKey('InvoiceNo', SearchAttributeType.INT);
export const DocumentType = defineSearchAttributeKey('DocumentType', SearchAttributeType.KEYWORD);
export const Channel = defineSearchAttributeKey('Channel', SearchAttributeType.KEYWORD);
export const DistributionState = defineSearchAttributeKey('DistributionState', SearchAttributeType.KEYWORD);
/** On a client's settings workflow: Active or Disabled. Batches only fetch for Active clients. */
export const ClientStatus = defineSearchAttributeKey('ClientStatus', SearchAttributeType.KEYWORD);

export const allSearchAttributes = [ClientId, InvoiceNo, DocumentType, Channel, DistributionState, ClientStatus];

/**
 * Values of DistributionState, roughly in the order an invoice passes them:
 * Fetched → Booked → Sending → Delivered (EHF, e-mail with PDF, letter)
 *                            → Waiting (e-mail with link and code) → Opened | LetterSent.
 * Rejected: not distributable (e.g. no postal address), with the reason. Failed: a technical failure.
 */
export const distributionStates = ['Fetched', 'Booked', 'Sending', 'Waiting', 'Opened', 'LetterSent', 'Delivered', 'Rejected', 'Failed'] as const;
export type DistributionStateValue = (typeof distributionStates)[number];
