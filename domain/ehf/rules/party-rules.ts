import { isValidOrganisationNumber } from '../../organisation-number';
import type { BillingDocument, Identifier, Party } from '../model';
import { NORWEGIAN_ORGANISATION_SCHEME } from '../ubl';
import { fatal, unless, warning, type RuleFailure } from './rule';

/** Seller, buyer and payee: sections 2, 3 and "Payee (BG-10)" of the reference, and NO-R-001/002. */
export function partyRules(doc: BillingDocument): RuleFailure[] {
  return [...sellerRules(doc), ...buyerRules(doc.buyer), ...payeeRules(doc), ...organisationNumberRules(doc), ...norwegianSellerRules(doc)];
}

function sellerRules(doc: BillingDocument): RuleFailure[] {
  const seller = doc.seller;
  const at = 'AccountingSupplierParty';
  return [
    ...unless(seller.endpointId !== undefined, () => fatal('PEPPOL-EN16931-R020', 'the seller electronic address (cbc:EndpointID) is missing', at)),
    ...unless(seller.endpointId?.schemeId !== undefined, () => fatal('BR-62', 'the seller electronic address needs a scheme identifier', at)),
    ...unless(Boolean(seller.legalEntity?.registrationName), () => fatal('BR-06', 'the seller name (cac:PartyLegalEntity/cbc:RegistrationName) is missing', at)),
    ...unless(seller.postalAddress !== undefined, () => fatal('BR-08', 'the seller postal address is missing', at)),
    ...unless(Boolean(seller.postalAddress?.countryCode), () => fatal('BR-09', 'the seller country code is missing', at)),
    ...unless(vatIds(seller).length > 0 || seller.identifications.length > 0 || seller.legalEntity?.companyId !== undefined, () =>
      fatal('BR-CO-26', 'the seller needs a VAT identifier, a party identifier or a legal registration identifier', at),
    ),
    ...vatIds(seller)
      .filter((id) => !/^[A-Z]{2}/.test(id))
      .map((id) => fatal('BR-CO-09', `the seller VAT identifier "${id}" does not start with a country code`, at)),
  ];
}

function buyerRules(buyer: Party): RuleFailure[] {
  const at = 'AccountingCustomerParty';
  return [
    ...unless(buyer.endpointId !== undefined, () => fatal('PEPPOL-EN16931-R010', 'the buyer electronic address (cbc:EndpointID) is missing', at)),
    ...unless(buyer.endpointId?.schemeId !== undefined, () => fatal('BR-63', 'the buyer electronic address needs a scheme identifier', at)),
    ...unless(Boolean(buyer.legalEntity?.registrationName), () => fatal('BR-07', 'the buyer name (cac:PartyLegalEntity/cbc:RegistrationName) is missing', at)),
    ...unless(buyer.postalAddress !== undefined, () => fatal('BR-10', 'the buyer postal address is missing', at)),
    ...unless(Boolean(buyer.postalAddress?.countryCode), () => fatal('BR-11', 'the buyer country code is missing', at)),
  ];
}

/** BR-17: a payee other than the seller must be named, and must not carry the seller's name or id. */
function payeeRules(doc: BillingDocument): RuleFailure[] {
  const payee = doc.payee;
  if (!payee) return [];
  const sellerIds = doc.seller.identifications.map((id) => id.value);
  return [
    ...unless(payee.name !== '', () => fatal('BR-17', 'the payee name is missing', 'PayeeParty')),
    ...unless(payee.name !== doc.seller.name, () => fatal('BR-17', 'the payee has the seller\'s name, so it is not a separate payee', 'PayeeParty')),
    ...unless(payee.identification === undefined || !sellerIds.includes(payee.identification.value), () =>
      fatal('BR-17', 'the payee has the seller\'s identifier, so it is not a separate payee', 'PayeeParty'),
    ),
  ];
}

/** PEPPOL-COMMON-R041: every identifier with scheme 0192 is a MOD11-valid 9-digit organisation number. */
function organisationNumberRules(doc: BillingDocument): RuleFailure[] {
  const identifiers: [string, Identifier | undefined][] = [
    ...partyIdentifiers('AccountingSupplierParty', doc.seller),
    ...partyIdentifiers('AccountingCustomerParty', doc.buyer),
    ['PayeeParty', doc.payee?.identification],
    ['PayeeParty', doc.payee?.legalCompanyId],
  ];
  return identifiers
    .filter(([, id]) => id?.schemeId === NORWEGIAN_ORGANISATION_SCHEME && !isValidOrganisationNumber(id.value))
    .map(([where, id]) => fatal('PEPPOL-COMMON-R041', `"${id?.value ?? ''}" is not a valid Norwegian organisation number (9 digits, MOD11)`, where));
}

function partyIdentifiers(where: string, party: Party): [string, Identifier | undefined][] {
  return [[where, party.endpointId], ...party.identifications.map((id): [string, Identifier] => [where, id]), [where, party.legalEntity?.companyId]];
}

/**
 * NO-R-001: a Norwegian seller's VAT identifier is NO + organisation number + MVA. NO-R-002: a
 * Norwegian seller states "Foretaksregisteret" (foretaksregisterloven § 10-2). The official
 * validator only warns about NO-R-002; for sellers whose name shows a form that must be in the
 * register (AS, ASA, NUF) it is a legal duty, so it is fatal here.
 */
function norwegianSellerRules(doc: BillingDocument): RuleFailure[] {
  if (sellerCountry(doc) !== 'NO') return [];
  const at = 'AccountingSupplierParty';
  const statesRegister = doc.seller.taxSchemes.some((s) => s.taxSchemeId === 'TAX' && s.companyId === 'Foretaksregisteret');
  const registerFailure = mustStateForetaksregisteret(doc.seller) ? fatal : warning;
  return [
    ...vatIds(doc.seller)
      .filter((id) => id.startsWith('NO') && !(/^NO\d{9}MVA$/.test(id) && isValidOrganisationNumber(id.slice(2, 11))))
      .map((id) => fatal('NO-R-001', `"${id}" is not NO + a valid organisation number + MVA`, at)),
    ...unless(statesRegister, () =>
      registerFailure('NO-R-002', 'a Norwegian seller must state "Foretaksregisteret" (cac:PartyTaxScheme with TaxScheme TAX)', at),
    ),
  ];
}

/** The PEPPOL schematron's test: VAT id prefix, else the tax representative's, else the postal country. */
export function sellerCountry(doc: BillingDocument): string | undefined {
  const vatId = vatIds(doc.seller)[0];
  if (vatId) return vatId.slice(0, 2);
  if (doc.taxRepresentative?.vatId) return doc.taxRepresentative.vatId.slice(0, 2);
  return doc.seller.postalAddress?.countryCode;
}

/** Aksjeselskap, allmennaksjeselskap and NUF must be in Foretaksregisteret; their name shows the form. */
export function mustStateForetaksregisteret(seller: Party): boolean {
  const names = [seller.legalEntity?.registrationName, seller.legalEntity?.companyLegalForm].filter((n): n is string => n !== undefined);
  return names.some((name) => /(^|\s)(AS|ASA|NUF)\.?$/i.test(name.trim()));
}

export function vatIds(party: Party): string[] {
  return party.taxSchemes.filter((s) => s.taxSchemeId === 'VAT').map((s) => s.companyId);
}
