import { z } from 'zod';
import type { Customer } from '../adapters/poweroffice/v2-schemas';
import { PRINT_ONLY_ADDRESS } from '../domain/channel';
import { isValidOrganisationNumber } from '../domain/organisation-number';

/**
 * The data-quality problems a dry run finds, one kind per thing the client fixes in PowerOffice GO
 * (or in the invoice). The sentences name the customer number and the card's field, never its
 * value: the list goes to the client by e-mail, and an e-mail address or a person's number
 * misplaced in the organisation number field is personal data.
 */
export const PROBLEM_KINDS = [
  'customer-not-found',
  'postal-address-missing',
  'postal-address-incomplete',
  'email-malformed',
  'email-print-only',
  'organisation-number-invalid',
  'not-in-peppol',
  'ehf-rule',
  'ehf-refused',
  'ehf-unreadable',
  'invoice-unreadable',
  'technical',
] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

/** How each kind reads in the summary and the CSV. */
export const PROBLEM_LABELS: Record<ProblemKind, string> = {
  'customer-not-found': 'customer not found',
  'postal-address-missing': 'no postal address',
  'postal-address-incomplete': 'incomplete postal address',
  'email-malformed': 'malformed e-mail address',
  'email-print-only': 'e-mail is printonly (letters only)',
  'organisation-number-invalid': 'organisation number with a bad check digit',
  'not-in-peppol': 'not in PEPPOL (no EHF)',
  'ehf-rule': 'EHF rule would fail',
  'ehf-refused': "client's EHF refused",
  'ehf-unreadable': 'EHF could not be read',
  'invoice-unreadable': 'invoice record could not be read',
  'technical': 'would fail (for Factoring Finans)',
};

export interface DryRunProblem {
  /** Absent only for an invoice record PowerOffice GO sent without a readable number. */
  invoiceNo?: number;
  customerNo?: number;
  kind: ProblemKind;
  /** The PowerOffice GO field to fix, when one is to blame (v2 names: MailAddress.ZipCode, InvoiceEmailAddress). */
  field?: string;
  /** One sentence for the client. */
  problem: string;
}

const emailSchema = z.email();

/** The parts of a letter address a card lacks, by their v2 field names. */
function missingAddressParts(customer: Customer): string[] {
  const address = customer.mailAddress;
  return [
    ['MailAddress.AddressLine1', address?.addressLine1],
    ['MailAddress.ZipCode', address?.zipCode],
    ['MailAddress.City', address?.city],
  ].flatMap(([field, value]) => (value ? [] : [field as string]));
}

/** The e-mail address the channel choice uses (invoiceEmail in activities/invoice/invoice-context.ts) and the field it came from. */
function invoiceEmailField(customer: Customer): { field: string; value: string } | undefined {
  if (customer.invoiceEmailAddress) return { field: 'InvoiceEmailAddress', value: customer.invoiceEmailAddress };
  if (customer.emailAddress) return { field: 'EmailAddress', value: customer.emailAddress };
  return undefined;
}

/** The organisation number as the assessment looks it up in PEPPOL (spaces removed), when the card has one. */
export function organisationNumberOf(customer: Customer | undefined): string | undefined {
  return customer?.organizationNumber?.replace(/\s/g, '') || undefined;
}

/**
 * What is wrong with the customer card of one invoice, as far as the card itself tells: found at
 * all, a postal address a letter can go to, a usable invoice e-mail, a valid organisation number.
 * PEPPOL (asked of the Directory) and the EHF rules come from the assessment.
 */
export function cardProblems(invoiceNo: number, customerNo: number | undefined, customer: Customer | undefined): DryRunProblem[] {
  const at = { invoiceNo, ...(customerNo !== undefined ? { customerNo } : {}) };
  if (customerNo === undefined) return [{ ...at, kind: 'customer-not-found', problem: 'the invoice has no customer number' }];
  if (!customer) return [{ ...at, kind: 'customer-not-found', problem: `customer ${customerNo} was not found in PowerOffice GO` }];
  const problems: DryRunProblem[] = [];

  const missing = missingAddressParts(customer);
  if (missing.length === 3) {
    problems.push({ ...at, kind: 'postal-address-missing', field: 'MailAddress', problem: `customer ${customerNo} has no postal address (MailAddress): the invoice is not distributed` });
  } else if (missing.length > 0) {
    problems.push({
      ...at,
      kind: 'postal-address-incomplete',
      field: missing.join(', '),
      problem: `customer ${customerNo}'s postal address lacks ${missing.join(', ')}: the invoice is not distributed`,
    });
  }

  const email = invoiceEmailField(customer);
  if (email) {
    const address = email.value.trim().toLowerCase();
    if (address === PRINT_ONLY_ADDRESS) {
      problems.push({ ...at, kind: 'email-print-only', field: email.field, problem: `customer ${customerNo}'s ${email.field} is ${PRINT_ONLY_ADDRESS}: letters only` });
    } else if (!emailSchema.safeParse(address).success) {
      problems.push({ ...at, kind: 'email-malformed', field: email.field, problem: `customer ${customerNo}'s ${email.field} is not a valid e-mail address` });
    }
  }

  const organisationNumber = organisationNumberOf(customer);
  if (organisationNumber !== undefined && !isValidOrganisationNumber(organisationNumber)) {
    problems.push({
      ...at,
      kind: 'organisation-number-invalid',
      field: 'OrganizationNumber',
      problem: `customer ${customerNo}'s OrganizationNumber is not a valid organisation number (9 digits, the last a MOD11 check digit)`,
    });
  }
  return problems;
}
