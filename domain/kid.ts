/**
 * KID (kundeidentifikasjon): the Norwegian payment reference that Factoring Finans puts on every
 * invoice it distributes, and that comes back with each payment so the payment can be matched.
 *
 * Layout, fixed per client (its KID scheme) so that every KID has the length the bank agreement
 * states (Mastercard Payment Services allows 4–25 digits):
 *
 *   MOD10: CCCCC IIII…I K         MOD11: CCCCC V IIII…I K
 *
 * - C: Factoring Finans' client number, zero-padded to CLIENT_NUMBER_DIGITS. Every client has its
 *   own prefix of the same width, so two clients can never produce the same KID.
 * - I: the client's invoice number, zero-padded to fill the length. It must be a number unique
 *   within the client, so the KID is unique across all clients. An invoice number too long for the
 *   field is refused, never truncated. Which number (see {@link invoiceNumberForKid}):
 *     1. the number we are given: in the service always PowerOffice GO's InvoiceNo, a whole number
 *        GO issues once per client, whatever the EHF's cbc:ID says; in `preview`, `--invoice-no`;
 *     2. else the document's cbc:ID when it is all digits ("10023"), as PowerOffice GO writes it;
 *     3. else, in `preview` only, a preview number: the digits of the cbc:ID in order ("2026-0417"
 *        → 20260417, "F-26-0312" → 260312), shown with a warning (FF-KID-04) that says so. Such
 *        a number is not unique ("F-26-0312" and "G-26-0312" share it), which is harmless in a
 *        preview (it issues nothing) and is why the service never derives: it always has GO's
 *        InvoiceNo, and any injective encoding of letters needs more digits than a KID has (a
 *        15-digit MOD10 KID holds 9). A KID that could pay someone else's invoice is worse than
 *        no KID.
 *     4. else a refusal (FF-KID-03) asking for the number.
 * - V (MOD11 only): the variant digit, normally 0. MOD11 has an eleventh outcome, the check "-"
 *   (remainder 1), which banks refuse. When the body with V = 0 would need "-", V becomes 1: that
 *   adds V's weight w (2..7) to the weighted sum, so the remainder becomes (1 + w) mod 11, which is
 *   3..8 and never 1. The parser accepts V = 1 only in exactly that case, so each (client, invoice)
 *   still has one KID and no KID ever ends in "-".
 * - K: the check digit, MOD10 (Luhn) or MOD11 as the scheme says.
 */

export type KidMethod = 'MOD10' | 'MOD11';

/** Mastercard Payment Services (ex-Nets): a KID is 4–25 digits including the check digit. */
export const KID_MIN_LENGTH = 4;
export const KID_MAX_LENGTH = 25;
/** Width of the client-number prefix: up to 99 999 clients. Shared by all clients, see above. */
export const CLIENT_NUMBER_DIGITS = 5;

export interface KidScheme {
  method: KidMethod;
  /** Total length including the check digit, as agreed with the bank. */
  length: number;
  /** Factoring Finans' number for the client (not PowerOffice's Guid). */
  clientNumber: number;
}

export interface KidParts {
  clientNumber: number;
  invoiceNumber: number;
}

export type KidCheck = { valid: true } | { valid: false; reason: string };
export type KidParse = ({ valid: true } & KidParts) | { valid: false; reason: string };

export class KidError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KidError';
  }
}

