import { DOMParser } from '@xmldom/xmldom';
import { assignmentNotice } from '../../domain/ehf/factoring';
import type { BillingDocument } from '../../domain/ehf/model';
import { prepareOutgoingDocument, type OutgoingDocument } from '../../domain/ehf/outgoing-document';
import { parseBillingDocument } from '../../domain/ehf/parse-ubl';
import { checkBillingDocument, checkBillingDocumentXml } from '../../domain/ehf/rules';
import { UBL_NS } from '../../domain/ehf/ubl';
import { generateKid } from '../../domain/kid';
import { DEMO_KID_SCHEME, DEMO_SETTINGS } from '../../documents/demo-settings';
import { payeeDetails } from '../../documents/settings';
import { CLIENT_DOCUMENTS, correctionWithTypeCode, fixture, notSubjectToVatVariant, type NotSubjectToVatChanges } from './fixtures';
import { expectStrictlyWellFormed } from './strict-xml';

const payee = payeeDetails(DEMO_SETTINGS);
const invoiceXml = fixture('poweroffice/invoice-several-vat-rates.xml');
const creditNoteXml = fixture('poweroffice/credit-note.xml');

/** Every outgoing EHF this file builds, checked by a strict XML parser in the last test. */
const built: { name: string; xml: string }[] = [];

function outgoing(clientXml: string, extra: Partial<Parameters<typeof prepareOutgoingDocument>[0]> = {}): OutgoingDocument {
  const result = prepareOutgoingDocument({ clientXml, payee, kidScheme: DEMO_KID_SCHEME, ...extra });
  if (result.xml !== undefined) built.push({ name: `outgoing EHF no. ${built.length + 1} (${expect.getState().currentTestName ?? 'outside a test'})`, xml: result.xml });
  return result;
}

function sent(result: OutgoingDocument): { xml: string; doc: BillingDocument } {
  if (result.xml === undefined || result.document === undefined) throw new Error(`no document: ${JSON.stringify(result.failures)}`);
  return { xml: result.xml, doc: result.document };
}

function ruleIds(result: OutgoingDocument): string[] {
  return result.failures.map((f) => f.ruleId);
}

