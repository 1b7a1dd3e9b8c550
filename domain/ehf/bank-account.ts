import { mod11WeightedSum } from '../kid';

/**
 * Norwegian bank account number: 11 digits, the last a MOD11 check digit over the first ten with
 * weights 5 4 3 2 7 6 5 4 3 2. Numbers whose remainder is 1 are not issued. No official EHF rule
 * checks this (see the reference), so Factoring Finans checks its own account before sending.
 */
export function isValidNorwegianAccountNumber(value: string): boolean {
  if (!/^\d{11}$/.test(value)) return false;
  const remainder = mod11WeightedSum(value.slice(0, 10)) % 11;
  if (remainder === 1) return false;
  return Number(value[10]) === (remainder === 0 ? 0 : 11 - remainder);
}

/** "15031234567" → "1503 12 34567", the way Norwegian invoices print an account number. */
export function formatNorwegianAccountNumber(value: string): string {
  return /^\d{11}$/.test(value) ? `${value.slice(0, 4)} ${value.slice(4, 6)} ${value.slice(6)}` : value;
}
