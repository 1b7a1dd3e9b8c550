import type { Ore } from '../money';
import { decimalFromOre, divideRounded, multiply, normalize, parseDecimal, toDecimalText } from './decimal';
import type { BillingDocument, TaxCategory } from './model';

/**
 * VAT as EN 16931 computes it: per VAT breakdown (category and rate), not per line, from the
 * breakdown's taxable amount, rounded to whole øre half away from zero (0.5 øre → 1 øre, and
 * −0.5 øre → −1 øre for credited lines). Computing per line and summing can drift by several øre
 * on a long invoice; per breakdown it cannot.
 */
export function vatOre(taxableAmount: Ore, percent: string): Ore {
  const vat = divideRounded(multiply(decimalFromOre(taxableAmount), parseDecimal(percent)), parseDecimal('100'), 2);
  return Number(vat.units) as Ore;
}

/**
 * The breakdown a category belongs to: its code and its rate without trailing zeros ("S 25").
 * Category O has no rate and one breakdown (BR-O-01, BR-O-08): a rate written on an O line,
 * allowance or charge is its own error (BR-O-05 to BR-O-07), not another breakdown.
 */
export function breakdownKey(category: TaxCategory): string {
  const rate = category.percent === undefined || category.id === 'O' ? '' : toDecimalText(normalize(parseDecimal(category.percent)));
  return `${category.id} ${rate}`.trim();
}

export interface ExpectedBreakdown {
  key: string;
  category: TaxCategory;
  /** Σ line net amounts − document allowances + document charges in this category and rate. */
  taxableAmount: Ore;
}

/** What the VAT breakdown must contain, derived from the lines and document allowances/charges. */
export function expectedBreakdowns(doc: BillingDocument): ExpectedBreakdown[] {
  const byKey = new Map<string, ExpectedBreakdown>();
  const addTo = (category: TaxCategory, amount: Ore): void => {
    const key = breakdownKey(category);
    const current = byKey.get(key) ?? { key, category, taxableAmount: 0 as Ore };
    byKey.set(key, { ...current, taxableAmount: (current.taxableAmount + amount) as Ore });
  };
  for (const line of doc.lines) addTo(line.item.taxCategory, line.lineExtensionAmount);
  for (const ac of doc.allowanceCharges) {
    if (ac.taxCategory) addTo(ac.taxCategory, (ac.chargeIndicator ? ac.amount : 0 - ac.amount) as Ore);
  }
  return [...byKey.values()];
}