describe('the outgoing EHF of a client invoice', () => {
  const result = outgoing(invoiceXml);
  const { xml, doc } = sent(result);
  const input = parseBillingDocument(invoiceXml);

  test('is ready for distribution, with the KID built from the client and invoice number', () => {
    expect(result.failures).toEqual([]);
    expect(result.ready).toBe(true);
    expect(result.kid).toBe('000420000100230');
  });

  test('tells the end customer to pay Factoring Finans, to its account, with the KID', () => {
    expect(doc.payee).toEqual({
      name: 'Factoring Finans AS',
      identification: { value: DEMO_SETTINGS.organisationNumber, schemeId: '0192' },
      legalCompanyId: { value: DEMO_SETTINGS.organisationNumber, schemeId: '0192' },
    });
    expect(doc.paymentMeans).toEqual([
      { code: '30', codeName: 'Credit transfer', paymentId: result.kid, payeeAccount: { id: DEMO_SETTINGS.bankAccount, name: 'Factoring Finans AS' } },
    ]);
  });

  test('keeps the client as the seller', () => {
    expect(doc.seller.legalEntity).toEqual(input.seller.legalEntity);
    expect(doc.seller.endpointId).toEqual({ value: '312345676', schemeId: '0192' });
  });

  test('carries the notice of assignment as its single note, before the client\'s own', () => {
    expect(doc.notes).toHaveLength(1);
    expect(doc.notes[0]).toBe(`${assignmentNotice(payee)}\n\nTakk for handelen! Spørsmål? Ring Åse på 22 33 44 55.`);
    expect(doc.notes[0]).toContain('Fordringen er overdratt til Factoring Finans AS');
    expect(doc.notes[0]).toContain('Betaling med frigjørende virkning kan kun skje til Factoring Finans AS, kontonummer 1503 12 34562');
  });

  test('keeps every amount the client invoiced: lines, VAT breakdown and totals', () => {
    expect(doc.totals).toEqual(input.totals);
    expect(doc.taxTotal).toEqual(input.taxTotal);
    expect(doc.lines).toEqual(input.lines);
    expect(doc.allowanceCharges).toEqual(input.allowanceCharges);
  });

  test('states "Foretaksregisteret" for the client, an AS, which its own invoice left out (NO-R-002)', () => {
    expect(input.seller.taxSchemes).toEqual([{ companyId: 'NO312345676MVA', taxSchemeId: 'VAT' }]);
    expect(doc.seller.taxSchemes).toEqual([
      { companyId: 'NO312345676MVA', taxSchemeId: 'VAT' },
      { companyId: 'Foretaksregisteret', taxSchemeId: 'TAX' },
    ]);
  });

  test('does not pass on the client\'s own PDF, which shows the client\'s account and no KID', () => {
    expect(invoiceXml).toContain('EmbeddedDocumentBinaryObject');
    expect(xml).not.toContain('EmbeddedDocumentBinaryObject');
    expect(xml).not.toContain('86011117947');
    expect(doc.additionalDocuments).toEqual([{ id: { value: '10023' }, description: 'Faktura 10023 (PDF)' }]);
  });

  test('escapes XML special characters and keeps non-ASCII names exactly', () => {
    expect(xml).toContain('<cbc:RegistrationName>Blåbær &amp; Søn AS</cbc:RegistrationName>');
    expect(xml).toContain('<cbc:Name>Frakt &lt;ekspress&gt; &amp; "håndtering"</cbc:Name>');
    expect(xml).toContain('<cbc:StreetName>Máttaráhku geaidnu 7 &lt;bakgården&gt;</cbc:StreetName>');
    expect(doc.buyer.legalEntity?.registrationName).toBe('Čáhppes Ørn & Łódź «Nord» AS');
    expect(doc.lines[1]?.item.name).toBe('Frakt <ekspress> & "håndtering"');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  });

  test('puts every element in its UBL namespace: Invoice-2 for the root, cac and cbc for the rest', () => {
    const root = new DOMParser().parseFromString(xml, 'text/xml').documentElement;
    expect(root?.namespaceURI).toBe(UBL_NS.Invoice);
    const children = Array.from(root?.childNodes ?? []).filter((n) => n.nodeType === n.ELEMENT_NODE);
    expect(new Set(children.map((n) => n.namespaceURI))).toEqual(new Set([UBL_NS.cac, UBL_NS.cbc]));
    expect(children.map((n) => n.nodeName).slice(0, 4)).toEqual(['cbc:CustomizationID', 'cbc:ProfileID', 'cbc:ID', 'cbc:IssueDate']);
  });

  test('has no empty element, though the client\'s invoice had one (PEPPOL-EN16931-R008)', () => {
    const withEmpty = invoiceXml.replace('<cbc:DocumentCurrencyCode>', '<cbc:AccountingCost></cbc:AccountingCost><cbc:DocumentCurrencyCode>');
    expect(checkBillingDocumentXml(withEmpty).failures.map((f) => f.ruleId)).toContain('PEPPOL-EN16931-R008');
    const fromIt = outgoing(withEmpty);
    expect(fromIt.failures).toEqual([]);
    expect(fromIt.xml).not.toContain('AccountingCost');
  });

  test('the client\'s own invoice would fail Factoring Finans\' rules: wrong payee, account, KID and no notice', () => {
    const check = checkBillingDocumentXml(invoiceXml, {
      payeeName: payee.name,
      payeeOrganisationNumber: payee.organisationNumber,
      payeeAccount: payee.bankAccount,
      kid: '000420000100230',
      kidMethod: 'MOD10',
      assignmentNotice: assignmentNotice(payee),
    });
    expect(check.failures.map((f) => f.ruleId)).toEqual(
      expect.arrayContaining(['FF-PAYEE-01', 'FF-PAYEE-02', 'FF-PAY-02', 'FF-KID-01', 'FF-NOTICE-01']),
    );
  });
});

describe('the outgoing EHF of a client credit note', () => {
  const result = outgoing(creditNoteXml);
  const { xml, doc } = sent(result);

  test('is a CreditNote with type code 381 and credit note lines', () => {
    expect(result.failures).toEqual([]);
    expect(doc.kind).toBe('CreditNote');
    expect(doc.typeCode).toBe('381');
    expect(xml).toContain('<cac:CreditNoteLine>');
    expect(xml).toContain('<cbc:CreditedQuantity unitCode="HUR">2</cbc:CreditedQuantity>');
    expect(new DOMParser().parseFromString(xml, 'text/xml').documentElement?.namespaceURI).toBe(UBL_NS.CreditNote);
  });

  test('references the invoice it credits', () => {
    expect(doc.billingReferences).toEqual([{ id: '10023', issueDate: '2026-11-14' }]);
  });

  test('without a reference to the credited invoice it is held back (FF-CN-01)', () => {
    const unreferenced = creditNoteXml.replace(/<cac:BillingReference>[\s\S]*<\/cac:BillingReference>/, '');
    const held = outgoing(unreferenced);
    expect(held.ready).toBe(false);
    expect(ruleIds(held)).toEqual(['FF-CN-01']);
  });
});

