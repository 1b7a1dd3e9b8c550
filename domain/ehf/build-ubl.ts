import { oreToDecimalText, type Ore } from '../money';
import type {
  Address,
  AllowanceCharge,
  BillingDocument,
  Delivery,
  DocumentReference,
  Identifier,
  Item,
  Line,
  Party,
  PaymentMeans,
  Period,
  TaxCategory,
} from './model';
import { lineElementNames, rootNamespace, UBL_NS } from './ubl';
import { serializeXml, XmlElement } from './xml-writer';

/**
 * Writes the model as a UBL 2.1 Invoice or CreditNote (xml-writer.ts): every value escaped exactly
 * once, elements in the order the UBL 2.1 XSD demands (no schematron checks order, only the XSD),
 * and no empty elements (PEPPOL-EN16931-R008): an absent or blank value writes nothing. A value
 * with a character XML 1.0 forbids is refused (ClientDocumentRefused), never written.
 */
export function buildBillingDocumentXml(doc: BillingDocument): string {
  const root = new XmlElement(doc.kind, [
    ['xmlns', rootNamespace(doc.kind)],
    ['xmlns:cac', UBL_NS.cac],
    ['xmlns:cbc', UBL_NS.cbc],
  ]);
  const w = new UblWriter(root, doc.currency);
  writeHeader(w, doc);
  writeReferences(w, doc);
  w.cac('AccountingSupplierParty', (s) => s.cac('Party', (p) => writeParty(p, doc.seller)));
  w.cac('AccountingCustomerParty', (s) => s.cac('Party', (p) => writeParty(p, doc.buyer)));
  writePayeeAndRepresentative(w, doc);
  if (doc.delivery) writeDelivery(w, doc.delivery);
  for (const means of doc.paymentMeans) writePaymentMeans(w, means, doc.kind === 'CreditNote' ? doc.dueDate : undefined);
  if (doc.paymentTermsNote) w.cac('PaymentTerms', (t) => t.cbc('Note', doc.paymentTermsNote));
  for (const ac of doc.allowanceCharges) writeAllowanceCharge(w, ac);
  writeTaxTotals(w, doc);
  writeMonetaryTotals(w, doc);
  for (const line of doc.lines) writeLine(w, line, doc.kind);
  return serializeXml(root);
}

/** A thin writer over the element tree that skips blanks, so no element is ever empty. */
class UblWriter {
  constructor(
    private readonly node: XmlElement,
    private readonly currency: string,
  ) {}

  cbc(name: string, value: string | undefined, attributes: Record<string, string | undefined> = {}): void {
    if (value === undefined || value.trim() === '') return;
    const present = Object.entries(attributes).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '');
    this.node.children.push(new XmlElement(`cbc:${name}`, present, value));
  }

  id(name: string, value: Identifier | undefined): void {
    if (value) this.cbc(name, value.value, { schemeID: value.schemeId });
  }

  amount(name: string, value: Ore | undefined, currency = this.currency): void {
    if (value !== undefined) this.cbc(name, oreToDecimalText(value), { currencyID: currency });
  }

  /** An amount kept as decimal text because it may have more than two decimals (unit prices). */
  decimalAmount(name: string, value: string | undefined): void {
    this.cbc(name, value, { currencyID: this.currency });
  }

  cac(name: string, fill: (child: UblWriter) => void): void {
    const child = new XmlElement(`cac:${name}`);
    fill(new UblWriter(child, this.currency));
    // An aggregate whose values were all absent would be an empty element: leave it out.
    if (child.children.length > 0) this.node.children.push(child);
  }
}

function writeHeader(w: UblWriter, doc: BillingDocument): void {
  w.cbc('CustomizationID', doc.customizationId);
  w.cbc('ProfileID', doc.profileId);
  w.cbc('ID', doc.id);
  w.cbc('IssueDate', doc.issueDate);
  if (doc.kind === 'Invoice') {
    w.cbc('DueDate', doc.dueDate);
    w.cbc('InvoiceTypeCode', doc.typeCode);
    for (const note of doc.notes) w.cbc('Note', note);
    w.cbc('TaxPointDate', doc.taxPointDate);
  } else {
    w.cbc('TaxPointDate', doc.taxPointDate);
    w.cbc('CreditNoteTypeCode', doc.typeCode);
    for (const note of doc.notes) w.cbc('Note', note);
  }
  w.cbc('DocumentCurrencyCode', doc.currency);
  w.cbc('TaxCurrencyCode', doc.taxCurrency);
  w.cbc('AccountingCost', doc.accountingCost);
  w.cbc('BuyerReference', doc.buyerReference);
  if (doc.invoicePeriod) writePeriod(w, doc.invoicePeriod);
}

