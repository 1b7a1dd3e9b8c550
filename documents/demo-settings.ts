import type { KidScheme } from '../domain/kid';
import { factoringFinansSettingsSchema, kidSchemeSchema, type FactoringFinansSettings } from './settings';

/**
 * The demo's Factoring Finans. The organisation number passes the MOD11 check but starts with 3,
 * which no real one does (Enhetsregisteret issues numbers starting with 8 or 9); the account
 * number passes the MOD11 account check. Demo values only.
 */
export const DEMO_SETTINGS: FactoringFinansSettings = factoringFinansSettingsSchema.parse({
  name: 'Factoring Finans AS',
  organisationNumber: '315123453',
  bankAccount: '15031234562',
  address: { streetName: 'Kirkegata 15', postalZone: '0153', cityName: 'Oslo', countryCode: 'NO' },
  email: 'faktura@factoringfinans.no',
  telephone: '22 00 00 00',
});

/** The demo client's KID scheme: 15 digits, MOD10, client number 42. */
export const DEMO_KID_SCHEME: KidScheme = kidSchemeSchema.parse({ method: 'MOD10', length: 15, clientNumber: 42 });
