import {
  CLIENT_NUMBER_DIGITS,
  generateKid,
  KidError,
  mod10CheckDigit,
  mod11CheckDigit,
  parseKid,
  validateKid,
  type KidScheme,
} from '../../domain/kid';

/**
 * Check digits against published examples: the worked table in ../shared/reference/ehf-kid.md §8
 * (each row computed by hand and by two independent implementations), the Luhn example of
 * ISO/IEC 7812-1 (79927398713), and Norwegian organisation numbers, which use the same MOD11.
 */
describe('KID check digits', () => {
  test.each([
    ['1234567', '4'],
    ['12345678', '2'],
    ['1000005', '7'],
    ['1000013', '1'],
    ['2024001', '6'],
    ['7992739871', '3'],
  ])('MOD10 (Luhn) of %s is %s', (body, check) => {
    expect(mod10CheckDigit(body)).toBe(check);
  });

  test.each([
    ['1234567', '4'],
    ['12345678', '5'],
    ['1000005', '-'],
    ['1000013', '0'],
    ['2024001', '6'],
    ['98765432', '5'],
  ])('MOD11 of %s is %s', (body, check) => {
    expect(mod11CheckDigit(body)).toBe(check);
  });

  test.each([
    ['12345674', 'MOD10'],
    ['123456782', 'MOD10'],
    ['10000057', 'MOD10'],
    ['12345674', 'MOD11'],
    ['10000130', 'MOD11'],
    ['1000005-', 'MOD11'],
  ] as const)('%s is a valid %s KID', (kid, method) => {
    expect(validateKid(kid, method)).toEqual({ valid: true });
  });

  test.each([
    ['0003434323213231', 'MOD10', 'check digit should be 9'],
    ['0003434323213231', 'MOD11', 'check digit should be 3'],
    ['1234567-', 'MOD11', 'check digit should be 4'],
    ['12a45674', 'MOD10', 'only digits'],
    ['123', 'MOD10', '4–25 characters'],
    ['12345678901234567890123456', 'MOD10', '4–25 characters'],
  ] as const)('%s is refused as a %s KID (%s)', (kid, method, reason) => {
    const result = validateKid(kid, method);
    expect(result.valid).toBe(false);
    expect(result.valid ? '' : result.reason).toContain(reason);
  });
});

describe('the KID Factoring Finans issues', () => {
  const mod10: KidScheme = { method: 'MOD10', length: 15, clientNumber: 42 };
  const mod11: KidScheme = { method: 'MOD11', length: 12, clientNumber: 42 };

  test('has the client number, the invoice number and a check digit, at the fixed length', () => {
    const kid = generateKid(mod10, 10023);
    expect(kid).toBe('000420000100230');
    expect(kid).toHaveLength(15);
    expect(validateKid(kid, 'MOD10')).toEqual({ valid: true });
  });

  test('MOD11 carries a variant digit after the client number, normally 0', () => {
    expect(mod11CheckDigit('00042012345')).not.toBe('-');
    expect(generateKid(mod11, 12345)).toBe(`00042012345${mod11CheckDigit('00042012345')}`);
  });

  test('never ends in "-": where MOD11 would need it, the variant digit 1 gives a valid check digit instead', () => {
    expect(mod11CheckDigit('00042000009')).toBe('-');
    expect(generateKid(mod11, 9)).toBe('000421000093');
    const kids = Array.from({ length: 20_000 }, (_, n) => generateKid(mod11, n));
    expect(kids.filter((kid) => kid.endsWith('-'))).toEqual([]);
    expect(kids.every((kid) => validateKid(kid, 'MOD11').valid)).toBe(true);
  });

  test('is unique across clients and invoices', () => {
    const kids = [1, 2, 420, 4200].flatMap((clientNumber) =>
      Array.from({ length: 3000 }, (_, n) => generateKid({ method: 'MOD11', length: 12, clientNumber }, n)),
    );
    expect(new Set(kids).size).toBe(kids.length);
  });

  test('reads back into client and invoice number, for both methods', () => {
    expect(parseKid(generateKid(mod10, 10023), mod10)).toEqual({ valid: true, clientNumber: 42, invoiceNumber: 10023 });
    expect(parseKid(generateKid(mod11, 9), mod11)).toEqual({ valid: true, clientNumber: 42, invoiceNumber: 9 });
  });

  test('a KID with a typing error, another client\'s KID or a variant digit Factoring Finans never issues is refused', () => {
    expect(parseKid('000420000100231', mod10)).toMatchObject({ valid: false, reason: expect.stringContaining('check digit') });
    expect(parseKid(generateKid({ ...mod10, clientNumber: 43 }, 10023), mod10)).toMatchObject({ valid: false, reason: expect.stringContaining('client number 43') });
    const variantOne = '00042112345';
    expect(parseKid(variantOne + mod11CheckDigit(variantOne), mod11)).toMatchObject({ valid: false, reason: expect.stringContaining('variant digit') });
  });

  test('an invoice number too long for the client\'s KID length is refused, never cut', () => {
    expect(() => generateKid(mod11, 100_000)).toThrow(KidError);
    expect(() => generateKid(mod11, 100_000)).toThrow('has room for 5');
  });

  test('a scheme too short to hold a client number and an invoice number is refused', () => {
    expect(() => generateKid({ method: 'MOD10', length: CLIENT_NUMBER_DIGITS + 1, clientNumber: 1 }, 1)).toThrow('needs at least 7 digits');
    expect(() => generateKid({ method: 'MOD10', length: 26, clientNumber: 1 }, 1)).toThrow('outside 4–25');
  });
});
