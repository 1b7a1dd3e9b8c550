import { z } from 'zod';
import {
  BIS_BILLING_DOCUMENT_TYPE_IDS,
  DOCUMENT_TYPE_SCHEME,
  DOCUMENT_TYPES,
  NORWEGIAN_ICD,
  PARTICIPANT_SCHEME,
  type DirectoryMatch,
} from '../../adapters/peppol-directory/directory-api';

/**
 * The emulated Directory's content: Norwegian organisations (ICD 0192) and which BIS Billing 3.0
 * documents their business cards list. Requests to the search API are counted per organisation
 * number, so tests can prove that a cache spared the Directory.
 */
export const participantRegistrationSchema = z.strictObject({
  organisationNumber: z.string().regex(/^\d{9}$/, 'must be 9 digits'),
  /** An empty list is a participant registered for other documents only (e.g. orders). */
  documentTypes: z.array(z.enum(DOCUMENT_TYPES)).max(2),
  /** The business card's entity name; left out of the match when not given. */
  name: z.string().min(1).max(200).optional(),
});
export type ParticipantRegistration = z.infer<typeof participantRegistrationSchema>;

/**
 * The EHF customers of the PowerOffice demo fixture (emulators/poweroffice/fixtures/demo-company.json):
 * customer 10010 of client 1001 and customer 20010 of client 1002, both `InvoiceDeliveryType: EHF`.
 */
export const DEMO_PEPPOL_PARTICIPANTS: readonly ParticipantRegistration[] = [
  { organisationNumber: '987145234', name: 'Nordlys Bakeri AS', documentTypes: ['Invoice', 'CreditNote'] },
  { organisationNumber: '973214500', name: 'Bergen Kulturhus AS', documentTypes: ['Invoice', 'CreditNote'] },
];

export interface SearchCalls {
  /** Every request to the search API that got past fault injection, refused ones included. */
  total: number;
  /** By the organisation number asked for (0192 participants only). */
  byOrganisationNumber: Record<string, number>;
}

export class ParticipantRegistry {
  private readonly registrations = new Map<string, ParticipantRegistration>();
  calls: SearchCalls = { total: 0, byOrganisationNumber: {} };

  constructor(seed: readonly ParticipantRegistration[]) {
    for (const registration of seed) this.register(registration);
  }

  /** Registers, or replaces what an organisation is registered for. True when it is new. */
  register(registration: ParticipantRegistration): boolean {
    const isNew = !this.registrations.has(registration.organisationNumber);
    this.registrations.set(registration.organisationNumber, { ...registration, documentTypes: [...new Set(registration.documentTypes)] });
    return isNew;
  }

  remove(organisationNumber: string): boolean {
    return this.registrations.delete(organisationNumber);
  }

  list(): ParticipantRegistration[] {
    return [...this.registrations.values()];
  }

  countSearch(organisationNumbers: string[]): void {
    this.calls.total += 1;
    for (const number of organisationNumbers) this.calls.byOrganisationNumber[number] = (this.calls.byOrganisationNumber[number] ?? 0) + 1;
  }

  resetCalls(): void {
    this.calls = { total: 0, byOrganisationNumber: {} };
  }

  /** The Directory's match for an organisation number, or undefined when it has no business card. */
  match(organisationNumber: string): DirectoryMatch | undefined {
    const registration = this.registrations.get(organisationNumber);
    return registration ? matchOf(registration) : undefined;
  }
}

/** Shaped as PDStoredBusinessEntity.getAsSearchResultJsonObject writes it: empty lists left out. */
function matchOf(registration: ParticipantRegistration): DirectoryMatch {
  const docTypes = registration.documentTypes.map((type) => ({ scheme: DOCUMENT_TYPE_SCHEME, value: BIS_BILLING_DOCUMENT_TYPE_IDS[type] }));
  return {
    participantID: { scheme: PARTICIPANT_SCHEME, value: `${NORWEGIAN_ICD}:${registration.organisationNumber}` },
    ...(docTypes.length > 0 ? { docTypes } : {}),
    entities: [{ ...(registration.name ? { name: [{ name: registration.name }] } : {}), countryCode: 'NO' }],
  };
}
