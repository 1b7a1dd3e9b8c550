/**
 * Exact decimals for the numbers in a UBL document that are not money in øre: quantities, unit
 * prices (which may have more than two decimals), VAT percentages and allowance percentages.
 * A decimal is an integer count of 10^-scale units, held in a BigInt, so products and comparisons
 * are exact; binary floating point never touches an amount.
 */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

const XS_DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;

export class DecimalFormatError extends Error {
  constructor(text: string) {
    super(`Not a decimal number: "${text}"`);
    this.name = 'DecimalFormatError';
  }
}

export function parseDecimal(text: string): Decimal {
  const match = XS_DECIMAL.exec(text.trim());
  const [, sign, whole = '', fraction = ''] = match ?? [];
  if (!match || (whole === '' && fraction === '')) throw new DecimalFormatError(text);
  const units = BigInt(`${whole || '0'}${fraction}`);
  return { units: sign === '-' ? -units : units, scale: fraction.length };
}

export function isDecimalText(text: string): boolean {
  const match = XS_DECIMAL.exec(text.trim());
  return match !== null && (match[2] !== '' || (match[3] ?? '') !== '');
}

export function decimalFromOre(ore: number): Decimal {
  return { units: BigInt(ore), scale: 2 };
}

export function multiply(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

export function add(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = aligned(a, b);
  return { units: x + y, scale };
}

export function subtract(a: Decimal, b: Decimal): Decimal {
  return add(a, { units: -b.units, scale: b.scale });
}

export function compare(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const [x, y] = aligned(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function isZero(a: Decimal): boolean {
  return a.units === 0n;
}

export function abs(a: Decimal): Decimal {
  return a.units < 0n ? { units: -a.units, scale: a.scale } : a;
}

/** |a − b| ≤ tolerance: the "slack" the official rules allow (e.g. ±0.02 for line amounts). */
export function withinTolerance(a: Decimal, b: Decimal, tolerance: Decimal): boolean {
  return compare(abs(subtract(a, b)), tolerance) <= 0;
}

/**
 * numerator ÷ denominator rounded half away from zero to `scale` decimals (commercial rounding:
 * 0.125 → 0.13, −0.125 → −0.13). Used for VAT per breakdown and for per-unit prices.
 */
export function divideRounded(numerator: Decimal, denominator: Decimal, scale: number): Decimal {
  if (denominator.units === 0n) throw new RangeError('division by zero');
  // n/10^ns ÷ d/10^ds = (n·10^ds) / (d·10^ns); scaled to `scale` decimals.
  let top = numerator.units * 10n ** BigInt(denominator.scale + scale);
  let bottom = denominator.units * 10n ** BigInt(numerator.scale);
  if (bottom < 0n) {
    top = -top;
    bottom = -bottom;
  }
  const negative = top < 0n;
  const magnitude = negative ? -top : top;
  const rounded = (magnitude * 2n + bottom) / (bottom * 2n);
  return { units: negative ? -rounded : rounded, scale };
}

/** Plain decimal text without exponent: "1273", "0.75", "-3.96". Keeps the scale given. */
export function toDecimalText(a: Decimal): string {
  const negative = a.units < 0n;
  const digits = (negative ? -a.units : a.units).toString().padStart(a.scale + 1, '0');
  const whole = a.scale === 0 ? digits : digits.slice(0, -a.scale);
  const fraction = a.scale === 0 ? '' : `.${digits.slice(-a.scale)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** Drops trailing zero decimals: 25.0 → 25, 2.50 → 2.5. */
export function normalize(a: Decimal): Decimal {
  let { units, scale } = a;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return { units, scale };
}

function aligned(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * 10n ** BigInt(scale - a.scale), b.units * 10n ** BigInt(scale - b.scale), scale];
}
