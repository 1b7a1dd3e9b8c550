import { oreToDecimalText, sumOre, type Ore } from '../../money';
import { compare, parseDecimal } from '../decimal';
import type { BillingDocument, TaxCategory } from '../model';
import { breakdownKey, expectedBreakdowns, vatOre } from '../vat';
import { sellerCountry } from './party-rules';
import { fatal, unless, warning, type RuleFailure } from './rule';

/** How each VAT category (UNCL5305) must look; `prefix` is the one in its official rule ids (BR-S-*, …). */
const CATEGORIES: Record<string, { prefix: string; rate: 'positive' | 'zero' | 'none'; reason: 'required' | 'forbidden' | 'optional' }> = {
  S: { prefix: 'S', rate: 'positive', reason: 'forbidden' },
  Z: { prefix: 'Z', rate: 'zero', reason: 'forbidden' },
  E: { prefix: 'E', rate: 'zero', reason: 'required' },
  AE: { prefix: 'AE', rate: 'zero', reason: 'required' },
  K: { prefix: 'IC', rate: 'zero', reason: 'required' },
  G: { prefix: 'G', rate: 'zero', reason: 'required' },
  O: { prefix: 'O', rate: 'none', reason: 'required' },
  L: { prefix: 'IG', rate: 'positive', reason: 'optional' },
  M: { prefix: 'IP', rate: 'positive', reason: 'optional' },
};
const NORWEGIAN_STANDARD_RATES = ['25', '15', '12'];
const ONE_KRONE = 100;

/** Section 6 of the reference: the VAT breakdown, computed per breakdown, consistent to the øre. */
export function vatRules(doc: BillingDocument): RuleFailure[] {
  const { subtotals } = doc.taxTotal;
  return [
    ...unless(subtotals.length > 0, () => fatal('BR-CO-18', 'the VAT breakdown is empty')),
    ...unless(doc.taxTotal.taxAmount === sumOre(subtotals.map((s) => s.taxAmount)), () =>
      fatal('BR-CO-14', `the total VAT ${oreToDecimalText(doc.taxTotal.taxAmount)} is not the sum of the breakdown's VAT amounts`, 'TaxTotal'),
    ),
    ...unless((doc.taxCurrency === undefined) === (doc.taxTotalInTaxCurrency === undefined), () =>
      fatal('PEPPOL-EN16931-R054', 'a VAT total in accounting currency goes with a VAT accounting currency code, and only then'),
    ),
    ...categoryRules(doc),
    ...breakdownCoverageRules(doc),
    ...subtotals.flatMap((subtotal) => {
      const at = `TaxSubtotal ${breakdownKey(subtotal.category)}`;
      return [...categoryShapeRules(subtotal.category, at), ...taxAmountRules(subtotal.taxableAmount, subtotal.taxAmount, subtotal.category, at)];
    }),
    ...norwegianRateRules(doc),
  ];
}

/** Every category on lines, allowances and charges must be a known one with the right rate. */
function categoryRules(doc: BillingDocument): RuleFailure[] {
  const used = [
    ...doc.lines.map((line): [TaxCategory, string] => [line.item.taxCategory, `line ${line.id}`]),
    ...doc.allowanceCharges.flatMap((ac, i): [TaxCategory, string][] => (ac.taxCategory ? [[ac.taxCategory, `document AllowanceCharge ${i + 1}`]] : [])),
  ];
  const categoryIds = new Set(used.map(([category]) => category.id));
  return [
    ...used.flatMap(([category, at]) => categoryShapeRules(category, at, false)),
    ...unless(!categoryIds.has('O') || categoryIds.size === 1, () =>
      fatal('BR-O-11', 'a document with category O (not subject to VAT) may have no other VAT category'),
    ),
  ];
}

function categoryShapeRules(category: TaxCategory, at: string, inBreakdown = true): RuleFailure[] {
  const shape = CATEGORIES[category.id];
  if (!shape) return category.id === '' ? [] : [fatal('BR-CL-18', `"${category.id}" is not a VAT category code (UNCL5305)`, at)];
  const rate = category.percent === undefined ? undefined : parseDecimal(category.percent);
  const rateOk = { positive: rate !== undefined && compare(rate, parseDecimal('0')) > 0, zero: rate !== undefined && rate.units === 0n, none: rate === undefined }[shape.rate];
  const hasReason = category.exemptionReason !== undefined || category.exemptionReasonCode !== undefined;
  const rateRule = `BR-${shape.prefix}-05`;
  return [
    ...unless(rateOk, () => fatal(rateRule, `category ${category.id} needs ${describeRate(shape.rate)}, not ${category.percent ?? 'none'}`, at)),
    ...unless(!inBreakdown || shape.reason !== 'required' || hasReason, () =>
      fatal(`BR-${shape.prefix}-10`, `category ${category.id} needs an exemption reason text or code`, at),
    ),
    ...unless(!inBreakdown || shape.reason !== 'forbidden' || !hasReason, () =>
      fatal(`BR-${shape.prefix}-10`, `category ${category.id} must not have an exemption reason`, at),
    ),
  ];
}

