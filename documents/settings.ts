import { z } from 'zod';
import { isValidNorwegianAccountNumber } from '../domain/ehf/bank-account';
import type { PayeeDetails } from '../domain/ehf/factoring';
import { CLIENT_NUMBER_DIGITS, KID_MAX_LENGTH, KID_MIN_LENGTH, kidLayout, type KidScheme } from '../domain/kid';
import { isValidOrganisationNumber } from '../domain/organisation-number';

/** Factoring Finans itself, as it appears on every invoice it distributes (payee, notice, footer). */
export const factoringFinansSettingsSchema = z.object({
  name: z.string().min(1),
  organisationNumber: z.string().refine(isValidOrganisationNumber, 'not a valid Norwegian organisation number (9 digits, MOD11)'),
  bankAccount: z.string().refine(isValidNorwegianAccountNumber, 'not a valid Norwegian account number (11 digits, MOD11)'),
  bic: z.string().regex(/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/, 'not a BIC').optional(),
  address: z.object({
    streetName: z.string().min(1),
    postalZone: z.string().regex(/^\d{4}$/, 'a Norwegian postal code has 4 digits'),
    cityName: z.string().min(1),
    countryCode: z.string().length(2),
  }),
  email: z.email(),
  telephone: z.string().optional(),
});
export type FactoringFinansSettings = z.infer<typeof factoringFinansSettingsSchema>;

/** A client's KID scheme: the method and length agreed with the bank, and the client's number. */
export const kidSchemeSchema = z
  .object({
    method: z.enum(['MOD10', 'MOD11']),
    length: z.number().int().min(KID_MIN_LENGTH).max(KID_MAX_LENGTH),
    clientNumber: z.number().int().min(0).max(10 ** CLIENT_NUMBER_DIGITS - 1),
  })
  .superRefine((scheme, context) => {
    try {
      kidLayout(scheme);
    } catch (error) {
      context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    }
  }) satisfies z.ZodType<KidScheme>;

export function payeeDetails(settings: FactoringFinansSettings): PayeeDetails {
  return { name: settings.name, organisationNumber: settings.organisationNumber, bankAccount: settings.bankAccount, bic: settings.bic };
}
