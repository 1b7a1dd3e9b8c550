import { oreToDecimalText, sumOre, type Ore } from '../../money';
import { compare, parseDecimal } from '../decimal';
import type { BillingDocument, TaxCategory } from '../model';
import { breakdownKey, expectedBreakdowns, vatOre } from '../vat';
import { sellerCountry, vatIds } from './party-rules';
import { fatal, unless, warning, type RuleFailure } from './rule';

/** How each VAT category (UNCL5305) must look; `prefix` is the one in its official rule ids (BR-S-*, …). */
type RateShape = 'positive' | 'zero' | 'zero-or-more' | 'none';
const CATEGORIES: Record<string, { prefix: string; rate: RateShape; reason: 'required' | 'forbidden' | 'optional' }> = {
  S: { prefix: 'S', rate: 'positive', reason: 'forbidden' },
  Z: { prefix: 'Z', rate: 'zero', reason: 'forbidden' },
  E: { prefix: 'E', rate: 'zero', reason: 'required' },
  AE: { prefix: 'AE', rate: 'zero', reason: 'required' },
  K: { prefix: 'IC', rate: 'zero', reason: 'required' },
  G: { prefix: 'G', rate: 'zero', reason: 'required' },
  O: { prefix: 'O', rate: 'none', reason: 'required' },
  // IGIC (Canary Islands) and IPSI (Ceuta and Melilla): BR-AF-* and BR-AG-* since EN 16931 1.3.
  L: { prefix: 'AF', rate: 'zero-or-more', reason: 'optional' },
  M: { prefix: 'AG', rate: 'zero-or-more', reason: 'optional' },
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
    ...notSubjectToVatRules(doc),
    ...breakdownCoverageRules(doc),
    ...subtotals.flatMap((subtotal) => {
      const at = `TaxSubtotal ${breakdownKey(subtotal.category)}`;
      return [...categoryShapeRules(subtotal.category, at, 'breakdown'), ...taxAmountRules(subtotal.taxableAmount, subtotal.taxAmount, subtotal.category, at)];
    }),
    ...norwegianRateRules(doc),
  ];
}

/** Where a VAT category sits; each place has its own rule ids (BR-S-05 line, BR-S-06 allowance, BR-S-07 charge). */
type CategoryPlace = 'line' | 'allowance' | 'charge' | 'breakdown';
const RATE_RULE: Record<CategoryPlace, string> = { line: '05', allowance: '06', charge: '07', breakdown: '05' };

/** Every category on lines, allowances and charges must be a known one with the right rate. */
function categoryRules(doc: BillingDocument): RuleFailure[] {
  return usedCategories(doc).flatMap(({ category, at, place }) => categoryShapeRules(category, at, place));
}

interface UsedCategory {
  category: TaxCategory;
  at: string;
  place: 'line' | 'allowance' | 'charge';
}

function usedCategories(doc: BillingDocument): UsedCategory[] {
  return [
    ...doc.lines.map((line): UsedCategory => ({ category: line.item.taxCategory, at: `line ${line.id}`, place: 'line' })),
    ...doc.allowanceCharges.flatMap((ac, i): UsedCategory[] =>
      ac.taxCategory ? [{ category: ac.taxCategory, at: `document AllowanceCharge ${i + 1}`, place: ac.chargeIndicator ? 'charge' : 'allowance' }] : [],
    ),
  ];
}

