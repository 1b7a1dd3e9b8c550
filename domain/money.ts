/**
 * Money is kept as whole øre in a safe integer. PowerOffice sends amounts as JSON decimals, so a
 * value is converted through its shortest decimal text, never by multiplying a float by 100.
 */
export type Ore = number & { readonly __unit: 'øre' };

const DECIMAL = /^(-)?(\d+)(?:\.(\d{1,2})0*)?$/;

export class MoneyFormatError extends Error {
  constructor(value: unknown, reason: string) {
    super(`Not an amount in kroner with at most two decimals: ${String(value)} (${reason})`);
    this.name = 'MoneyFormatError';
  }
}

export function oreFromKroner(value: number | string): Ore {
  const text = typeof value === 'number' ? numberToPlainText(value) : value.trim();
  const match = DECIMAL.exec(text);
  if (!match) throw new MoneyFormatError(value, 'more than two decimals or not a number');
  const [, minus, whole = '0', fraction = ''] = match;
  const ore = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (!Number.isSafeInteger(ore)) throw new MoneyFormatError(value, 'too large');
  return (minus ? -ore : ore) as Ore;
}

function numberToPlainText(value: number): string {
  if (!Number.isFinite(value)) throw new MoneyFormatError(value, 'not finite');
  const text = String(value);
  if (/e/i.test(text)) throw new MoneyFormatError(value, 'outside the range of invoice amounts');
  return text;
}

/** Norwegian display form: 1 234,50 (narrow no-break space as the thousands separator). */
export function formatKroner(ore: Ore): string {
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  const kroner = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return `${sign}${kroner},${(abs % 100).toString().padStart(2, '0')}`;
}

const XS_DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;

/**
 * Parses an amount written as an XML Schema decimal, the form UBL uses ("1436.50", "1436.5", "-3.96",
 * "4900.0", "+25"), into øre. Trailing zeros after the second decimal are accepted; a third
 * significant decimal is refused (EN 16931 BR-DEC rules allow two), never rounded away.
 */
export function oreFromDecimalText(text: string): Ore {
  const match = XS_DECIMAL.exec(text.trim());
  const [, sign, whole = '', fraction = ''] = match ?? [];
  if (!match || (whole === '' && fraction === '')) throw new MoneyFormatError(text, 'not a decimal number');
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > 2) throw new MoneyFormatError(text, 'more than two decimals');
  const ore = Number(whole || '0') * 100 + Number(significant.padEnd(2, '0'));
  if (!Number.isSafeInteger(ore)) throw new MoneyFormatError(text, 'too large');
  return (sign === '-' && ore !== 0 ? -ore : ore) as Ore;
}

/** The UBL form of an amount: two decimals, '.' as separator, '-' for negatives ("1436.50"). */
export function oreToDecimalText(ore: Ore): string {
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  return `${sign}${Math.floor(abs / 100)}.${(abs % 100).toString().padStart(2, '0')}`;
}

/** Sum of amounts in øre; integers, so exact. */
export function sumOre(amounts: readonly Ore[]): Ore {
  return amounts.reduce((sum, amount) => sum + amount, 0) as Ore;
}
