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

/** Values of DistributionState, in the order an invoice passes them. */
export const distributionStates = ['Fetched', 'Sending', 'Delivered', 'Failed'] as const;
export type DistributionStateValue = (typeof distributionStates)[number];