describe.each(CLIENT_DOCUMENTS)('the outgoing EHF of $file', ({ file, kind }) => {
  const input = parseBillingDocument(fixture(file));
  const result = outgoing(fixture(file));

  test('is ready, and keeps the document, the buyer, the references and every amount as the client sent them', () => {
    expect(result.failures).toEqual([]);
    const { doc } = sent(result);
    expect([doc.kind, doc.id, doc.typeCode, doc.issueDate, doc.dueDate]).toEqual([kind, input.id, input.typeCode, input.issueDate, input.dueDate]);
    expect(doc.seller.legalEntity).toEqual(input.seller.legalEntity);
    expect(doc.buyer).toEqual(input.buyer);
    expect([doc.buyerReference, doc.orderReference, doc.billingReferences]).toEqual([input.buyerReference, input.orderReference, input.billingReferences]);
    expect(doc.lines).toEqual(input.lines);
    expect(doc.allowanceCharges).toEqual(input.allowanceCharges);
    expect(doc.taxTotal).toEqual(input.taxTotal);
    expect(doc.totals).toEqual(input.totals);
  });
});

describe('the outgoing EHF of a client invoice full of special characters', () => {
  const { xml, doc } = sent(outgoing(fixture('poweroffice/invoice-special-characters.xml')));

  test('resolves character references and CDATA sections, and writes &, < and > escaped', () => {
    expect(xml).toContain('<cbc:Name>Čokoládovna &amp; Sønner</cbc:Name>');
    expect(xml).toContain('<cbc:AdditionalStreetName>c/o Ärlig &amp; &lt;Søn&gt;</cbc:AdditionalStreetName>');
    expect(xml).toContain('<cbc:Name>Pakke &lt;30 kg &amp; "skjør" &gt; 2 m</cbc:Name>');
    expect(xml).toContain('<cbc:RegistrationName>Ærlig &amp; "Rask" Budservice AS</cbc:RegistrationName>');
    expect(xml).not.toContain('CDATA');
  });

  test('keeps quotes, apostrophes, æøå, ÆØÅ, č and the emoji exactly', () => {
    expect(doc.buyerReference).toBe('Åsmund "Åsen" O\'Brien & Co');
    expect(doc.seller.name).toBe('Ærlig & \'Rask\' <Bud>');
    expect(doc.buyer.postalAddress?.streetName).toBe('ÆØÅ-vegen 1 "Gule huset"');
    expect(doc.lines.map((line) => line.item.name)).toEqual([
      'Pakke <30 kg & "skjør" > 2 m',
      'Sjokolade «Ørken» – 70 % kakao & havsalt',
      'Blomster til Åse\'s 50-årsdag',
      'Kake 🎂 og kaffe',
    ]);
    expect(doc.lines[2]?.item.description).toBe('Bukett <stor> & "fargerik" – ÆØÅ æøå č');
    expect(doc.notes[0]).toContain('\n\nLevert på "bakdøra" <ikke hovedinngangen> & kvittert av Åse.');
  });
});

