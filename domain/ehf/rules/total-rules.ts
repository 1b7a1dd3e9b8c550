import { oreToDecimalText, sumOre, type Ore } from '../../money';
import type { BillingDocument } from '../model';
import { fatal, unless, type RuleFailure } from './rule';

/** Section 7 of the reference: the document totals, exact to the øre. */
export function totalRules(doc: BillingDocument): RuleFailure[] {
  const t = doc.totals;
  const allowances = sumOre(doc.allowanceCharges.filter((ac) => !ac.chargeIndicator).map((ac) => ac.amount));
  const charges = sumOre(doc.allowanceCharges.filter((ac) => ac.chargeIndicator).map((ac) => ac.amount));
  const allowanceTotal = t.allowanceTotal ?? (0 as Ore);
  const chargeTotal = t.chargeTotal ?? (0 as Ore);
  const at = 'LegalMonetaryTotal';
  const mustEqual = (ruleId: string, what: string, stated: Ore, expected: number): RuleFailure[] =>
    unless(stated === expected, () => fatal(ruleId, `${what} is ${oreToDecimalText(stated)}, should be ${oreToDecimalText(expected as Ore)}`, at));
  return [
    ...mustEqual('BR-CO-10', 'the sum of line net amounts', t.lineExtension, sumOre(doc.lines.map((l) => l.lineExtensionAmount))),
    ...mustEqual('BR-CO-11', 'the sum of allowances', allowanceTotal, allowances),
    ...mustEqual('BR-CO-12', 'the sum of charges', chargeTotal, charges),
    ...mustEqual('BR-CO-13', 'the total without VAT', t.taxExclusive, t.lineExtension - allowanceTotal + chargeTotal),
    ...mustEqual('BR-CO-15', 'the total with VAT', t.taxInclusive, t.taxExclusive + doc.taxTotal.taxAmount),
    ...mustEqual('BR-CO-16', 'the amount due', t.payable, t.taxInclusive - (t.prepaid ?? 0) + (t.payableRounding ?? 0)),
  ];
}