function describeRate(rate: 'positive' | 'zero' | 'none'): string {
  return { positive: 'a rate above 0', zero: 'rate 0', none: 'no rate' }[rate];
}

/**
 * One breakdown per (category, rate) used (BR-S-01, BR-Z-01, …), with the taxable amount the
 * lines, allowances and charges add up to, to the øre (BR-S-08, BR-Z-08, …).
 */
function breakdownCoverageRules(doc: BillingDocument): RuleFailure[] {
  const expected = expectedBreakdowns(doc);
  const stated = new Map(doc.taxTotal.subtotals.map((s) => [breakdownKey(s.category), s]));
  const prefixOf = (category: TaxCategory): string => CATEGORIES[category.id]?.prefix ?? category.id;
  return [
    ...expected.flatMap((e) => {
      const subtotal = stated.get(e.key);
      if (!subtotal) return [fatal(`BR-${prefixOf(e.category)}-01`, `the VAT breakdown has no entry for ${e.key} %, which the lines use`, 'TaxTotal')];
      return unless(subtotal.taxableAmount === e.taxableAmount, () =>
        fatal(
          `BR-${prefixOf(e.category)}-08`,
          `the taxable amount for ${e.key} % is ${oreToDecimalText(subtotal.taxableAmount)}, the lines, allowances and charges add up to ${oreToDecimalText(e.taxableAmount)}`,
          'TaxTotal',
        ),
      );
    }),
    ...doc.taxTotal.subtotals
      .filter((s) => !expected.some((e) => e.key === breakdownKey(s.category)))
      .map((s) => fatal(`BR-${prefixOf(s.category)}-08`, `the VAT breakdown has ${breakdownKey(s.category)} %, which no line, allowance or charge uses`, 'TaxTotal')),
  ];
}

/**
 * VAT = taxable × rate ÷ 100, rounded half away from zero to the øre. BR-CO-17 tolerates ±1.00
 * (for senders that round per line); Factoring Finans sends only exact breakdowns (FF-VAT-01), so
 * that the VAT on the end customer's invoice is what the Norwegian VAT rules give.
 */
function taxAmountRules(taxable: Ore, tax: Ore, category: TaxCategory, at: string): RuleFailure[] {
  const shape = CATEGORIES[category.id];
  if (!shape) return [];
  if (shape.rate !== 'positive') {
    return unless(tax === 0, () => fatal(`BR-${shape.prefix}-09`, `category ${category.id} carries no VAT, but the breakdown says ${oreToDecimalText(tax)}`, at));
  }
  if (category.percent === undefined) return [];
  const expected = vatOre(taxable, category.percent);
  if (Math.abs(tax - expected) > ONE_KRONE) {
    return [fatal('BR-CO-17', `VAT ${oreToDecimalText(tax)} is more than 1.00 away from ${oreToDecimalText(expected)} (taxable × rate)`, at)];
  }
  return unless(tax === expected, () =>
    fatal('FF-VAT-01', `VAT ${oreToDecimalText(tax)} should be ${oreToDecimalText(expected)}: taxable × rate, rounded to the øre`, at),
  );
}

/** A Norwegian seller's standard-rated VAT is 25, 15 or 12 %; anything else is most likely a typo. */
function norwegianRateRules(doc: BillingDocument): RuleFailure[] {
  if (sellerCountry(doc) !== 'NO') return [];
  return doc.taxTotal.subtotals
    .filter((s) => s.category.id === 'S' && s.category.percent !== undefined)
    .filter((s) => !NORWEGIAN_STANDARD_RATES.some((rate) => compare(parseDecimal(rate), parseDecimal(s.category.percent ?? '0')) === 0))
    .map((s) => warning('FF-VAT-02', `${s.category.percent ?? ''} % is not a Norwegian VAT rate (25, 15, 12)`, 'TaxTotal'));
}
