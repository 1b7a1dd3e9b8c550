import { prepareOutgoingDocument } from '../../domain/ehf/outgoing-document';
import type { KidScheme } from '../../domain/kid';
import { DEMO_KID_SCHEME, DEMO_SETTINGS } from '../../documents/demo-settings';
import { payeeDetails } from '../../documents/settings';
import { PEPPOL_RULES_RELEASE, type PeppolValidationReport } from '../../scripts/peppol-validation/peppol-validation';
import { CLIENT_DOCUMENTS, correctionWithTypeCode, fixture, notSubjectToVatVariant, validateOutgoingDocuments } from './fixtures';

/**
 * Every outgoing EHF, validated with the official artifacts: the UBL 2.1 XSD and OpenPeppol's
 * CEN EN 16931 and PEPPOL BIS Billing 3.0 schematrons (incl. the Norwegian rules) as XSLT, run by
 * Saxon-HE on Java. scripts/peppol-validation installs them from Maven Central into
 * .temporal/peppol-validation on first use and fails with the reason when it cannot.
 * OpenPEPPOL's own examples go through the same validation in official-examples.test.ts.
 */
const MOD11: KidScheme = { ...DEMO_KID_SCHEME, method: 'MOD11' };
const OUTPUTS = CLIENT_DOCUMENTS.flatMap(({ file }) =>
  [DEMO_KID_SCHEME, MOD11].map((kidScheme) => ({ file, kidScheme, name: `${file.replace(/[/.]/g, '_')}-${kidScheme.method}.xml` })),
);

/**
 * Client documents that break an official rule Factoring Finans checks itself: the official
 * validation and our rules must reject each, with the same rule ids of the family under test.
 */
const RULE_CASES = [
  { name: 'rule-P0112-384-between-norwegian-parties.xml', clientXml: correctionWithTypeCode('384'), expected: ['PEPPOL-EN16931-P0112'] },
  { name: 'rule-BR-O-02-seller-vat-id.xml', clientXml: notSubjectToVatVariant({ sellerVatId: 'NO313167607MVA' }), expected: ['BR-O-02'] },
  {
    name: 'rule-BR-O-03-allowance-buyer-vat-id.xml',
    clientXml: notSubjectToVatVariant({ documentAllowanceCharge: { charge: false }, buyerVatId: 'NO310871095MVA' }),
    expected: ['BR-O-02', 'BR-O-03'],
  },
  {
    name: 'rule-BR-O-04-charge-seller-vat-id.xml',
    clientXml: notSubjectToVatVariant({ documentAllowanceCharge: { charge: true }, sellerVatId: 'NO313167607MVA' }),
    expected: ['BR-O-02', 'BR-O-04'],
  },
];
/** The rule family a case is about: the category O rules, or P0112. */
const family = (ids: string[]): string[] => [...new Set(ids.filter((id) => id.startsWith('BR-O-') || id === 'PEPPOL-EN16931-P0112'))].sort();

let reports: Map<string, PeppolValidationReport>;

beforeAll(() => {
  reports = validateOutgoingDocuments(
    [
      ...OUTPUTS.map(({ file, kidScheme, name }) => ({ name, clientXml: fixture(file), kidScheme })),
      ...RULE_CASES.map(({ name, clientXml }) => ({ name, clientXml, kidScheme: DEMO_KID_SCHEME })),
    ],
    [{ name: 'control-out-of-order.xml', xml: outOfOrderControl() }],
  );
}, 600_000);

describe(`the outgoing EHF under the official PEPPOL BIS Billing 3.0 validation (OpenPeppol ${PEPPOL_RULES_RELEASE} rules, UBL 2.1 XSD)`, () => {
  test.each(OUTPUTS.map((o) => [o.file, o.kidScheme.method, o.name]))('%s with a %s KID: valid, without warnings', (_file, _method, name) => {
    const report = reports.get(name);
    expect(report).toBeDefined();
    expect(report?.failures.map((f) => `${f.id} (${f.flag}): ${f.text}`)).toEqual([]);
  });

  test.each(RULE_CASES)('$name is rejected by the official validation and held back by our rules, both with $expected', ({ name, clientXml, expected }) => {
    const official = reports.get(name)?.failures.filter((f) => f.flag === 'fatal').map((f) => f.id) ?? [];
    const ours = prepareOutgoingDocument({ clientXml, payee: payeeDetails(DEMO_SETTINGS), kidScheme: DEMO_KID_SCHEME });
    expect(ours.ready).toBe(false);
    expect(family(official)).toEqual(expected);
    expect(family(ours.failures.map((f) => f.ruleId))).toEqual(expected);
  });

  test('the validator does reject a document: elements out of XSD order and no buyer reference', () => {
    const ids = reports.get('control-out-of-order.xml')?.failures.map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(['UBL-XSD', 'PEPPOL-EN16931-R003']));
  });
});

/** A valid outgoing invoice broken in two ways no JavaScript check here looks at in the same way. */
function outOfOrderControl(): string {
  const clientXml = fixture('poweroffice/invoice-several-vat-rates.xml');
  const xml = prepareOutgoingDocument({ clientXml, payee: payeeDetails(DEMO_SETTINGS), kidScheme: DEMO_KID_SCHEME }).xml ?? '';
  return xml
    .replace(/<cbc:BuyerReference>.*<\/cbc:BuyerReference>/, '')
    .replace('<cbc:DocumentCurrencyCode>NOK</cbc:DocumentCurrencyCode>', '')
    .replace('<cbc:IssueDate>', '<cbc:DocumentCurrencyCode>NOK</cbc:DocumentCurrencyCode><cbc:IssueDate>');
}
