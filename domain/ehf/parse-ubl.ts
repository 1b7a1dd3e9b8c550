import type {
  Address,
  AllowanceCharge,
  BillingDocument,
  Delivery,
  DocumentKind,
  DocumentReference,
  Identifier,
  Item,
  Line,
  MonetaryTotals,
  Party,
  PaymentMeans,
  Period,
  Price,
  TaxCategory,
  TaxTotal,
} from './model';
import type { Document as XmlDocument } from '@xmldom/xmldom';
import { CLIENT_EHF, type XmlReading } from './client-document';
import { lineElementNames, UBL_NS } from './ubl';
import { parseXml, rootElement, UblElement, UblParseError } from './xml-reader';

/**
 * Reads a PEPPOL BIS Billing 3.0 invoice or credit note (UBL 2.1) into the typed model. Mandatory
 * content the model cannot do without is refused with the official rule id; everything else is
 * read as it is and judged by the rule checks (rules/), so one run reports all problems. A document
 * over the limits of client-document.ts is refused first (ClientDocumentRefused).
 */
export function parseBillingDocument(xml: string, reading: XmlReading = CLIENT_EHF): BillingDocument {
  return readBillingDocument(parseXml(xml, reading));
}

/** The same from a document parseXml has read (and checked): a large document is parsed once. */
export function readBillingDocument(xml: XmlDocument): BillingDocument {
  const root = rootElement(xml);
  const kind = documentKindOf(root.namespaceURI, root.localName);
  const doc = new UblElement(root, `/${kind}`);
  const names = lineElementNames(kind);
  return {
    kind,
    customizationId: doc.text('CustomizationID') ?? '',
    profileId: doc.text('ProfileID') ?? '',
    id: doc.text('ID') ?? '',
    issueDate: doc.text('IssueDate') ?? '',
    dueDate: kind === 'Invoice' ? doc.text('DueDate') : doc.cac('PaymentMeans')?.text('PaymentDueDate'),
    typeCode: doc.text(kind === 'Invoice' ? 'InvoiceTypeCode' : 'CreditNoteTypeCode') ?? '',
    notes: doc.texts('Note'),
    taxPointDate: doc.text('TaxPointDate'),
    currency: doc.text('DocumentCurrencyCode') ?? '',
    taxCurrency: doc.text('TaxCurrencyCode'),
    accountingCost: doc.text('AccountingCost'),
    buyerReference: doc.text('BuyerReference'),
    invoicePeriod: optionalPeriod(doc.cac('InvoicePeriod')),
    orderReference: orderReference(doc.cac('OrderReference')),
    billingReferences: doc.cacAll('BillingReference').flatMap(billingReference),
    despatchDocumentId: doc.cac('DespatchDocumentReference')?.text('ID'),
    receiptDocumentId: doc.cac('ReceiptDocumentReference')?.text('ID'),
    originatorDocumentId: doc.cac('OriginatorDocumentReference')?.text('ID'),
    contractDocumentId: doc.cac('ContractDocumentReference')?.text('ID'),
    additionalDocuments: doc.cacAll('AdditionalDocumentReference').map(documentReference),
    projectReferenceId: doc.cac('ProjectReference')?.text('ID'),
    seller: party(requireCac(doc.cac('AccountingSupplierParty')?.cac('Party'), 'BR-06', 'the seller', doc)),
    buyer: party(requireCac(doc.cac('AccountingCustomerParty')?.cac('Party'), 'BR-07', 'the buyer', doc)),
    payee: payeeParty(doc.cac('PayeeParty')),
    taxRepresentative: taxRepresentative(doc.cac('TaxRepresentativeParty')),
    delivery: delivery(doc.cac('Delivery')),
    paymentMeans: doc.cacAll('PaymentMeans').map(paymentMeans),
    paymentTermsNote: doc.cac('PaymentTerms')?.text('Note'),
    allowanceCharges: doc.cacAll('AllowanceCharge').map(allowanceCharge),
    taxTotal: taxTotal(doc),
    taxTotalInTaxCurrency: doc.cacAll('TaxTotal').find((t) => t.cac('TaxSubtotal') === undefined)?.amount('TaxAmount'),
    totals: monetaryTotals(requireCac(doc.cac('LegalMonetaryTotal'), 'BR-12', 'the document totals', doc)),
    lines: doc.cacAll(names.line).map((line) => invoiceLine(line, names.quantity)),
  };
}

