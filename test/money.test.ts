import { formatKroner, oreFromKroner } from '../domain/money';

describe('amounts in øre', () => {
  test.each([
    [12500.0, 1250000],
    [4375.5, 437550],
    [0.1, 10],
    [0.29, 29],
    [-1250.0, -125000],
    [1234567.89, 123456789],
    ['1 234,50'.replace(/\s/g, '').replace(',', '.'), 123450],
  ])('%p kroner is %p øre, exactly', (kroner, ore) => {
    expect(oreFromKroner(kroner)).toBe(ore);
  });

  test('an amount with more than two decimals is refused, not rounded', () => {
    expect(() => oreFromKroner(10.005)).toThrow('more than two decimals');
    expect(() => oreFromKroner(Number.NaN)).toThrow('not finite');
  });

  test('Norwegian display form', () => {
    expect(formatKroner(oreFromKroner(1234.5))).toBe('1\u00a0234,50');
    expect(formatKroner(oreFromKroner(-0.05))).toBe('-0,05');
  });
});
