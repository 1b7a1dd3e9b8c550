import { validateKid, type KidMethod } from '../../kid';
import { isValidNorwegianAccountNumber } from '../bank-account';
import type { BillingDocument } from '../model';
import { NORWEGIAN_ORGANISATION_SCHEME } from '../ubl';
import { fatal, unless, type RuleFailure } from './rule';

/** What the outgoing document must say about Factoring Finans, checked before anything is sent. */
export interface FactoringExpectations {
  payeeName: string;
  payeeOrganisationNumber: string;
  payeeAccount: string;
  kid: string;
  kidMethod: KidMethod;
  assignmentNotice: string;
}

/**
 * Factoring Finans' own rules (FF-*), which no official artifact checks: the end customer must pay
 * Factoring Finans, to its account, with the right KID, and be told that the claim was assigned;
 * otherwise a payment to the client would discharge the debt and Factoring Finans would lose it.
 */
export function factoringRules(doc: BillingDocument, expected: FactoringExpectations): RuleFailure[] {
  const means = doc.paymentMeans;
  const account = means[0]?.payeeAccount?.id;
  const kidCheck = validateKid(expected.kid, expected.kidMethod);
  return [
    ...unless(doc.payee?.name === expected.payeeName, () => fatal('FF-PAYEE-01', `the payee must be ${expected.payeeName}`, 'PayeeParty')),
    ...unless(
      doc.payee?.legalCompanyId?.value === expected.payeeOrganisationNumber && doc.payee.legalCompanyId.schemeId === NORWEGIAN_ORGANISATION_SCHEME,
      () => fatal('FF-PAYEE-02', `the payee's organisation number must be ${expected.payeeOrganisationNumber} (scheme 0192)`, 'PayeeParty'),
    ),
    ...unless(means.length === 1 && means[0]?.code === '30', () =>
      fatal('FF-PAY-01', 'there must be exactly one payment instruction: credit transfer (code 30) to Factoring Finans'),
    ),
    ...unless(account === expected.payeeAccount, () =>
      fatal('FF-PAY-02', `the payment account must be Factoring Finans' account ${expected.payeeAccount}, not ${account ?? 'none'}`, 'PaymentMeans'),
    ),
    ...unless(isValidNorwegianAccountNumber(expected.payeeAccount), () =>
      fatal('FF-PAY-03', `Factoring Finans' account ${expected.payeeAccount} is not a valid Norwegian account number (11 digits, MOD11)`),
    ),
    ...unless(means.every((m) => m.paymentId === expected.kid), () => fatal('FF-KID-01', `the payment reference must be the KID ${expected.kid}`, 'PaymentMeans')),
    ...unless(kidCheck.valid, () => fatal('FF-KID-02', `the KID ${expected.kid} is not a valid ${expected.kidMethod} KID: ${kidCheck.valid ? '' : kidCheck.reason}`)),
    ...unless(doc.notes.some((note) => note.includes(expected.assignmentNotice)), () =>
      fatal('FF-NOTICE-01', 'the document note must carry the notice that the claim has been assigned to Factoring Finans'),
    ),
  ];
}
