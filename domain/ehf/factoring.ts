import { formatOrganisationNumber } from '../organisation-number';
import { formatNorwegianAccountNumber } from './bank-account';
import type { Address, BillingDocument, Party } from './model';
import { mustStateForetaksregisteret, sellerCountry } from './rules/party-rules';
import { BIS_BILLING_CUSTOMIZATION_ID, BIS_BILLING_PROFILE_ID, NORWEGIAN_ORGANISATION_SCHEME } from './ubl';

/** Factoring Finans as the payee of every invoice it has bought (EN 16931 BG-10). */
export interface PayeeDetails {
  name: string;
  organisationNumber: string;
  /** 11-digit Norwegian account number, digits only. */
  bankAccount: string;
  bic?: string;
}

/** What the client's customer card in PowerOffice GO adds when the invoice itself lacks it. */
export interface CustomerCard {
  name?: string;
  organisationNumber?: string;
  postalAddress?: Address;
}

/**
 * The notice of assignment (transport av fordring): after it, a payment to the client no longer
 * discharges the debt (gjeldsbrevloven § 29), so it must reach the end customer with the invoice.
 */
export function assignmentNotice(payee: PayeeDetails): string {
  const account = formatNorwegianAccountNumber(payee.bankAccount);
  return (
    `Fordringen er overdratt til ${payee.name} (org.nr. ${formatOrganisationNumber(payee.organisationNumber)}). ` +
    `Betaling med frigjørende virkning kan kun skje til ${payee.name}, kontonummer ${account}. ` +
    `The claim has been assigned to ${payee.name}; payment with discharging effect can only be made to account ${account}.`
  );
}

/**
 * Turns the client's invoice into the one the end customer receives. The seller stays the client
 * and every amount stays as the client invoiced it (this is the claim Factoring Finans bought);
 * Factoring Finans becomes the payee, the payment instruction becomes a credit transfer to its
 * account with its KID, and the notice of assignment becomes the (single, R002) document note.
 */
export function toFactoredDocument(input: BillingDocument, options: { payee: PayeeDetails; kid: string; customer?: CustomerCard }): BillingDocument {
  const { payee, kid, customer } = options;
  return {
    ...input,
    customizationId: BIS_BILLING_CUSTOMIZATION_ID,
    profileId: BIS_BILLING_PROFILE_ID,
    notes: [[assignmentNotice(payee), ...input.notes].join('\n\n')],
    seller: withRegisterStatement(input),
    buyer: customer ? withCustomerCard(input.buyer, customer) : input.buyer,
    payee: {
      name: payee.name,
      identification: { value: payee.organisationNumber, schemeId: NORWEGIAN_ORGANISATION_SCHEME },
      legalCompanyId: { value: payee.organisationNumber, schemeId: NORWEGIAN_ORGANISATION_SCHEME },
    },
    paymentMeans: [
      {
        code: '30',
        codeName: 'Credit transfer',
        paymentId: kid,
        payeeAccount: { id: payee.bankAccount, name: payee.name, branchId: payee.bic },
      },
    ],
  };
}

/** NO-R-002: an AS, ASA or NUF is always in Foretaksregisteret, and must say so on the invoice. */
function withRegisterStatement(doc: BillingDocument): Party {
  const seller = doc.seller;
  const states = seller.taxSchemes.some((s) => s.taxSchemeId === 'TAX');
  if (states || sellerCountry(doc) !== 'NO' || !mustStateForetaksregisteret(seller)) return seller;
  return { ...seller, taxSchemes: [...seller.taxSchemes, { companyId: 'Foretaksregisteret', taxSchemeId: 'TAX' }] };
}

function withCustomerCard(buyer: Party, card: CustomerCard): Party {
  const address = buyer.postalAddress;
  const addressIsComplete = Boolean(address?.streetName && address.postalZone && address.cityName && address.countryCode);
  return {
    ...buyer,
    endpointId: buyer.endpointId ?? (card.organisationNumber ? { value: card.organisationNumber, schemeId: NORWEGIAN_ORGANISATION_SCHEME } : undefined),
    postalAddress: addressIsComplete ? address : (card.postalAddress ?? address),
    legalEntity: buyer.legalEntity?.registrationName || !card.name ? buyer.legalEntity : { ...buyer.legalEntity, registrationName: card.name },
  };
}