function documentKindOf(namespace: string | null, localName: string | null): DocumentKind {
  if (localName === 'Invoice' && namespace === UBL_NS.Invoice) return 'Invoice';
  if (localName === 'CreditNote' && namespace === UBL_NS.CreditNote) return 'CreditNote';
  throw new UblParseError('UBL-XSD', `root element {${namespace ?? ''}}${localName ?? ''} is neither a UBL 2.1 Invoice nor a CreditNote`, '/');
}

function requireCac(element: UblElement | undefined, ruleId: string, what: string, parent: UblElement): UblElement {
  if (!element) throw new UblParseError(ruleId, `${what} is missing`, parent.path);
  return element;
}

function identifier(element: UblElement | undefined, name: string): Identifier | undefined {
  const value = element?.text(name);
  if (!element || value === undefined) return undefined;
  return withScheme(value, element.attribute(name, 'schemeID'));
}

function withScheme(value: string, schemeId: string | undefined): Identifier {
  return schemeId === undefined ? { value } : { value, schemeId };
}

function address(element: UblElement | undefined): Address | undefined {
  if (!element) return undefined;
  return {
    streetName: element.text('StreetName'),
    additionalStreetName: element.text('AdditionalStreetName'),
    cityName: element.text('CityName'),
    postalZone: element.text('PostalZone'),
    countrySubentity: element.text('CountrySubentity'),
    addressLine: element.cac('AddressLine')?.text('Line'),
    countryCode: element.cac('Country')?.text('IdentificationCode'),
  };
}

function party(element: UblElement): Party {
  const legal = element.cac('PartyLegalEntity');
  const contact = element.cac('Contact');
  return {
    endpointId: identifier(element, 'EndpointID'),
    identifications: element.cacAll('PartyIdentification').flatMap((p) => identifier(p, 'ID') ?? []),
    name: element.cac('PartyName')?.text('Name'),
    postalAddress: address(element.cac('PostalAddress')),
    taxSchemes: element.cacAll('PartyTaxScheme').flatMap((scheme) => {
      const companyId = scheme.text('CompanyID');
      return companyId === undefined ? [] : [{ companyId, taxSchemeId: scheme.cac('TaxScheme')?.text('ID') ?? '' }];
    }),
    legalEntity: legal && {
      registrationName: legal.text('RegistrationName'),
      companyId: identifier(legal, 'CompanyID'),
      companyLegalForm: legal.text('CompanyLegalForm'),
    },
    contact: contact && { name: contact.text('Name'), telephone: contact.text('Telephone'), email: contact.text('ElectronicMail') },
  };
}

function payeeParty(element: UblElement | undefined): BillingDocument['payee'] {
  if (!element) return undefined;
  return {
    name: element.cac('PartyName')?.text('Name') ?? '',
    identification: identifier(element.cac('PartyIdentification'), 'ID'),
    legalCompanyId: identifier(element.cac('PartyLegalEntity'), 'CompanyID'),
  };
}

function taxRepresentative(element: UblElement | undefined): BillingDocument['taxRepresentative'] {
  if (!element) return undefined;
  return {
    name: element.cac('PartyName')?.text('Name') ?? '',
    postalAddress: address(element.cac('PostalAddress')),
    vatId: element.cac('PartyTaxScheme')?.text('CompanyID'),
  };
}

