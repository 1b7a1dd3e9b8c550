import {
  add,
  compare,
  decimalFromOre,
  divideRounded,
  isZero,
  multiply,
  parseDecimal,
  subtract,
  withinTolerance,
  type Decimal,
} from '../decimal';
import { oreToDecimalText, type Ore } from '../../money';
import type { AllowanceCharge, BillingDocument, Line } from '../model';
import { fatal, unless, type RuleFailure } from './rule';

const TWO_ORE = parseDecimal('0.02');

/** Section 5 of the reference: lines, and allowances/charges on both levels. */
export function lineRules(doc: BillingDocument): RuleFailure[] {
  return [
    ...unless(doc.lines.length > 0, () => fatal('BR-16', 'the document has no lines')),
    ...doc.lines.flatMap((line) => singleLineRules(doc, line)),
    ...doc.allowanceCharges.flatMap((ac, index) => documentAllowanceChargeRules(ac, `document AllowanceCharge ${index + 1}`)),
  ];
}

function singleLineRules(doc: BillingDocument, line: Line): RuleFailure[] {
  const at = `line ${line.id || '?'}`;
  return [
    ...unless(line.id !== '', () => fatal('BR-21', 'the line identifier is missing', at)),
    ...unless(line.quantity !== '', () => fatal('BR-22', 'the invoiced quantity is missing', at)),
    ...unless(line.unitCode !== '', () => fatal('BR-23', 'the unit of measure (@unitCode) is missing', at)),
    ...unless(line.item.name !== '', () => fatal('BR-25', 'the item name is missing', at)),
    ...unless(line.price.amount !== '', () => fatal('BR-26', 'the item net price is missing', at)),
    ...unless(line.price.amount === '' || compare(parseDecimal(line.price.amount), parseDecimal('0')) >= 0, () =>
      fatal('BR-27', `the item net price ${line.price.amount} is negative`, at),
    ),
    ...unless(line.item.taxCategory.id !== '', () => fatal('BR-CO-04', 'the line has no VAT category', at)),
    ...unless(line.price.baseQuantity === undefined || compare(parseDecimal(line.price.baseQuantity), parseDecimal('0')) > 0, () =>
      fatal('PEPPOL-EN16931-R121', 'the price base quantity must be above zero', at),
    ),
    ...unless(line.price.baseQuantityUnitCode === undefined || line.price.baseQuantityUnitCode === line.unitCode, () =>
      fatal('PEPPOL-EN16931-R130', 'the price base quantity must have the same unit as the invoiced quantity', at),
    ),
    ...lineAmountRules(line, at),
    ...priceDiscountRules(line, at),
    ...linePeriodRules(doc, line, at),
    ...line.allowanceCharges.flatMap((ac) => allowanceChargeRules(ac, at, 'line')),
  ];
}

/** PEPPOL-EN16931-R120: net = quantity × (price ÷ base quantity) + charges − allowances, ±0.02. */
function lineAmountRules(line: Line, at: string): RuleFailure[] {
  if (line.quantity === '' || line.price.amount === '') return [];
  const base = line.price.baseQuantity && !isZero(parseDecimal(line.price.baseQuantity)) ? parseDecimal(line.price.baseQuantity) : parseDecimal('1');
  const sumOf = (charge: boolean): Decimal =>
    line.allowanceCharges.filter((ac) => ac.chargeIndicator === charge).reduce((sum, ac) => add(sum, decimalFromOre(ac.amount)), parseDecimal('0'));
  // Compare quantity × price + base × (charges − allowances) with base × net amount: no division.
  const computed = add(multiply(parseDecimal(line.quantity), parseDecimal(line.price.amount)), multiply(base, subtract(sumOf(true), sumOf(false))));
  const stated = multiply(base, decimalFromOre(line.lineExtensionAmount));
  const expected = Number(divideRounded(computed, base, 2).units) as Ore;
  return unless(withinTolerance(computed, stated, multiply(base, TWO_ORE)), () =>
    fatal(
      'PEPPOL-EN16931-R120',
      `the line net amount ${oreToDecimalText(line.lineExtensionAmount)} is not quantity × price ÷ base quantity + charges − allowances = ${oreToDecimalText(expected)}`,
      at,
    ),
  );
}

/** PEPPOL-EN16931-R046: when the gross price is given, net price = gross price − price discount. */
function priceDiscountRules(line: Line, at: string): RuleFailure[] {
  const discount = line.price.allowance;
  if (!discount?.baseAmount || line.price.amount === '') return [];
  const expected = subtract(parseDecimal(discount.baseAmount), parseDecimal(discount.amount));
  return unless(compare(parseDecimal(line.price.amount), expected) === 0, () =>
    fatal('PEPPOL-EN16931-R046', `the net price ${line.price.amount} is not the gross price ${discount.baseAmount} minus the discount ${discount.amount}`, at),
  );
}

/** PEPPOL-EN16931-R110/R111: a line period lies within the invoice period. */
function linePeriodRules(doc: BillingDocument, line: Line, at: string): RuleFailure[] {
  const outer = doc.invoicePeriod;
  const inner = line.period;
  if (!outer || !inner) return [];
  return [
    ...unless(!outer.startDate || !inner.startDate || inner.startDate >= outer.startDate, () =>
      fatal('PEPPOL-EN16931-R110', 'the line period starts before the invoice period', at),
    ),
    ...unless(!outer.endDate || !inner.endDate || inner.endDate <= outer.endDate, () =>
      fatal('PEPPOL-EN16931-R111', 'the line period ends after the invoice period', at),
    ),
  ];
}

function documentAllowanceChargeRules(ac: AllowanceCharge, at: string): RuleFailure[] {
  const categoryRule = ac.chargeIndicator ? 'BR-37' : 'BR-32';
  return [
    ...allowanceChargeRules(ac, at, 'document'),
    ...unless(ac.taxCategory !== undefined, () => fatal(categoryRule, 'a document level allowance or charge needs a VAT category', at)),
  ];
}

/**
 * Reason required (BR-33/BR-38 on document level, BR-42/BR-44 on lines); percentage and base
 * amount together (PEPPOL-EN16931-R041/R042) and consistent with the amount (R040, ±0.02).
 */
function allowanceChargeRules(ac: AllowanceCharge, at: string, level: 'document' | 'line'): RuleFailure[] {
  const reasonRule = { document: ac.chargeIndicator ? 'BR-38' : 'BR-33', line: ac.chargeIndicator ? 'BR-44' : 'BR-42' }[level];
  const { multiplierFactor, baseAmount } = ac;
  return [
    ...unless(ac.reason !== undefined || ac.reasonCode !== undefined, () => fatal(reasonRule, 'an allowance or charge needs a reason or a reason code', at)),
    ...unless(multiplierFactor === undefined || baseAmount !== undefined, () =>
      fatal('PEPPOL-EN16931-R041', 'a percentage needs the base amount it applies to', at),
    ),
    ...unless(baseAmount === undefined || multiplierFactor !== undefined, () =>
      fatal('PEPPOL-EN16931-R042', 'a base amount needs the percentage applied to it', at),
    ),
    ...unless(
      multiplierFactor === undefined ||
        baseAmount === undefined ||
        withinTolerance(
          multiply(decimalFromOre(ac.amount), parseDecimal('100')),
          multiply(decimalFromOre(baseAmount), parseDecimal(multiplierFactor)),
          parseDecimal('2'),
        ),
      () => fatal('PEPPOL-EN16931-R040', 'the allowance or charge amount is not base amount × percentage ÷ 100', at),
    ),
  ];
}