/** Luhn: from the right, weights 2, 1, 2, 1, …; products ≥ 10 count as the sum of their digits. */
export function mod10CheckDigit(body: string): string {
  assertDigits(body);
  let sum = 0;
  [...body].reverse().forEach((char, index) => {
    const product = Number(char) * (index % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  });
  return String((10 - (sum % 10)) % 10);
}

/**
 * Σ digit × weight with weights 2, 3, 4, 5, 6, 7, 2, 3, … from the right. The same weights serve the
 * KID, the organisation number (3 2 7 6 5 4 3 2) and the bank account number (5 4 3 2 7 6 5 4 3 2).
 */
export function mod11WeightedSum(body: string): number {
  assertDigits(body);
  return [...body].reverse().reduce((sum, char, index) => sum + Number(char) * (2 + (index % 6)), 0);
}

/** MOD11 check character: 11 − remainder; remainder 0 gives "0" and remainder 1 gives "-". */
export function mod11CheckDigit(body: string): string {
  const remainder = mod11WeightedSum(body) % 11;
  if (remainder === 0) return '0';
  if (remainder === 1) return '-';
  return String(11 - remainder);
}

export function checkDigit(method: KidMethod, body: string): string {
  return method === 'MOD10' ? mod10CheckDigit(body) : mod11CheckDigit(body);
}

/** Whether a KID from outside (a payment, a document) is well formed and its check digit right. */
export function validateKid(kid: string, method: KidMethod): KidCheck {
  if (kid.length < KID_MIN_LENGTH || kid.length > KID_MAX_LENGTH) {
    return { valid: false, reason: `a KID has ${KID_MIN_LENGTH}–${KID_MAX_LENGTH} characters, this has ${kid.length}` };
  }
  const body = kid.slice(0, -1);
  const check = kid.slice(-1);
  if (!/^\d+$/.test(body)) return { valid: false, reason: 'only digits may come before the check digit' };
  const expected = checkDigit(method, body);
  if (check !== expected) return { valid: false, reason: `${method} check digit should be ${expected}, not ${check}` };
  return { valid: true };
}

/** The KID Factoring Finans issues for one invoice of one client. */
export function generateKid(scheme: KidScheme, invoiceNumber: number): string {
  const layout = kidLayout(scheme);
  if (!Number.isSafeInteger(invoiceNumber) || invoiceNumber < 0) {
    throw new KidError(`invoice number ${invoiceNumber} is not a whole number ≥ 0`);
  }
  const invoiceDigits = String(invoiceNumber);
  if (invoiceDigits.length > layout.invoiceDigits) {
    throw new KidError(
      `invoice number ${invoiceNumber} has ${invoiceDigits.length} digits; a ${scheme.method} KID of length ${scheme.length} has room for ${layout.invoiceDigits}`,
    );
  }
  const client = String(scheme.clientNumber).padStart(CLIENT_NUMBER_DIGITS, '0');
  const invoice = invoiceDigits.padStart(layout.invoiceDigits, '0');
  if (scheme.method === 'MOD10') return withCheckDigit('MOD10', client + invoice);
  const usual = `${client}0${invoice}`;
  return mod11CheckDigit(usual) === '-' ? withCheckDigit('MOD11', `${client}1${invoice}`) : withCheckDigit('MOD11', usual);
}

export type KidInvoiceNumber = { valid: true; invoiceNumber: number; derivedForPreview?: boolean } | { valid: false; reason: string };

/** The digits of a cbc:ID used as is: up to 15, so the number stays exact in a JavaScript number. */
const DIGITS_ONLY_ID = /^\d{1,15}$/;

/**
 * The number a KID is built from, by the rule in this file's header: the number given (PowerOffice
 * GO's InvoiceNo; `--invoice-no` in preview), else a digits-only cbc:ID, else (preview only) the
 * ID's digits, else a refusal that says why. "0123" and "123" are the same number, as they are in
 * PowerOffice GO.
 */
export function invoiceNumberForKid(documentId: string, given?: number, options: { preview?: boolean } = {}): KidInvoiceNumber {
  if (given !== undefined) return { valid: true, invoiceNumber: given };
  if (DIGITS_ONLY_ID.test(documentId)) return { valid: true, invoiceNumber: Number(documentId) };
  const digits = documentId.replace(/\D/g, '');
  if (options.preview && DIGITS_ONLY_ID.test(digits)) return { valid: true, invoiceNumber: Number(digits), derivedForPreview: true };
  const shown =
    documentId === ''
      ? 'The invoice has no number (cbc:ID)'
      : /^\d+$/.test(documentId)
        ? `The invoice number "${documentId}" (cbc:ID) has ${documentId.length} digits, more than a KID has room for`
        : `The invoice number "${documentId}" (cbc:ID) is not all digits`;
  return {
    valid: false,
    reason: `${shown}, and a KID is built from a number unique per client: give PowerOffice GO's invoice number for it (preview: --invoice-no N).`,
  };
}

/** Reads a KID back into client and invoice number, refusing anything Factoring Finans would not issue. */
export function parseKid(kid: string, scheme: KidScheme): KidParse {
  const layout = kidLayout(scheme);
  const check = validateKid(kid, scheme.method);
  if (!check.valid) return check;
  if (kid.length !== scheme.length) return { valid: false, reason: `the client's KIDs have ${scheme.length} digits, this has ${kid.length}` };
  const clientNumber = Number(kid.slice(0, CLIENT_NUMBER_DIGITS));
  if (clientNumber !== scheme.clientNumber) {
    return { valid: false, reason: `client number ${clientNumber} in the KID is not the client's (${scheme.clientNumber})` };
  }
  const invoiceNumber = Number(kid.slice(-1 - layout.invoiceDigits, -1));
  if (kid !== generateKid(scheme, invoiceNumber)) {
    return { valid: false, reason: 'the variant digit is not the one Factoring Finans issues for this invoice' };
  }
  return { valid: true, clientNumber, invoiceNumber };
}

export interface KidLayout {
  clientDigits: number;
  variantDigits: 0 | 1;
  invoiceDigits: number;
}

/** The digit budget of a scheme; refuses schemes that cannot hold a client and an invoice number. */
export function kidLayout(scheme: KidScheme): KidLayout {
  if (!Number.isSafeInteger(scheme.length) || scheme.length < KID_MIN_LENGTH || scheme.length > KID_MAX_LENGTH) {
    throw new KidError(`KID length ${scheme.length} is outside ${KID_MIN_LENGTH}–${KID_MAX_LENGTH}`);
  }
  if (!Number.isSafeInteger(scheme.clientNumber) || scheme.clientNumber < 0 || String(scheme.clientNumber).length > CLIENT_NUMBER_DIGITS) {
    throw new KidError(`client number ${scheme.clientNumber} does not fit in ${CLIENT_NUMBER_DIGITS} digits`);
  }
  const variantDigits = scheme.method === 'MOD11' ? 1 : 0;
  const invoiceDigits = scheme.length - CLIENT_NUMBER_DIGITS - variantDigits - 1;
  if (invoiceDigits < 1) {
    throw new KidError(
      `a ${scheme.method} KID needs at least ${CLIENT_NUMBER_DIGITS + variantDigits + 2} digits to hold a client number and an invoice number`,
    );
  }
  return { clientDigits: CLIENT_NUMBER_DIGITS, variantDigits, invoiceDigits };
}

function withCheckDigit(method: KidMethod, body: string): string {
  return body + checkDigit(method, body);
}

function assertDigits(body: string): void {
  if (!/^\d+$/.test(body)) throw new KidError(`check digits are computed over digits only, not "${body}"`);
}
