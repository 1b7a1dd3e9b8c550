/**
 * A customer card for the campaign and bench seeds: organisation number 987145234 is in the
 * PEPPOL Directory emulator, so the customer takes EHF unless the client's settings override it.
 */
export function seedCustomer(number: number, name: string) {
  return {
    Number: number,
    Name: name,
    OrganizationNumber: '987145234',
    EmailAddress: `faktura-${number}@example.no`,
    MailAddress: { AddressLine1: 'Testveien 1', ZipCode: '0150', City: 'Oslo', CountryCode: 'NO' },
  };
}
