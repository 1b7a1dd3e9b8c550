import { randomBytes } from 'node:crypto';
import { openEhf, sealEhf } from '../../activities/sealed-ehf';
import { SecretCipher } from '../../adapters/secrets/secret-cipher';
import { renderEhf } from '../../emulators/poweroffice/ehf/render-ehf';

/** The client's EHF as it is handed from the PowerOffice read to the invoice's steps, through history. */
describe('the EHF handed through history', () => {
  const cipher = new SecretCipher(randomBytes(32).toString('base64'), 'k1');
  const party = { name: 'Kunde AS', organizationNumber: '974760673', street: 'Gate 1', zipCode: '0150', city: 'Oslo', countryCode: 'NO' };
  const xml = renderEhf({
    kind: 'Invoice',
    number: 1001,
    issueDate: '2026-12-04',
    dueDate: '2026-12-18',
    buyerReference: 'Ref 1',
    seller: { ...party, name: 'Selger AS', organizationNumber: '923609016', bankAccount: '12345678903' },
    buyer: party,
    lines: Array.from({ length: 5 }, (_, i) => ({ name: `Konsulenttime ${i + 1}`, quantity: 2, unitCode: 'HUR', unitPriceOre: 95_000 })),
    vatPercent: 25,
  });

  test('opens to the same XML, byte for byte', () => {
    expect(openEhf(cipher, sealEhf(cipher, xml))).toBe(xml);
  });

  test('is compressed: under half the size of the XML sealed as it is', () => {
    const compressed = sealEhf(cipher, xml).sealed.length;
    const plain = cipher.seal(xml).sealed.length;
    console.log(`EHF of ${xml.length} characters: sealed ${plain} characters as it is, ${compressed} compressed`);
    expect(compressed).toBeLessThan(plain / 2);
  });

  test('an EHF sealed as plain XML (before compression) still opens', () => {
    expect(openEhf(cipher, cipher.seal(xml))).toBe(xml);
  });
});