/** Document references; the two document types order a few of them differently. */
function writeReferences(w: UblWriter, doc: BillingDocument): void {
  const { orderReference } = doc;
  if (orderReference) {
    w.cac('OrderReference', (o) => {
      o.cbc('ID', orderReference.id);
      o.cbc('SalesOrderID', orderReference.salesOrderId);
    });
  }
  for (const ref of doc.billingReferences) {
    w.cac('BillingReference', (b) =>
      b.cac('InvoiceDocumentReference', (i) => {
        i.cbc('ID', ref.id);
        i.cbc('IssueDate', ref.issueDate);
      }),
    );
  }
  simpleReference(w, 'DespatchDocumentReference', doc.despatchDocumentId);
  simpleReference(w, 'ReceiptDocumentReference', doc.receiptDocumentId);
  if (doc.kind === 'Invoice') {
    simpleReference(w, 'OriginatorDocumentReference', doc.originatorDocumentId);
    simpleReference(w, 'ContractDocumentReference', doc.contractDocumentId);
    for (const ref of doc.additionalDocuments) writeAdditionalDocument(w, ref);
    simpleReference(w, 'ProjectReference', doc.projectReferenceId);
  } else {
    simpleReference(w, 'ContractDocumentReference', doc.contractDocumentId);
    for (const ref of doc.additionalDocuments) writeAdditionalDocument(w, ref);
    simpleReference(w, 'OriginatorDocumentReference', doc.originatorDocumentId);
  }
}

function simpleReference(w: UblWriter, name: string, id: string | undefined): void {
  if (id) w.cac(name, (r) => r.cbc('ID', id));
}

function writeAdditionalDocument(w: UblWriter, ref: DocumentReference): void {
  w.cac('AdditionalDocumentReference', (r) => {
    r.id('ID', ref.id);
    r.cbc('IssueDate', ref.issueDate);
    r.cbc('DocumentTypeCode', ref.documentTypeCode);
    r.cbc('DocumentDescription', ref.description);
    if (ref.externalUri) r.cac('Attachment', (a) => a.cac('ExternalReference', (e) => e.cbc('URI', ref.externalUri)));
  });
}

function writePeriod(w: UblWriter, period: Period): void {
  w.cac('InvoicePeriod', (p) => {
    p.cbc('StartDate', period.startDate);
    p.cbc('EndDate', period.endDate);
    p.cbc('DescriptionCode', period.descriptionCode);
  });
}

function writeParty(w: UblWriter, party: Party): void {
  w.id('EndpointID', party.endpointId);
  for (const id of party.identifications) w.cac('PartyIdentification', (p) => p.id('ID', id));
  if (party.name) w.cac('PartyName', (p) => p.cbc('Name', party.name));
  if (party.postalAddress) writeAddress(w, 'PostalAddress', party.postalAddress);
  for (const scheme of party.taxSchemes) {
    w.cac('PartyTaxScheme', (p) => {
      p.cbc('CompanyID', scheme.companyId);
      p.cac('TaxScheme', (t) => t.cbc('ID', scheme.taxSchemeId));
    });
  }
  const { legalEntity, contact } = party;
  if (legalEntity) {
    w.cac('PartyLegalEntity', (l) => {
      l.cbc('RegistrationName', legalEntity.registrationName);
      l.id('CompanyID', legalEntity.companyId);
      l.cbc('CompanyLegalForm', legalEntity.companyLegalForm);
    });
  }
  if (contact) {
    w.cac('Contact', (c) => {
      c.cbc('Name', contact.name);
      c.cbc('Telephone', contact.telephone);
      c.cbc('ElectronicMail', contact.email);
    });
  }
}

