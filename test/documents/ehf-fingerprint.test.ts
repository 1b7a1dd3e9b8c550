import { DEMO_KID_SCHEME, DEMO_SETTINGS } from '../../documents/demo-settings';
import { ehfFingerprint, prepareOutgoingEhf } from '../../documents/invoice-documents';
import type { CustomerCard } from '../../domain/ehf/factoring';
import { readOutgoingDocument } from '../../domain/ehf/outgoing-document';
import { fixture } from './fixtures';

/** The client's invoice without the buyer's postal address: the customer card supplies it. */
const withoutAddress = fixture('poweroffice/invoice-several-vat-rates.xml').replace(/<cac:PostalAddress>\s*<cbc:StreetName>Máttaráhku[\s\S]*?<\/cac:PostalAddress>/, '');
const cardAtAssessment: CustomerCard = { postalAddress: { streetName: 'Postboks 12', postalZone: '9735', cityName: 'Kárášjohka', countryCode: 'NO' } };

function outgoing(customer: CustomerCard, checkedFingerprint?: string) {
  return prepareOutgoingEhf({
    clientXml: withoutAddress,
    settings: DEMO_SETTINGS,
    kidScheme: DEMO_KID_SCHEME,
    customer,
    ...(checkedFingerprint !== undefined ? { checkedFingerprint } : {}),
  });
}

/**
 * The assessment's fingerprint of the outgoing EHF, and what the send does with it: the same
 * invoice, settings and customer card give the same bytes (rules not run again); a customer card
 * changed in between gives other bytes, checked in full, and held back where they now fail.
 */
describe("the outgoing EHF's fingerprint", () => {
  const assessed = outgoing(cardAtAssessment);

  test('is the SHA-256 of the exact bytes the assessment checked, and they passed', () => {
    expect(assessed.ready).toBe(true);
    expect(assessed.checkedBefore).toBeUndefined();
    expect(assessed.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(assessed.fingerprint).toBe(ehfFingerprint(assessed.xml ?? ''));
  });

  test('rebuilt for the send from the same invoice, settings and card: the same bytes, the rules not run again', () => {
    const rebuilt = outgoing(cardAtAssessment, assessed.fingerprint);
    expect(rebuilt).toMatchObject({ ready: true, checkedBefore: true, kid: assessed.kid, fingerprint: assessed.fingerprint, failures: [] });
    expect(rebuilt.xml).toBe(assessed.xml);
    // Unchecked, there is no read-back; the one a PDF is drawn from is the one the check read.
    expect(rebuilt.document).toBeUndefined();
    expect(readOutgoingDocument(rebuilt.xml ?? '')).toEqual(assessed.document);
  });

  test('the customer card changed since (another address): other bytes, checked in full, and they pass', () => {
    const moved = outgoing({ postalAddress: { ...cardAtAssessment.postalAddress, streetName: 'Postboks 99' } }, assessed.fingerprint);
    expect(moved.fingerprint).not.toBe(assessed.fingerprint);
    expect(moved.checkedBefore).toBeUndefined();
    expect(moved.ready).toBe(true);
    expect(moved.document?.buyer.postalAddress?.streetName).toBe('Postboks 99');
  });

  test('the customer card lost its address since: checked in full and held back (BR-10), so the send refuses it', () => {
    const lost = outgoing({}, assessed.fingerprint);
    expect(lost.fingerprint).not.toBe(assessed.fingerprint);
    expect(lost.checkedBefore).toBeUndefined();
    expect(lost.ready).toBe(false);
    expect(lost.failures.map((f) => f.ruleId)).toContain('BR-10');
  });

  test('a fingerprint of other bytes never lets a failing document through', () => {
    const lost = outgoing({}, ehfFingerprint(`${assessed.xml ?? ''} `));
    expect(lost.ready).toBe(false);
  });
});