function optionalPeriod(element: UblElement | undefined): Period | undefined {
  if (!element) return undefined;
  return { startDate: element.text('StartDate'), endDate: element.text('EndDate'), descriptionCode: element.text('DescriptionCode') };
}

function orderReference(element: UblElement | undefined): BillingDocument['orderReference'] {
  const id = element?.text('ID');
  return id === undefined ? undefined : { id, salesOrderId: element?.text('SalesOrderID') };
}

function billingReference(element: UblElement): BillingDocument['billingReferences'] {
  const invoice = element.cac('InvoiceDocumentReference');
  if (!invoice) return [];
  return [{ id: invoice.text('ID') ?? '', issueDate: invoice.text('IssueDate') }];
}

function documentReference(element: UblElement): DocumentReference {
  return {
    id: identifier(element, 'ID') ?? { value: '' },
    issueDate: element.text('IssueDate'),
    documentTypeCode: element.text('DocumentTypeCode'),
    description: element.text('DocumentDescription'),
    externalUri: element.cac('Attachment')?.cac('ExternalReference')?.text('URI'),
  };
}

function delivery(element: UblElement | undefined): Delivery | undefined {
  if (!element) return undefined;
  const location = element.cac('DeliveryLocation');
  return {
    actualDate: element.text('ActualDeliveryDate'),
    locationId: identifier(location, 'ID'),
    address: address(location?.cac('Address')),
    partyName: element.cac('DeliveryParty')?.cac('PartyName')?.text('Name'),
  };
}

function paymentMeans(element: UblElement): PaymentMeans {
  const account = element.cac('PayeeFinancialAccount');
  const accountId = account?.text('ID');
  return {
    code: element.text('PaymentMeansCode') ?? '',
    codeName: element.attribute('PaymentMeansCode', 'name'),
    dueDate: element.text('PaymentDueDate'),
    paymentId: element.text('PaymentID'),
    payeeAccount:
      account && accountId !== undefined
        ? { id: accountId, name: account.text('Name'), branchId: account.cac('FinancialInstitutionBranch')?.text('ID') }
        : undefined,
  };
}

function taxCategory(element: UblElement | undefined): TaxCategory | undefined {
  const id = element?.text('ID');
  if (!element || id === undefined) return undefined;
  return {
    id,
    percent: element.decimal('Percent'),
    exemptionReasonCode: element.text('TaxExemptionReasonCode'),
    exemptionReason: element.text('TaxExemptionReason'),
  };
}

function allowanceCharge(element: UblElement): AllowanceCharge {
  return {
    chargeIndicator: element.text('ChargeIndicator') === 'true',
    reasonCode: element.text('AllowanceChargeReasonCode'),
    reason: element.text('AllowanceChargeReason'),
    multiplierFactor: element.decimal('MultiplierFactorNumeric'),
    amount: element.requireAmount('Amount', 'BR-31', 'the allowance or charge amount'),
    baseAmount: element.amount('BaseAmount'),
    taxCategory: taxCategory(element.cac('TaxCategory')),
  };
}

function taxTotal(doc: UblElement): TaxTotal {
  const withSubtotals = doc.cacAll('TaxTotal').find((t) => t.cac('TaxSubtotal') !== undefined);
  if (!withSubtotals) throw new UblParseError('BR-CO-18', 'the VAT breakdown (cac:TaxTotal with cac:TaxSubtotal) is missing', doc.path);
  return {
    taxAmount: withSubtotals.requireAmount('TaxAmount', 'BR-CO-14', 'the total VAT amount'),
    subtotals: withSubtotals.cacAll('TaxSubtotal').map((subtotal) => ({
      taxableAmount: subtotal.requireAmount('TaxableAmount', 'BR-45', 'the VAT category taxable amount'),
      taxAmount: subtotal.requireAmount('TaxAmount', 'BR-46', 'the VAT category tax amount'),
      category: taxCategory(subtotal.cac('TaxCategory')) ?? { id: '' },
    })),
  };
}

