import type { Ore } from '../money';

/**
 * The part of a PEPPOL BIS Billing 3.0 (EHF 3) invoice or credit note that Factoring Finans reads
 * and writes. Amounts are øre in the document currency (every currencyID must equal it, R051);
 * quantities, unit prices and percentages keep their decimal text, because they may carry more
 * decimals than money and are written back as the client wrote them. Dates are "YYYY-MM-DD".
 *
 * Left out on purpose: embedded attachments (a client's own PDF of the invoice would show the
 * client's bank account and no KID, i.e. the wrong payment instructions) and UBL elements that
 * BIS 3 does not use.
 */
export type DocumentKind = 'Invoice' | 'CreditNote';

export interface Identifier {
  value: string;
  schemeId?: string;
}

export interface Address {
  streetName?: string;
  additionalStreetName?: string;
  cityName?: string;
  postalZone?: string;
  countrySubentity?: string;
  addressLine?: string;
  countryCode?: string;
}

export interface PartyTaxScheme {
  companyId: string;
  /** "VAT" for the VAT identifier, "TAX" for the Norwegian "Foretaksregisteret" statement. */
  taxSchemeId: string;
}

export interface Contact {
  name?: string;
  telephone?: string;
  email?: string;
}

export interface LegalEntity {
  registrationName?: string;
  companyId?: Identifier;
  companyLegalForm?: string;
}

export interface Party {
  endpointId?: Identifier;
  identifications: Identifier[];
  /** Trading name (cac:PartyName); the legal name is legalEntity.registrationName. */
  name?: string;
  postalAddress?: Address;
  taxSchemes: PartyTaxScheme[];
  legalEntity?: LegalEntity;
  contact?: Contact;
}

/** BG-10: whoever receives the payment when it is not the seller; here Factoring Finans. */
export interface PayeeParty {
  name: string;
  identification?: Identifier;
  legalCompanyId?: Identifier;
}

export interface TaxRepresentativeParty {
  name: string;
  postalAddress?: Address;
  vatId?: string;
}

export interface TaxCategory {
  /** UNCL5305: S, Z, E, AE, K, G, O, L, M. */
  id: string;
  /** Absent only for category O. */
  percent?: string;
  exemptionReasonCode?: string;
  exemptionReason?: string;
}

export interface AllowanceCharge {
  chargeIndicator: boolean;
  reasonCode?: string;
  reason?: string;
  multiplierFactor?: string;
  amount: Ore;
  baseAmount?: Ore;
  /** Document level only; line-level allowances and charges take the line's category. */
  taxCategory?: TaxCategory;
}

export interface TaxSubtotal {
  taxableAmount: Ore;
  taxAmount: Ore;
  category: TaxCategory;
}

export interface TaxTotal {
  taxAmount: Ore;
  subtotals: TaxSubtotal[];
}

export interface MonetaryTotals {
  lineExtension: Ore;
  taxExclusive: Ore;
  taxInclusive: Ore;
  allowanceTotal?: Ore;
  chargeTotal?: Ore;
  prepaid?: Ore;
  payableRounding?: Ore;
  payable: Ore;
}

export interface FinancialAccount {
  id: string;
  name?: string;
  branchId?: string;
}

export interface PaymentMeans {
  code: string;
  codeName?: string;
  /** Credit notes carry their due date here (UBL CreditNote has no cbc:DueDate). */
  dueDate?: string;
  /** The KID. */
  paymentId?: string;
  payeeAccount?: FinancialAccount;
}

export interface Period {
  startDate?: string;
  endDate?: string;
  descriptionCode?: string;
}

export interface DocumentReference {
  id: Identifier;
  issueDate?: string;
  documentTypeCode?: string;
  description?: string;
  externalUri?: string;
}

export interface Delivery {
  actualDate?: string;
  locationId?: Identifier;
  address?: Address;
  partyName?: string;
}

export interface ItemClassification {
  code: string;
  listId?: string;
  listVersionId?: string;
}

export interface Item {
  description?: string;
  name: string;
  buyersItemId?: string;
  sellersItemId?: string;
  standardItemId?: Identifier;
  originCountry?: string;
  classifications: ItemClassification[];
  taxCategory: TaxCategory;
  properties: { name: string; value: string }[];
}

export interface Price {
  amount: string;
  baseQuantity?: string;
  baseQuantityUnitCode?: string;
  /** A price discount (BT-147/BT-148): net price = gross price − discount. */
  allowance?: { amount: string; baseAmount?: string };
}

export interface Line {
  id: string;
  note?: string;
  quantity: string;
  unitCode: string;
  lineExtensionAmount: Ore;
  accountingCost?: string;
  period?: Period;
  orderLineId?: string;
  /** BT-128 invoiced object identifier. */
  objectReference?: Identifier & { documentTypeCode?: string };
  allowanceCharges: AllowanceCharge[];
  item: Item;
  price: Price;
}

export interface BillingDocument {
  kind: DocumentKind;
  customizationId: string;
  profileId: string;
  id: string;
  issueDate: string;
  /** Invoice: cbc:DueDate; credit note: cac:PaymentMeans/cbc:PaymentDueDate. */
  dueDate?: string;
  typeCode: string;
  notes: string[];
  taxPointDate?: string;
  currency: string;
  taxCurrency?: string;
  accountingCost?: string;
  buyerReference?: string;
  invoicePeriod?: Period;
  orderReference?: { id: string; salesOrderId?: string };
  billingReferences: { id: string; issueDate?: string }[];
  despatchDocumentId?: string;
  receiptDocumentId?: string;
  originatorDocumentId?: string;
  contractDocumentId?: string;
  additionalDocuments: DocumentReference[];
  projectReferenceId?: string;
  seller: Party;
  buyer: Party;
  payee?: PayeeParty;
  taxRepresentative?: TaxRepresentativeParty;
  delivery?: Delivery;
  paymentMeans: PaymentMeans[];
  paymentTermsNote?: string;
  allowanceCharges: AllowanceCharge[];
  taxTotal: TaxTotal;
  /** BT-111: the VAT total in the tax currency, when that differs from the document currency. */
  taxTotalInTaxCurrency?: Ore;
  totals: MonetaryTotals;
  lines: Line[];
}