describe('a client invoice that breaks a rule is held back, with the rule named', () => {
  test.each([
    ['no buyer reference or order reference', 'PEPPOL-EN16931-R003', invoiceXml.replace(/<cbc:BuyerReference>.*<\/cbc:BuyerReference>/, '')],
    ['an invalid buyer organisation number', 'PEPPOL-COMMON-R041', invoiceXml.replaceAll('314159217', '314159218')],
    ['a seller VAT number that is not NO + organisation number + MVA', 'NO-R-001', invoiceXml.replace('NO312345676MVA', 'NO312345676')],
    ['totals that do not add up', 'BR-CO-13', invoiceXml.replace('<cbc:TaxExclusiveAmount currencyID="NOK">10938.51', '<cbc:TaxExclusiveAmount currencyID="NOK">10938.50')],
    ['a line amount that is not quantity × price', 'PEPPOL-EN16931-R120', invoiceXml.replace('<cbc:PriceAmount currencyID="NOK">52.25', '<cbc:PriceAmount currencyID="NOK">52.30')],
    ['an amount in another currency', 'PEPPOL-EN16931-R051', invoiceXml.replace('<cbc:ChargeTotalAmount currencyID="NOK">', '<cbc:ChargeTotalAmount currencyID="EUR">')],
    ['an exempt line without an exemption reason', 'BR-E-10', invoiceXml.replace(/<cbc:TaxExemptionReason>.*<\/cbc:TaxExemptionReason>/, '')],
    ['an amount with three decimals', 'BR-DEC', invoiceXml.replace('<cbc:PayableAmount currencyID="NOK">13475.00', '<cbc:PayableAmount currencyID="NOK">13475.001')],
    ['a due date that is not a date', 'PEPPOL-EN16931-F001', invoiceXml.replace('<cbc:DueDate>2026-11-28', '<cbc:DueDate>28.11.2026')],
    ['no due date and no payment terms', 'BR-CO-25', invoiceXml.replace(/<cbc:DueDate>.*<\/cbc:DueDate>/, '').replace(/<cac:PaymentTerms>[\s\S]*?<\/cac:PaymentTerms>/, '')],
    ['not XML', 'XML', '<Invoice><unclosed></Invoice>'],
    ['another kind of document', 'UBL-XSD', '<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>'],
  ])('%s is held back by %s', (_, ruleId, clientXml) => {
    const result = outgoing(clientXml);
    expect(result.ready).toBe(false);
    expect(ruleIds(result)).toContain(ruleId);
  });

  test('an invoice number that is not all digits gives no KID without the PowerOffice invoice number (FF-KID-03)', () => {
    const result = outgoing(invoiceXml.replace('<cbc:ID>10023</cbc:ID>', '<cbc:ID>F-26-0312</cbc:ID>'));
    expect(result.ready).toBe(false);
    expect(result.failures).toEqual([
      {
        ruleId: 'FF-KID-03',
        severity: 'fatal',
        message:
          'The invoice number "F-26-0312" (cbc:ID) is not all digits, and a KID is built from a number unique per client: give PowerOffice GO\'s invoice number for it (preview: --invoice-no N).',
      },
    ]);
  });

  test('an invoice number that is not all digits gets its KID from the PowerOffice invoice number, as in the service', () => {
    const result = outgoing(invoiceXml.replace('<cbc:ID>10023</cbc:ID>', '<cbc:ID>F-26-0312</cbc:ID>'), { invoiceNumber: 312 });
    expect(result.ready).toBe(true);
    expect(result.kid).toBe(generateKid(DEMO_KID_SCHEME, 312));
    expect(result.document?.id).toBe('F-26-0312');
  });

  test('an invoice number too long for the client\'s KID length gives no KID (FF-KID-03)', () => {
    const result = outgoing(invoiceXml, { invoiceNumber: 12_345_678_901 });
    expect(result.failures[0]).toMatchObject({ ruleId: 'FF-KID-03', message: expect.stringContaining('has room for 9') });
  });
});

describe('the customer card', () => {
  const withoutAddress = invoiceXml.replace(/<cac:PostalAddress>\s*<cbc:StreetName>Máttaráhku[\s\S]*?<\/cac:PostalAddress>/, '');

  test('an invoice without the customer\'s postal address is held back (BR-10)', () => {
    expect(ruleIds(outgoing(withoutAddress))).toContain('BR-10');
  });

  test('supplies the postal address the invoice lacks', () => {
    const postalAddress = { streetName: 'Postboks 12', postalZone: '9735', cityName: 'Kárášjohka', countryCode: 'NO' };
    const result = outgoing(withoutAddress, { customer: { postalAddress } });
    expect(result.failures).toEqual([]);
    expect(result.document?.buyer.postalAddress).toEqual(postalAddress);
  });
});