function writeAddress(w: UblWriter, name: string, address: Address): void {
  w.cac(name, (a) => {
    a.cbc('StreetName', address.streetName);
    a.cbc('AdditionalStreetName', address.additionalStreetName);
    a.cbc('CityName', address.cityName);
    a.cbc('PostalZone', address.postalZone);
    a.cbc('CountrySubentity', address.countrySubentity);
    if (address.addressLine) a.cac('AddressLine', (l) => l.cbc('Line', address.addressLine));
    if (address.countryCode) a.cac('Country', (c) => c.cbc('IdentificationCode', address.countryCode));
  });
}

function writePayeeAndRepresentative(w: UblWriter, doc: BillingDocument): void {
  const { payee, taxRepresentative } = doc;
  if (payee) {
    w.cac('PayeeParty', (p) => {
      if (payee.identification) p.cac('PartyIdentification', (i) => i.id('ID', payee.identification));
      p.cac('PartyName', (n) => n.cbc('Name', payee.name));
      if (payee.legalCompanyId) p.cac('PartyLegalEntity', (l) => l.id('CompanyID', payee.legalCompanyId));
    });
  }
  if (taxRepresentative) {
    w.cac('TaxRepresentativeParty', (t) => {
      t.cac('PartyName', (n) => n.cbc('Name', taxRepresentative.name));
      if (taxRepresentative.postalAddress) writeAddress(t, 'PostalAddress', taxRepresentative.postalAddress);
      if (taxRepresentative.vatId) {
        t.cac('PartyTaxScheme', (s) => {
          s.cbc('CompanyID', taxRepresentative.vatId);
          s.cac('TaxScheme', (ts) => ts.cbc('ID', 'VAT'));
        });
      }
    });
  }
}

function writeDelivery(w: UblWriter, delivery: Delivery): void {
  w.cac('Delivery', (d) => {
    d.cbc('ActualDeliveryDate', delivery.actualDate);
    if (delivery.locationId || delivery.address) {
      d.cac('DeliveryLocation', (l) => {
        l.id('ID', delivery.locationId);
        if (delivery.address) writeAddress(l, 'Address', delivery.address);
      });
    }
    if (delivery.partyName) d.cac('DeliveryParty', (p) => p.cac('PartyName', (n) => n.cbc('Name', delivery.partyName)));
  });
}

function writePaymentMeans(w: UblWriter, means: PaymentMeans, creditNoteDueDate: string | undefined): void {
  w.cac('PaymentMeans', (m) => {
    m.cbc('PaymentMeansCode', means.code, { name: means.codeName });
    m.cbc('PaymentDueDate', creditNoteDueDate ?? means.dueDate);
    m.cbc('PaymentID', means.paymentId);
    const account = means.payeeAccount;
    if (account) {
      m.cac('PayeeFinancialAccount', (a) => {
        a.cbc('ID', account.id);
        a.cbc('Name', account.name);
        if (account.branchId) a.cac('FinancialInstitutionBranch', (b) => b.cbc('ID', account.branchId));
      });
    }
  });
}

function writeAllowanceCharge(w: UblWriter, ac: AllowanceCharge): void {
  w.cac('AllowanceCharge', (a) => {
    a.cbc('ChargeIndicator', ac.chargeIndicator ? 'true' : 'false');
    a.cbc('AllowanceChargeReasonCode', ac.reasonCode);
    a.cbc('AllowanceChargeReason', ac.reason);
    a.cbc('MultiplierFactorNumeric', ac.multiplierFactor);
    a.amount('Amount', ac.amount);
    a.amount('BaseAmount', ac.baseAmount);
    if (ac.taxCategory) writeTaxCategory(a, 'TaxCategory', ac.taxCategory);
  });
}

function writeTaxCategory(w: UblWriter, name: string, category: TaxCategory): void {
  w.cac(name, (c) => {
    c.cbc('ID', category.id);
    c.cbc('Percent', category.percent);
    c.cbc('TaxExemptionReasonCode', category.exemptionReasonCode);
    c.cbc('TaxExemptionReason', category.exemptionReason);
    c.cac('TaxScheme', (s) => s.cbc('ID', 'VAT'));
  });
}

