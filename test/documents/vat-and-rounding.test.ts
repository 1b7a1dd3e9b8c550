import { parseDecimal, divideRounded, toDecimalText } from '../../domain/ehf/decimal';
import { parseBillingDocument } from '../../domain/ehf/parse-ubl';
import { checkBillingDocument } from '../../domain/ehf/rules';
import { expectedBreakdowns, vatOre } from '../../domain/ehf/vat';
import { MoneyFormatError, oreFromDecimalText, oreToDecimalText, type Ore } from '../../domain/money';
import { fixture } from './fixtures';

const ore = (value: number): Ore => value as Ore;

describe('amounts as UBL writes them', () => {
  test.each([
    ['1436.50', 143650],
    ['1436.5', 143650],
    ['4900.0', 490000],
    ['-3.96', -396],
    ['+25', 2500],
    ['.5', 50],
    ['802.000', 80200],
  ])('"%s" is %p øre', (text, expected) => {
    expect(oreFromDecimalText(text)).toBe(expected);
  });

  test('a third decimal is refused, not rounded away', () => {
    expect(() => oreFromDecimalText('10.005')).toThrow(MoneyFormatError);
  });

  test.each([
    [143650, '1436.50'],
    [-396, '-3.96'],
    [5, '0.05'],
  ])('%p øre is written "%s"', (value, text) => {
    expect(oreToDecimalText(ore(value))).toBe(text);
  });
});

describe('VAT per breakdown, rounded half away from zero to the øre', () => {
  test.each([
    [1000002, '25', 250001, '10 000.02 × 25 % = 2 500.005 → 2 500.01 (half up)'],
    [9999, '15', 1500, '99.99 × 15 % = 14.9985 → 15.00'],
    [10450, '12', 1254, '104.50 × 12 % = 12.54 exactly'],
    [146050, '25', 36513, 'the official Norwegian example: 1 460.50 × 25 % = 365.125 → 365.13'],
    [100, '15', 15, 'the official Norwegian example: 1.00 × 15 % = 0.15'],
    [-1000002, '25', -250001, 'a credited amount rounds away from zero too'],
    [19900, '0', 0, 'zero rate'],
  ])('%p øre at %s %% gives %p øre (%s)', (taxable, rate, vat) => {
    expect(vatOre(ore(taxable), rate)).toBe(vat);
  });

  test('exact decimal division rounds half away from zero', () => {
    expect(toDecimalText(divideRounded(parseDecimal('0.125'), parseDecimal('1'), 2))).toBe('0.13');
    expect(toDecimalText(divideRounded(parseDecimal('-0.125'), parseDecimal('1'), 2))).toBe('-0.13');
    expect(toDecimalText(divideRounded(parseDecimal('1'), parseDecimal('3'), 4))).toBe('0.3333');
  });
});

describe('an invoice with VAT at 25, 15 and 12 %, zero-rated and exempt lines', () => {
  const invoice = parseBillingDocument(fixture('poweroffice/invoice-several-vat-rates.xml'));

  test('has one breakdown per category and rate, with the taxable amounts the lines and the charge add up to', () => {
    expect(expectedBreakdowns(invoice).map((b) => [b.key, oreToDecimalText(b.taxableAmount)])).toEqual([
      ['S 25', '10035.02'],
      ['S 15', '99.99'],
      ['S 12', '104.50'],
      ['Z 0', '199.00'],
      ['E 0', '500.00'],
    ]);
  });

  test('passes every VAT and total rule as the client sent it; its one fault is the missing "Foretaksregisteret"', () => {
    expect(checkBillingDocument(invoice).map((f) => f.ruleId)).toEqual(['NO-R-002']);
  });

  test('VAT one øre off taxable × rate is refused (FF-VAT-01), though BR-CO-17 would tolerate up to 1.00', () => {
    const perLine = withBreakdownVat(invoice, 'S 25', 250877);
    const failures = checkBillingDocument(perLine).map((f) => f.ruleId);
    expect(failures).toContain('FF-VAT-01');
    expect(failures).not.toContain('BR-CO-17');
  });

  test('VAT more than one krone off breaks BR-CO-17', () => {
    expect(checkBillingDocument(withBreakdownVat(invoice, 'S 15', 1700)).map((f) => f.ruleId)).toContain('BR-CO-17');
  });

  test('totals that do not add up to the øre name the broken rule', () => {
    const broken = { ...invoice, totals: { ...invoice.totals, taxInclusive: ore(invoice.totals.taxInclusive + 1) } };
    expect(checkBillingDocument(broken).map((f) => f.ruleId)).toEqual(expect.arrayContaining(['BR-CO-15', 'BR-CO-16']));
  });

  test('a taxable amount that does not match the lines breaks the category rule (BR-S-08)', () => {
    const subtotals = invoice.taxTotal.subtotals.map((s) => (s.category.percent === '12' ? { ...s, taxableAmount: ore(10451) } : s));
    expect(checkBillingDocument({ ...invoice, taxTotal: { ...invoice.taxTotal, subtotals } }).map((f) => f.ruleId)).toContain('BR-S-08');
  });
});

function withBreakdownVat(doc: ReturnType<typeof parseBillingDocument>, key: string, vat: number): ReturnType<typeof parseBillingDocument> {
  const subtotals = doc.taxTotal.subtotals.map((s) => (`${s.category.id} ${s.category.percent ?? ''}` === key ? { ...s, taxAmount: ore(vat) } : s));
  const taxAmount = ore(subtotals.reduce((sum, s) => sum + s.taxAmount, 0));
  const taxInclusive = ore(doc.totals.taxExclusive + taxAmount);
  const payable = ore(taxInclusive + (doc.totals.payableRounding ?? 0));
  return { ...doc, taxTotal: { taxAmount, subtotals }, totals: { ...doc.totals, taxInclusive, payable } };
}
