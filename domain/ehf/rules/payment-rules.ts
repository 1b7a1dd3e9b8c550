import type { BillingDocument } from '../model';
import { fatal, unless, type RuleFailure } from './rule';

/** Section 4 of the reference: payment instructions. */
export function paymentRules(doc: BillingDocument): RuleFailure[] {
  const paymentIds = new Set(doc.paymentMeans.flatMap((m) => m.paymentId ?? []));
  return [
    ...doc.paymentMeans.flatMap((means, index) => {
      const at = `PaymentMeans ${index + 1}`;
      return [
        ...unless(means.code !== '', () => fatal('BR-49', 'the payment means type code is missing', at)),
        ...unless(!['30', '58'].includes(means.code) || means.payeeAccount !== undefined, () =>
          fatal('BR-61', 'a credit transfer needs the payment account identifier', at),
        ),
      ];
    }),
    ...unless(paymentIds.size <= 1, () => fatal('UBL-SR-44', `only one payment reference is allowed, there are ${paymentIds.size}`)),
  ];
}
