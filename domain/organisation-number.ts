import { mod11WeightedSum } from './kid';

/**
 * Norwegian organisation number (organisasjonsnummer, Enhetsregisteret): nine digits, the last a
 * MOD11 check digit over the first eight with weights 3 2 7 6 5 4 3 2. Unlike a MOD11 KID, a
 * remainder of 1 has no check digit: such numbers are never issued, so they are invalid.
 * PEPPOL-COMMON-R041 applies this check to every identifier with scheme 0192.
 */
export function isValidOrganisationNumber(value: string): boolean {
  if (!/^\d{9}$/.test(value)) return false;
  const remainder = mod11WeightedSum(value.slice(0, 8)) % 11;
  if (remainder === 1) return false;
  const check = remainder === 0 ? 0 : 11 - remainder;
  return Number(value[8]) === check;
}

/** "123456785" → "123 456 785", as Norwegian documents print it. */
export function formatOrganisationNumber(value: string): string {
  return /^\d{9}$/.test(value) ? `${value.slice(0, 3)} ${value.slice(3, 6)} ${value.slice(6)}` : value;
}

/** "NO123456785MVA": the VAT identifier of a VAT-registered Norwegian business (NO-R-001). */
export function norwegianVatId(organisationNumber: string): string {
  return `NO${organisationNumber}MVA`;
}