function categoryShapeRules(category: TaxCategory, at: string, place: CategoryPlace): RuleFailure[] {
  const shape = CATEGORIES[category.id];
  if (!shape) return category.id === '' ? [] : [fatal('BR-CL-18', `"${category.id}" is not a VAT category code (UNCL5305)`, at)];
  const rate = category.percent === undefined ? undefined : parseDecimal(category.percent);
  const rateOk = {
    positive: rate !== undefined && compare(rate, parseDecimal('0')) > 0,
    zero: rate !== undefined && rate.units === 0n,
    'zero-or-more': rate !== undefined && compare(rate, parseDecimal('0')) >= 0,
    none: rate === undefined,
  }[shape.rate];
  const hasReason = category.exemptionReason !== undefined || category.exemptionReasonCode !== undefined;
  const inBreakdown = place === 'breakdown';
  const rateRule = `BR-${shape.prefix}-${RATE_RULE[place]}`;
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

/**
 * Category O, "not subject to VAT" (BR-O-01 to BR-O-04, BR-O-11 to BR-O-14; BR-O-05 to -10 are the
 * shape and breakdown rules above): the seller is outside the VAT system, so the document carries
 * no VAT identifier at all, and O is its only category.
 */
function notSubjectToVatRules(doc: BillingDocument): RuleFailure[] {
  const used = usedCategories(doc);
  const isO = (category: TaxCategory | undefined): boolean => category?.id === 'O';
  const oBreakdowns = doc.taxTotal.subtotals.filter((s) => isO(s.category));
  const vatIdHolders: [string, string[]][] = (
    [
      ['AccountingSupplierParty', vatIds(doc.seller)],
      ['TaxRepresentativeParty', doc.taxRepresentative?.vatId ? [doc.taxRepresentative.vatId] : []],
      ['AccountingCustomerParty', vatIds(doc.buyer)],
    ] satisfies [string, string[]][]
  ).filter(([, ids]) => ids.length > 0);
  const noVatIds = (ruleId: string, place: 'line' | 'allowance' | 'charge'): RuleFailure[] => {
    if (!used.some((u) => u.place === place && isO(u.category))) return [];
    const what = { line: 'an invoice line', allowance: 'a document allowance', charge: 'a document charge' }[place];
    return vatIdHolders.map(([party, ids]) =>
      fatal(
        ruleId,
        `${what} is not subject to VAT (category O), so the document may carry no VAT identifier, but the ${partyName(party)} has ${ids.join(', ')}: ` +
          'a VAT-registered seller needs another VAT category (S, Z, E, …), otherwise the VAT identifier must go',
        party,
      ),
    );
  };
  const otherThanO = (ruleId: string, what: string, categories: (TaxCategory | undefined)[]): RuleFailure[] =>
    unless(oBreakdowns.length === 0 || categories.every((c) => c === undefined || isO(c)), () =>
      fatal(ruleId, `a document with a category O (not subject to VAT) breakdown may have no ${what} in another VAT category`),
    );
  return [
    ...unless(!used.some((u) => isO(u.category)) || oBreakdowns.length <= 1, () =>
      fatal('BR-O-01', `a document with category O (not subject to VAT) needs exactly one O breakdown, not ${oBreakdowns.length}`, 'TaxTotal'),
    ),
    ...noVatIds('BR-O-02', 'line'),
    ...noVatIds('BR-O-03', 'allowance'),
    ...noVatIds('BR-O-04', 'charge'),
    ...otherThanO('BR-O-11', 'VAT breakdown', doc.taxTotal.subtotals.map((s) => s.category)),
    ...otherThanO('BR-O-12', 'invoice line', doc.lines.map((line) => line.item.taxCategory)),
    ...otherThanO('BR-O-13', 'document allowance', doc.allowanceCharges.filter((ac) => !ac.chargeIndicator).map((ac) => ac.taxCategory)),
    ...otherThanO('BR-O-14', 'document charge', doc.allowanceCharges.filter((ac) => ac.chargeIndicator).map((ac) => ac.taxCategory)),
  ];
}

function partyName(party: string): string {
  return { AccountingSupplierParty: 'seller', TaxRepresentativeParty: "seller's tax representative", AccountingCustomerParty: 'buyer' }[party] ?? party;
}

function describeRate(rate: RateShape): string {
  return { positive: 'a rate above 0', zero: 'rate 0', 'zero-or-more': 'a rate of 0 or more', none: 'no rate' }[rate];
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
  if (shape.rate === 'zero' || shape.rate === 'none') {
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
