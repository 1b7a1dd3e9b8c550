import { sha256Hex } from './sha256';

/**
 * PowerOffice keeps one voucher per `ExternalImportReference` and client (reference §4), so the
 * reference is our "post this ledger event once" guard: a retry after a lost answer is refused as a
 * duplicate instead of being posted twice. It must therefore be a pure function of the event id.
 *
 * The v2 spec gives voucher references no maxLength; the one limit PowerOffice states for an
 * ExternalImportReference (on contacts, mirrored in emulators/poweroffice/seed-v2.ts) is 50, and it
 * recommends GUIDs (36). We stay within 50 rather than find the real limit in production.
 */
export const EXTERNAL_IMPORT_REFERENCE_MAX_LENGTH = 50;

/** Readable form: the event id itself, so support can search PowerOffice by it. */
const VERBATIM_PREFIX = 'ffas-rd-';
/**
 * Hashed form, for ids too long or not plainly safe. Its prefix differs from the readable one at a
 * fixed position ('h' where the other has '-'), so the two forms can never produce the same text.
 */
const HASHED_PREFIX = 'ffas-rdh-';
/** 40 hex digits = 160 bits of SHA-256: a collision (= a silently skipped posting) is out of reach. */
const HASH_DIGITS = 40;

/**
 * Lower-case only: PowerOffice runs on SQL Server, whose usual collation compares text without
 * case, so "Ev-1" and "ev-1" might count as one reference there. Such ids are hashed, and the hash
 * is lower-case hex. Whitespace is excluded because PowerOffice trims references.
 */
const PLAINLY_SAFE = /^[a-z0-9][a-z0-9._:-]*$/;

export function externalImportReferenceFor(eventId: string): string {
  if (eventId.length === 0) throw new Error('a ledger event without an event id cannot be posted once-only');
  const verbatim = `${VERBATIM_PREFIX}${eventId}`;
  if (PLAINLY_SAFE.test(eventId) && verbatim.length <= EXTERNAL_IMPORT_REFERENCE_MAX_LENGTH) return verbatim;
  return `${HASHED_PREFIX}${sha256Hex(eventId).slice(0, HASH_DIGITS)}`;
}
