import { createHash } from 'node:crypto';
import { EXTERNAL_IMPORT_REFERENCE_MAX_LENGTH, externalImportReferenceFor } from '../../domain/return-data/external-reference';
import { postingFor } from '../../domain/return-data/posting-rules';
import { sha256Hex } from '../../domain/return-data/sha256';
import { exampleMapping, sampleEvents, seededRandom } from './ledger-events';

/**
 * The ExternalImportReference is PowerOffice's duplicate guard: the same ledger event must always
 * give the same reference (a retry is refused, not posted twice), and different events different
 * ones (else a real posting would be refused as a duplicate and the money never reach the books).
 */
describe('the reference that keeps a ledger event from being posted twice', () => {
  test('is the event id, readable, when it is short and plain, so support can search GO for it', () => {
    expect(externalImportReferenceFor('ev-0001')).toBe('ffas-rd-ev-0001');
    expect(externalImportReferenceFor('3f2b9c1e-7d4a-4c1b-9e2f-0a1b2c3d4e5f')).toBe('ffas-rd-3f2b9c1e-7d4a-4c1b-9e2f-0a1b2c3d4e5f');
  });

  test('is the same for the same event every time, whichever of its fields change', () => {
    const payment = sampleEvents.payment;

    expect(postingFor({ ...payment, amountOre: 1 }, exampleMapping).externalImportReference).toBe(postingFor(payment, exampleMapping).externalImportReference);
    expect(externalImportReferenceFor('x'.repeat(100))).toBe(externalImportReferenceFor('x'.repeat(100)));
  });

  test(`stays within ${EXTERNAL_IMPORT_REFERENCE_MAX_LENGTH} characters for the longest event id the ledger allows (100)`, () => {
    const longest = 'e'.repeat(100);

    expect(externalImportReferenceFor(longest)).toBe(`ffas-rdh-${sha256Hex(longest).slice(0, 40)}`);
    expect(externalImportReferenceFor(longest)).toHaveLength(49);
  });

  test('switches to the hash exactly where the readable form would pass the limit', () => {
    expect(externalImportReferenceFor('a'.repeat(42))).toBe(`ffas-rd-${'a'.repeat(42)}`);
    expect(externalImportReferenceFor('a'.repeat(43))).toMatch(/^ffas-rdh-[0-9a-f]{40}$/);
  });

  test.each([
    ['upper case, which a case-blind database might fold onto another id', 'EV-0001'],
    ['a space, which PowerOffice trims away', 'ev 0001'],
    ['a character outside letters, digits and . _ : -', 'ev/0001'],
    ['non-ASCII letters', 'hendelse-ø-1'],
    ['a leading dash', '-ev-1'],
  ])('is hashed when the id has %s', (_what, eventId) => {
    expect(externalImportReferenceFor(eventId)).toBe(`ffas-rdh-${sha256Hex(eventId).slice(0, 40)}`);
  });

  test('differs for ids that differ only in case, though either could be read as the other by PowerOffice', () => {
    expect(externalImportReferenceFor('ev-0001')).not.toBe(externalImportReferenceFor('EV-0001'));
  });

  test('differs for 20 000 different event ids, short and long (no two events share a reference)', () => {
    const random = seededRandom(50);
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_:. /';
    const ids = new Set<string>();
    while (ids.size < 20_000) {
      const length = 1 + Math.floor(random() * 100);
      ids.add(Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
    }
    const references = [...ids].map(externalImportReferenceFor);

    expect(new Set(references).size).toBe(ids.size);
    expect(references.filter((reference) => reference.length > EXTERNAL_IMPORT_REFERENCE_MAX_LENGTH)).toEqual([]);
    expect(references.filter((reference) => reference.trim() !== reference)).toEqual([]);
  });

  test('a readable reference can never equal a hashed one: their prefixes differ at the eighth character', () => {
    const hashed = externalImportReferenceFor('A');
    const lookalike = hashed.slice('ffas-rd-'.length);

    expect(externalImportReferenceFor(lookalike)).not.toBe(hashed);
  });

  test('an event without an id cannot be posted', () => {
    expect(() => externalImportReferenceFor('')).toThrow('a ledger event without an event id cannot be posted once-only');
  });
});

describe('the hash behind long references (SHA-256 written out for workflow code)', () => {
  test.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ])('gives the FIPS 180-4 answer for %p', (text, digest) => {
    expect(sha256Hex(text)).toBe(digest);
  });

  test('agrees with node:crypto on UTF-8 text of every length across the block boundaries', () => {
    const disagreements: number[] = [];
    for (let length = 0; length <= 200; length++) {
      const text = 'æøå-Ω-€'.repeat(30).slice(0, length);
      if (sha256Hex(text) !== createHash('sha256').update(text, 'utf8').digest('hex')) disagreements.push(length);
    }

    expect(disagreements).toEqual([]);
  });
});