function writeTaxTotals(w: UblWriter, doc: BillingDocument): void {
  w.cac('TaxTotal', (t) => {
    t.amount('TaxAmount', doc.taxTotal.taxAmount);
    for (const subtotal of doc.taxTotal.subtotals) {
      t.cac('TaxSubtotal', (s) => {
        s.amount('TaxableAmount', subtotal.taxableAmount);
        s.amount('TaxAmount', subtotal.taxAmount);
        writeTaxCategory(s, 'TaxCategory', subtotal.category);
      });
    }
  });
  const { taxCurrency, taxTotalInTaxCurrency } = doc;
  if (taxCurrency && taxTotalInTaxCurrency !== undefined) w.cac('TaxTotal', (t) => t.amount('TaxAmount', taxTotalInTaxCurrency, taxCurrency));
}

function writeMonetaryTotals(w: UblWriter, doc: BillingDocument): void {
  const totals = doc.totals;
  w.cac('LegalMonetaryTotal', (t) => {
    t.amount('LineExtensionAmount', totals.lineExtension);
    t.amount('TaxExclusiveAmount', totals.taxExclusive);
    t.amount('TaxInclusiveAmount', totals.taxInclusive);
    t.amount('AllowanceTotalAmount', totals.allowanceTotal);
    t.amount('ChargeTotalAmount', totals.chargeTotal);
    t.amount('PrepaidAmount', totals.prepaid);
    t.amount('PayableRoundingAmount', totals.payableRounding);
    t.amount('PayableAmount', totals.payable);
  });
}

function writeLine(w: UblWriter, line: Line, kind: BillingDocument['kind']): void {
  const names = lineElementNames(kind);
  w.cac(names.line, (l) => {
    l.cbc('ID', line.id);
    l.cbc('Note', line.note);
    l.cbc(names.quantity, line.quantity, { unitCode: line.unitCode });
    l.amount('LineExtensionAmount', line.lineExtensionAmount);
    l.cbc('AccountingCost', line.accountingCost);
    if (line.period) writePeriod(l, line.period);
    if (line.orderLineId) l.cac('OrderLineReference', (o) => o.cbc('LineID', line.orderLineId));
    const object = line.objectReference;
    if (object) {
      l.cac('DocumentReference', (d) => {
        d.id('ID', object);
        d.cbc('DocumentTypeCode', object.documentTypeCode);
      });
    }
    for (const ac of line.allowanceCharges) writeAllowanceCharge(l, ac);
    writeItem(l, line.item);
    writePrice(l, line);
  });
}

function writeItem(w: UblWriter, item: Item): void {
  w.cac('Item', (i) => {
    i.cbc('Description', item.description);
    i.cbc('Name', item.name);
    if (item.buyersItemId) i.cac('BuyersItemIdentification', (b) => b.cbc('ID', item.buyersItemId));
    if (item.sellersItemId) i.cac('SellersItemIdentification', (s) => s.cbc('ID', item.sellersItemId));
    if (item.standardItemId) i.cac('StandardItemIdentification', (s) => s.id('ID', item.standardItemId));
    if (item.originCountry) i.cac('OriginCountry', (o) => o.cbc('IdentificationCode', item.originCountry));
    for (const c of item.classifications) {
      i.cac('CommodityClassification', (cc) => cc.cbc('ItemClassificationCode', c.code, { listID: c.listId, listVersionID: c.listVersionId }));
    }
    writeTaxCategory(i, 'ClassifiedTaxCategory', item.taxCategory);
    for (const property of item.properties) {
      i.cac('AdditionalItemProperty', (p) => {
        p.cbc('Name', property.name);
        p.cbc('Value', property.value);
      });
    }
  });
}

function writePrice(w: UblWriter, line: Line): void {
  const { price } = line;
  w.cac('Price', (p) => {
    p.decimalAmount('PriceAmount', price.amount);
    p.cbc('BaseQuantity', price.baseQuantity, { unitCode: price.baseQuantityUnitCode });
    const allowance = price.allowance;
    if (allowance) {
      p.cac('AllowanceCharge', (a) => {
        a.cbc('ChargeIndicator', 'false');
        a.decimalAmount('Amount', allowance.amount);
        a.decimalAmount('BaseAmount', allowance.baseAmount);
      });
    }
  });
}
