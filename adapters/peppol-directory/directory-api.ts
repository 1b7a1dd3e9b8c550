import { z } from 'zod';
import type { DocumentType } from '../../domain/invoice';

/**
 * The public PEPPOL Directory (https://directory.peppol.eu, OpenPEPPOL's index of the business
 * cards that SMPs publish) and its REST search API, version 1.0, JSON output:
 *
 *   GET /search/1.0/json?participant=iso6523-actorid-upis::0192:<organisation number>
 *
 * No authentication. `participant` is an exact match on the participant identifier (scheme
 * included); a value that is no PEPPOL participant identifier is 400 with a text/plain message;
 * no query term at all is 400 "No valid query term provided!"; over the rate limit it is 429 with
 * text/plain "REST search rate limit exceeded". No match is 200 with `matches: []`.
 *
 * The response shape follows the Directory's own implementation, phax/phoss-directory:
 * PublicSearchXServletHandler (the top-level fields) and PDStoredBusinessEntity
 * .getAsSearchResultJsonObject (one match per participant), as documented on
 * https://directory.peppol.eu/public/locale-en_US/menuitem-docs-rest-api. Quirks kept:
 * `docTypes` is left out when a participant lists none, and so are an entity's empty lists.
 *
 * Caveat: the Directory holds only participants whose SMP publishes a business card; the
 * authoritative answer is the SML/SMP. A participant missing here gets e-mail or a letter instead
 * of EHF, which still reaches them, so the Directory is good enough for channel choice.
 */

export const PARTICIPANT_SCHEME = 'iso6523-actorid-upis';
export const DOCUMENT_TYPE_SCHEME = 'busdox-docid-qns';
/** Norwegian organisation numbers in the ISO 6523 ICD list. */
export const NORWEGIAN_ICD = '0192';

/**
 * PEPPOL BIS Billing 3.0 (what EHF is since 2019), UBL 2.1 syntax, scheme busdox-docid-qns.
 * Registrations under the wildcard scheme (peppol-doctype-wildcard, used for PINT) do not count.
 */
export const BIS_BILLING_DOCUMENT_TYPE_IDS: Record<DocumentType, string> = {
  Invoice:
    'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1',
  CreditNote:
    'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2::CreditNote##urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1',
};

export const DOCUMENT_TYPES = ['Invoice', 'CreditNote'] as const satisfies readonly DocumentType[];

/** The query value for a Norwegian organisation number. */
export function participantQuery(organisationNumber: string): string {
  return `${PARTICIPANT_SCHEME}::${NORWEGIAN_ICD}:${organisationNumber}`;
}

/** `{ scheme, value }`: how the Directory writes participant, document type and other identifiers. */
export const identifierSchema = z.object({ scheme: z.string(), value: z.string() });
export type DirectoryIdentifier = z.infer<typeof identifierSchema>;

/** One business entity of a participant's business card; only countryCode is always there. */
export const businessEntitySchema = z.object({
  /** Multilingual names; `language` only when the card gives one. */
  name: z.array(z.object({ name: z.string(), language: z.string().optional() })).optional(),
  countryCode: z.string().nullable(),
  geoInfo: z.string().optional(),
  identifiers: z.array(identifierSchema).optional(),
  websites: z.array(z.string()).optional(),
  contacts: z.array(z.object({ type: z.string(), name: z.string(), phone: z.string(), email: z.string() }).partial()).optional(),
  additionalInfo: z.string().optional(),
  /** xs:date, e.g. 2019-05-20. */
  regDate: z.string().optional(),
  deleted: z.boolean().optional(),
});
export type BusinessEntity = z.infer<typeof businessEntitySchema>;

export const directoryMatchSchema = z.object({
  participantID: identifierSchema,
  /** Left out when the participant lists no document type. */
  docTypes: z.array(identifierSchema).optional(),
  entities: z.array(businessEntitySchema),
});
export type DirectoryMatch = z.infer<typeof directoryMatchSchema>;

export const directorySearchResultSchema = z.object({
  version: z.string(),
  'total-result-count': z.number().int(),
  'used-result-count': z.number().int().min(0),
  'result-page-index': z.number().int().min(0),
  'result-page-count': z.number().int().min(1),
  'first-result-index': z.number().int().min(0),
  'last-result-index': z.number().int(),
  'query-terms': z.string(),
  'creation-dt': z.string(),
  matches: z.array(directoryMatchSchema),
});
export type DirectorySearchResult = z.infer<typeof directorySearchResultSchema>;

/**
 * Which of our two documents a Norwegian organisation can receive, read from a search's matches.
 * Identifier values are compared as PEPPOL does: participant identifiers case-insensitively,
 * document type identifiers (scheme busdox-docid-qns) exactly.
 */
export function receivableDocumentTypes(matches: DirectoryMatch[], organisationNumber: string): Record<DocumentType, boolean> {
  const participant = `${NORWEGIAN_ICD}:${organisationNumber}`;
  const docTypes = matches
    .filter((m) => m.participantID.scheme.toLowerCase() === PARTICIPANT_SCHEME && m.participantID.value.toLowerCase() === participant)
    .flatMap((m) => m.docTypes ?? [])
    .filter((d) => d.scheme === DOCUMENT_TYPE_SCHEME)
    .map((d) => d.value);
  return {
    Invoice: docTypes.includes(BIS_BILLING_DOCUMENT_TYPE_IDS.Invoice),
    CreditNote: docTypes.includes(BIS_BILLING_DOCUMENT_TYPE_IDS.CreditNote),
  };
}