describe('a corrected invoice with type code 384 or 326 (PEPPOL-EN16931-P0112: German parties only)', () => {
  test.each(['384', '326'])('type %s between a Norwegian seller and a Norwegian buyer is held back, and the reason says why', (typeCode) => {
    const result = outgoing(correctionWithTypeCode(typeCode));
    expect(result.ready).toBe(false);
    expect(result.failures.filter((f) => f.ruleId === 'PEPPOL-EN16931-P0112')).toEqual([
      {
        ruleId: 'PEPPOL-EN16931-P0112',
        severity: 'fatal',
        message: expect.stringMatching(new RegExp(`^type code ${typeCode} .* only allowed when both seller and buyer are German \\(country DE\\), but the seller's country is NO and the buyer's NO`)),
      },
    ]);
  });

  test('the same correction as an ordinary invoice (380) referencing the corrected invoice is ready', () => {
    expect(outgoing(correctionWithTypeCode('380')).failures).toEqual([]);
  });

  test.each([
    ['DE', 'DE', false],
    ['de', 'DE', false],
    ['DE', 'NO', true],
    ['NO', 'DE', true],
  ])('seller in %s and buyer in %s: P0112 fails: %p', (sellerCountry, buyerCountry, fails) => {
    const doc = parseBillingDocument(correctionWithTypeCode('384'));
    const german: BillingDocument = {
      ...doc,
      seller: { ...doc.seller, postalAddress: { ...doc.seller.postalAddress, countryCode: sellerCountry } },
      buyer: { ...doc.buyer, postalAddress: { ...doc.buyer.postalAddress, countryCode: buyerCountry } },
    };
    expect(checkBillingDocument(german).map((f) => f.ruleId).includes('PEPPOL-EN16931-P0112')).toBe(fails);
  });
});

describe('an invoice not subject to VAT (category O)', () => {
  const oRules = (result: OutgoingDocument): string[] => result.failures.filter((f) => f.ruleId.startsWith('BR-O-')).map((f) => `${f.ruleId} ${f.location ?? ''}`.trim());

  test.each<{ what: string; changes: NotSubjectToVatChanges; expected: string[] }>([
    { what: 'the seller\'s VAT identifier', changes: { sellerVatId: 'NO313167607MVA' }, expected: ['BR-O-02 AccountingSupplierParty'] },
    { what: 'the buyer\'s VAT identifier', changes: { buyerVatId: 'NO310871095MVA' }, expected: ['BR-O-02 AccountingCustomerParty'] },
    { what: 'the VAT identifier of the seller\'s tax representative', changes: { taxRepresentativeVatId: 'NO310950289MVA' }, expected: ['BR-O-02 TaxRepresentativeParty'] },
    {
      what: 'a category O document allowance and the buyer\'s VAT identifier',
      changes: { documentAllowanceCharge: { charge: false }, buyerVatId: 'NO310871095MVA' },
      expected: ['BR-O-02 AccountingCustomerParty', 'BR-O-03 AccountingCustomerParty'],
    },
    {
      what: 'a category O document charge and the seller\'s VAT identifier',
      changes: { documentAllowanceCharge: { charge: true }, sellerVatId: 'NO313167607MVA' },
      expected: ['BR-O-02 AccountingSupplierParty', 'BR-O-04 AccountingSupplierParty'],
    },
    { what: 'a category O document allowance with a VAT rate', changes: { documentAllowanceCharge: { charge: false, percent: '0' } }, expected: ['BR-O-06 document AllowanceCharge 1'] },
    { what: 'a category O document charge with a VAT rate', changes: { documentAllowanceCharge: { charge: true, percent: '0' } }, expected: ['BR-O-07 document AllowanceCharge 1'] },
    { what: 'a second line that is standard-rated', changes: { secondLineStandardRated: true }, expected: ['BR-O-11', 'BR-O-12'] },
  ])('with $what is held back by $expected', ({ changes, expected }) => {
    const result = outgoing(notSubjectToVatVariant(changes));
    expect(result.ready).toBe(false);
    expect(oRules(result)).toEqual(expected);
  });

  test('a VAT identifier failure names the identifier and what to do about it', () => {
    const [failure] = outgoing(notSubjectToVatVariant({ sellerVatId: 'NO313167607MVA' })).failures.filter((f) => f.ruleId === 'BR-O-02');
    expect(failure?.message).toContain('the seller has NO313167607MVA');
    expect(failure?.message).toContain('a VAT-registered seller needs another VAT category');
  });

  test.each([{ charge: false }, { charge: true }])('with a category O document allowance or charge (%j) and no VAT identifier it is ready', (documentAllowanceCharge) => {
    expect(outgoing(notSubjectToVatVariant({ documentAllowanceCharge })).failures).toEqual([]);
  });
});

describe('what we send is well-formed', () => {
  test('every outgoing EHF built in this file passes a strict XML 1.0 parser (expat)', () => {
    expect(built.length).toBeGreaterThan(20);
    expectStrictlyWellFormed(built);
  });
});