function monetaryTotals(element: UblElement): MonetaryTotals {
  return {
    lineExtension: element.requireAmount('LineExtensionAmount', 'BR-12', 'the sum of line net amounts'),
    taxExclusive: element.requireAmount('TaxExclusiveAmount', 'BR-13', 'the total without VAT'),
    taxInclusive: element.requireAmount('TaxInclusiveAmount', 'BR-14', 'the total with VAT'),
    allowanceTotal: element.amount('AllowanceTotalAmount'),
    chargeTotal: element.amount('ChargeTotalAmount'),
    prepaid: element.amount('PrepaidAmount'),
    payableRounding: element.amount('PayableRoundingAmount'),
    payable: element.requireAmount('PayableAmount', 'BR-15', 'the amount due for payment'),
  };
}

function invoiceLine(element: UblElement, quantityName: string): Line {
  const object = element.cac('DocumentReference');
  const objectId = object ? identifier(object, 'ID') : undefined;
  return {
    id: element.text('ID') ?? '',
    note: element.text('Note'),
    quantity: element.decimal(quantityName) ?? '',
    unitCode: element.attribute(quantityName, 'unitCode') ?? '',
    lineExtensionAmount: element.requireAmount('LineExtensionAmount', 'BR-24', 'the line net amount'),
    accountingCost: element.text('AccountingCost'),
    period: optionalPeriod(element.cac('InvoicePeriod')),
    orderLineId: element.cac('OrderLineReference')?.text('LineID'),
    objectReference: objectId && { ...objectId, documentTypeCode: object?.text('DocumentTypeCode') },
    allowanceCharges: element.cacAll('AllowanceCharge').map(allowanceCharge),
    item: item(element.cac('Item'), element),
    price: price(element.cac('Price'), element),
  };
}

function item(element: UblElement | undefined, line: UblElement): Item {
  if (!element) throw new UblParseError('BR-25', 'the line has no item (cac:Item)', line.path);
  return {
    description: element.text('Description'),
    name: element.text('Name') ?? '',
    buyersItemId: element.cac('BuyersItemIdentification')?.text('ID'),
    sellersItemId: element.cac('SellersItemIdentification')?.text('ID'),
    standardItemId: identifier(element.cac('StandardItemIdentification'), 'ID'),
    originCountry: element.cac('OriginCountry')?.text('IdentificationCode'),
    classifications: element.cacAll('CommodityClassification').flatMap((c) => {
      const code = c.text('ItemClassificationCode');
      if (code === undefined) return [];
      return [{ code, listId: c.attribute('ItemClassificationCode', 'listID'), listVersionId: c.attribute('ItemClassificationCode', 'listVersionID') }];
    }),
    taxCategory: taxCategory(element.cac('ClassifiedTaxCategory')) ?? { id: '' },
    properties: element.cacAll('AdditionalItemProperty').flatMap((p) => {
      const name = p.text('Name');
      const value = p.text('Value');
      return name !== undefined && value !== undefined ? [{ name, value }] : [];
    }),
  };
}

function price(element: UblElement | undefined, line: UblElement): Price {
  if (!element) throw new UblParseError('BR-26', 'the line has no price (cac:Price)', line.path);
  const allowance = element.cac('AllowanceCharge');
  if (allowance?.text('ChargeIndicator') === 'true') {
    throw new UblParseError('PEPPOL-EN16931-R044', 'a charge on price level is not allowed, only a price discount', allowance.path);
  }
  const allowanceAmount = allowance?.decimal('Amount');
  return {
    amount: element.decimal('PriceAmount') ?? '',
    baseQuantity: element.decimal('BaseQuantity'),
    baseQuantityUnitCode: element.attribute('BaseQuantity', 'unitCode'),
    allowance: allowanceAmount === undefined ? undefined : { amount: allowanceAmount, baseAmount: allowance?.decimal('BaseAmount') },
  };
}
