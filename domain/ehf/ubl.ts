import type { DocumentKind } from './model';

/** The namespaces of UBL 2.1 as PEPPOL BIS Billing 3.0 uses them. */
export const UBL_NS = {
  Invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  CreditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
} as const;

/** BT-24: BR-01 and PEPPOL-EN16931-R004. */
export const BIS_BILLING_CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
/** BT-23: PEPPOL-EN16931-R001 and R007. */
export const BIS_BILLING_PROFILE_ID = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

/** Norwegian organisation number in the ISO 6523 ICD list (EAS and party identifiers). */
export const NORWEGIAN_ORGANISATION_SCHEME = '0192';

export function rootNamespace(kind: DocumentKind): string {
  return UBL_NS[kind];
}

/** The line element and its quantity element differ between the two document types. */
export function lineElementNames(kind: DocumentKind): { line: string; quantity: string } {
  return kind === 'Invoice'
    ? { line: 'InvoiceLine', quantity: 'InvoicedQuantity' }
    : { line: 'CreditNoteLine', quantity: 'CreditedQuantity' };
}
